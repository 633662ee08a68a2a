/**
 * The commander wiring of the tasks' typed flags (src/tasks/flags.ts, re-exported here):
 * `addFlags` shows range and default in `--help`; `readFlags` parses what commander collected
 * after it has split the arguments, so a bad value becomes a `UsageError` naming the flag (exit
 * status 2).
 */
import type { Command } from 'commander';
import type { Flag } from '../tasks/flags.ts';
import { UsageError } from '../tasks/usageError.ts';

export * from '../tasks/flags.ts';

/** The commander attribute name for a flag (`--delta-min` → `deltaMin`). */
function attributeName(flag: Flag<unknown>): string {
  return flag.name.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The raw values each value flag of a command was given, in order (to refuse repeats). */
const givenValues = new WeakMap<Command, Map<string, string[]>>();

/** Add flags to a commander command; help shows range and default. */
export function addFlags(command: Command, flags: Readonly<Record<string, Flag<unknown>>>): Command {
  const given = givenValues.get(command) ?? new Map<string, string[]>();
  givenValues.set(command, given);
  for (const flag of Object.values(flags)) {
    if (flag.range === 'a switch') {
      command.option(flag.name, flag.description);
      continue;
    }
    // Commander keeps the last of repeated values; record them all so readFlags can refuse.
    command.on(`option:${flag.name.replace(/^--/, '')}`, (value: unknown) => {
      given.set(flag.name, [...(given.get(flag.name) ?? []), String(value)]);
    });
    const extra = [flag.range];
    if (flag.defaultText !== undefined) extra.push(`default ${flag.defaultText}`);
    else if (flag.required) extra.push('required');
    command.option(`${flag.name} ${flag.valueName}`, `${flag.description} (${extra.join('; ')})`);
  }
  return command;
}

/**
 * Parse the raw option values commander collected. Missing flags take their
 * default; a required flag without a value, or a value flag given twice (e.g.
 * `--p 3 --p 4`: which one was meant?), is a UsageError. Flags without a default
 * that are not required come back as undefined.
 */
export function readFlags<F extends Readonly<Record<string, Flag<unknown>>>>(
  command: Command,
  flags: F,
): { [K in keyof F]: F[K] extends Flag<infer T> ? T : never } {
  for (const [name, values] of givenValues.get(command) ?? []) {
    if (values.length > 1)
      throw new UsageError(
        name,
        `given ${values.length} times (${values.map((v) => `'${v}'`).join(', ')}); give it once`,
      );
  }
  const raw = command.opts() as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, flag] of Object.entries(flags)) {
    const value = raw[attributeName(flag)];
    if (flag.range === 'a switch') {
      out[key] = value === true;
    } else if (typeof value === 'string') {
      out[key] = flag.parse(value);
    } else if (flag.defaultText !== undefined) {
      out[key] = flag.parse(flag.defaultText);
    } else if (flag.required) {
      throw new UsageError(flag.name, `is required (${flag.range})`);
    } else {
      out[key] = undefined;
    }
  }
  return out as { [K in keyof F]: F[K] extends Flag<infer T> ? T : never };
}
