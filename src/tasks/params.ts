/**
 * Turning raw parameters (parsed command-line strings, or the numbers, strings and booleans of a
 * sweep spec) into a command's typed parameters, with the ranges and defaults of its flag
 * definitions (flags.ts): one place for every range. Keys are the flag names without
 * dashes, in camelCase (`deltapMin`) or as typed (`deltap-min`); errors name the flag
 * (`--deltap-min`), exit status 2.
 */

import type { Flag } from './flags.ts';
import { UsageError } from './usageError.ts';

export type FlagSet = Readonly<Record<string, Flag<unknown>>>;

/** The typed values of a flag set (undefined for a flag without default that was not given). */
export type FlagValues<F extends FlagSet> = { [K in keyof F]: F[K] extends Flag<infer T> ? T : never };

/** The key of a flag as a sweep spec or a test may write it: `--hessian-every` → `hessian-every`. */
export const flagKey = (flag: Flag<unknown>): string => flag.name.replace(/^--/, '');

/**
 * Parse `raw` against `flags`: every key must belong to a flag; strings go through the flag's
 * parser, finite numbers and ±Infinity through their decimal text, booleans only for switches.
 * Returns the values (defaults applied) and the set of keys that were given explicitly.
 */
export function parseParams<F extends FlagSet>(
  command: string,
  flags: F,
  raw: Readonly<Record<string, unknown>>,
): { values: FlagValues<F>; given: ReadonlySet<keyof F & string> } {
  const byName = new Map<string, string>();
  for (const [key, flag] of Object.entries(flags)) {
    byName.set(key, key);
    byName.set(flagKey(flag), key);
  }
  const given = new Map<string, unknown>();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const key = byName.get(name);
    if (key === undefined) {
      const known = Object.values(flags)
        .map((f) => flagKey(f))
        .join(', ');
      throw new UsageError(`--${name}`, `is not a parameter of ${command} (known: ${known})`);
    }
    if (given.has(key)) throw new UsageError(flags[key].name, 'is given twice');
    given.set(key, value);
  }
  const values: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const value = given.get(key);
    if (flag.range === 'a switch') {
      if (value !== undefined && typeof value !== 'boolean')
        throw new UsageError(flag.name, `is a switch (true or false), got ${JSON.stringify(value)}`);
      values[key] = value === true;
    } else if (value !== undefined) {
      values[key] = flag.parse(rawText(flag, value));
    } else if (flag.defaultText !== undefined) {
      values[key] = flag.parse(flag.defaultText);
    } else if (flag.required) {
      throw new UsageError(flag.name, `is required (${flag.range})`);
    } else {
      values[key] = undefined;
    }
  }
  return { values: values as FlagValues<F>, given: new Set(given.keys()) as ReadonlySet<keyof F & string> };
}

function rawText(flag: Flag<unknown>, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (value === Number.POSITIVE_INFINITY) return 'inf';
    if (Number.isFinite(value)) return String(value);
  }
  throw new UsageError(flag.name, `must be ${flag.range}, got ${JSON.stringify(value) ?? String(value)}`);
}
