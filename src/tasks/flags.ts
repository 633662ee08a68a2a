/**
 * Typed flags: a task's parameters as the command line, a sweep spec and the explorer name
 * them. Each flag knows its name, its allowed range (shown in `--help` and in error messages)
 * and its default, and parses the raw string with a valibot schema, so a bad value becomes a
 * `UsageError` naming the flag (exit status 2). The commander wiring is the CLI's
 * (src/cli/flags.ts).
 */
import * as v from 'valibot';
import { UsageError } from './usageError.ts';

export interface Flag<T> {
  /** The long option, e.g. `--delta2`. */
  readonly name: string;
  /** Value name shown in help, e.g. `<number>`. */
  readonly valueName: string;
  /** Allowed values in words, e.g. `real > 0 or inf`. */
  readonly range: string;
  /** One-line meaning. */
  readonly description: string;
  /** Default as the user would type it (undefined: required or optional without default). */
  readonly defaultText: string | undefined;
  /** Whether the flag must be given (when it has no default). */
  readonly required: boolean;
  /** Parse and validate a raw value. Throws UsageError. */
  parse(raw: string): T;
}

interface NumberRange {
  gt?: number;
  ge?: number;
  lt?: number;
  le?: number;
}

function rangeText(kind: string, r: NumberRange): string {
  const parts: string[] = [];
  if (r.gt !== undefined) parts.push(`> ${r.gt}`);
  if (r.ge !== undefined) parts.push(`≥ ${r.ge}`);
  if (r.lt !== undefined) parts.push(`< ${r.lt}`);
  if (r.le !== undefined) parts.push(`≤ ${r.le}`);
  if (r.gt !== undefined && r.lt !== undefined) return `${kind} in (${r.gt}, ${r.lt})`;
  if (r.ge !== undefined && r.le !== undefined) return `${kind} in [${r.ge}, ${r.le}]`;
  return parts.length === 0 ? kind : `${kind} ${parts.join(' and ')}`;
}

function numberSchema(r: NumberRange, integer: boolean) {
  const checks: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [];
  if (integer) checks.push(v.integer());
  if (r.gt !== undefined) checks.push(v.gtValue(r.gt));
  if (r.ge !== undefined) checks.push(v.minValue(r.ge));
  if (r.lt !== undefined) checks.push(v.ltValue(r.lt));
  if (r.le !== undefined) checks.push(v.maxValue(r.le));
  return v.pipe(v.number(), v.finite(), ...checks);
}

function parseNumberText(name: string, raw: string, range: string): number {
  const text = raw.trim();
  // Number('') is 0 and Number('0x10') is 16: accept only decimal notation.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new UsageError(name, `must be ${range}, got '${raw}'`);
  }
  return Number(text);
}

interface FlagOptions<T> {
  description: string;
  default?: T;
  /** Text shown for the default (when the value itself prints badly). */
  defaultText?: string;
  required?: boolean;
}

function makeFlag<T>(
  name: string,
  valueName: string,
  range: string,
  options: FlagOptions<T>,
  parse: (raw: string) => T,
): Flag<T> {
  const defaultText =
    options.defaultText ?? (options.default === undefined ? undefined : String(options.default));
  return {
    name,
    valueName,
    range,
    description: options.description,
    defaultText,
    required: options.required ?? false,
    parse,
  };
}

/** A real-valued flag with optional bounds; `allowInf` also accepts `inf` (= Infinity). */
export function numberFlag(
  name: string,
  options: FlagOptions<number> & NumberRange & { allowInf?: boolean },
): Flag<number> {
  const range = rangeText('a real number', options) + (options.allowInf ? ' or inf' : '');
  const schema = numberSchema(options, false);
  const defaultText =
    options.defaultText ??
    (options.default === Number.POSITIVE_INFINITY ? 'inf' : options.default?.toString());
  return makeFlag(name, '<number>', range, { ...options, defaultText }, (raw) => {
    if (options.allowInf && /^\+?(inf|infinity)$/i.test(raw.trim())) return Number.POSITIVE_INFINITY;
    const value = parseNumberText(name, raw, range);
    if (!v.safeParse(schema, value).success) throw new UsageError(name, `must be ${range}, got '${raw}'`);
    return value;
  });
}

/** An integer flag with optional bounds. */
export function integerFlag(name: string, options: FlagOptions<number> & NumberRange): Flag<number> {
  const range = rangeText('an integer', options);
  const schema = numberSchema(options, true);
  return makeFlag(name, '<int>', range, options, (raw) => {
    const value = parseNumberText(name, raw, range);
    if (!v.safeParse(schema, value).success || !Number.isSafeInteger(value)) {
      throw new UsageError(name, `must be ${range}, got '${raw}'`);
    }
    return value;
  });
}

/** One of a fixed set of words. */
export function choiceFlag<const C extends string>(
  name: string,
  choices: readonly C[],
  options: FlagOptions<C>,
): Flag<C> {
  const range = `one of ${choices.join(', ')}`;
  const schema = v.picklist(choices);
  return makeFlag(name, `<${choices.join('|')}>`, range, options, (raw) => {
    const parsed = v.safeParse(schema, raw.trim());
    if (!parsed.success) throw new UsageError(name, `must be ${range}, got '${raw}'`);
    return parsed.output as C;
  });
}

/** A free string (a path, say); must be non-empty. */
export function stringFlag(
  name: string,
  options: FlagOptions<string> & { valueName?: string },
): Flag<string> {
  return makeFlag(name, options.valueName ?? '<text>', 'a non-empty string', options, (raw) => {
    if (raw.trim().length === 0) throw new UsageError(name, 'must not be empty');
    return raw;
  });
}

/** A boolean switch (present = true). */
export function switchFlag(name: string, description: string): Flag<boolean> {
  return {
    name,
    valueName: '',
    range: 'a switch',
    description,
    defaultText: undefined,
    required: false,
    parse: () => true,
  };
}
