/**
 * A sweep SPEC: one command, fixed `parameters`, and the points to run it at.
 *
 * ```json
 * { "command": "dmft",
 *   "parameters": { "p": 3, "temperature": 0, "tmax": 300 },
 *   "grid": { "delta2": [0.25, 0.3], "deltap": [1, 2] },
 *   "zip": { "m0": [1e-5, 1e-4], "tol": [1e-7, 1e-8] },
 *   "points": [{ "window": 128 }, { "window": 256 }],
 *   "seeds": [1, 2, 3] }
 * ```
 *
 * The points are the product grid (Cartesian, first key slowest) × zip rows (equally long
 * lists taken together) × explicit points × seeds (key `seed`; a list, or `{"from", "count"}`).
 * A missing part contributes one empty assignment. Keys are the command's flag names without
 * dashes (`save-correlations` or `saveCorrelations`). Every point is validated by the command's
 * own `validate` before anything runs; an error names the key and where in the SPEC it is.
 */
import { UsageError } from '../tasks/usageError.ts';
import { sha256, taskId } from './hash.ts';

/** What the spec needs of a task: its name and its validation (throws UsageError naming the flag). */
export interface ValidatingTask {
  readonly name: string;
  validate(raw: Readonly<Record<string, unknown>>): object;
}

export type SpecValue = number | string | boolean;

/** One task of a sweep. */
export interface SweepTask {
  /** Content hash of (command, validated parameters, version). */
  readonly id: string;
  /** Position in grid order (the order of rows in results.csv). */
  readonly index: number;
  /** The values that vary over the sweep (grid, zip, points, seed), as written in the SPEC. */
  readonly point: Readonly<Record<string, SpecValue>>;
  /** Everything passed to the command: parameters + point (as written; validated again where it runs). */
  readonly raw: Readonly<Record<string, SpecValue>>;
}

export interface Sweep {
  readonly command: string;
  /** The spec as read (normalised keys), recorded in sweep.json. */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The keys that vary, in column order. */
  readonly varying: readonly string[];
  readonly tasks: readonly SweepTask[];
  /** Identity of the whole sweep (command, version and the ordered task ids). */
  readonly hash: string;
}

const TOP_KEYS = ['command', 'parameters', 'grid', 'zip', 'points', 'seeds'] as const;
/** Largest number of tasks one SPEC may expand to (a typo like 1e6 seeds should not hang the CLI). */
export const MAX_TASKS = 1_000_000;

/** Flag-style name → the camelCase key tasks use (`save-correlations` → `saveCorrelations`). */
export function camelKey(key: string): string {
  return key.replace(/^--/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function usage(where: string, message: string): UsageError {
  return new UsageError(null, `${where}: ${message}`);
}

function scalar(value: unknown, where: string): SpecValue {
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  throw usage(where, `must be a number, string or boolean, got ${JSON.stringify(value)}`);
}

function list(value: unknown, where: string): SpecValue[] {
  if (!Array.isArray(value) || value.length === 0) throw usage(where, 'must be a non-empty list of values');
  return value.map((v, i) => scalar(v, `${where}[${i}]`));
}

/** An assignment of keys to values plus where each value came from (for error messages). */
interface Part {
  values: Record<string, SpecValue>;
  origin: Record<string, string>;
}

function mapKeys(obj: Record<string, unknown>, where: string): [string, string, unknown][] {
  return Object.entries(obj).map(([k, v]) => {
    if (!/^(--)?[A-Za-z][A-Za-z0-9-]*$/.test(k)) throw usage(`${where}.${k}`, 'is not a flag name');
    return [camelKey(k), `${where}.${k}`, v];
  });
}

function gridParts(grid: unknown): Part[] {
  if (grid === undefined) return [{ values: {}, origin: {} }];
  if (!isObject(grid)) throw usage('grid', 'must be an object of key: [values]');
  let parts: Part[] = [{ values: {}, origin: {} }];
  for (const [key, where, values] of mapKeys(grid, 'grid')) {
    const items = list(values, where);
    parts = parts.flatMap((p) =>
      items.map((v, i) => ({
        values: { ...p.values, [key]: v },
        origin: { ...p.origin, [key]: `${where}[${i}]` },
      })),
    );
  }
  return parts;
}

function zipParts(zip: unknown): Part[] {
  if (zip === undefined) return [{ values: {}, origin: {} }];
  if (!isObject(zip)) throw usage('zip', 'must be an object of key: [values] with lists of equal length');
  const columns = mapKeys(zip, 'zip').map(([key, where, values]) => ({
    key,
    where,
    items: list(values, where),
  }));
  if (columns.length === 0) throw usage('zip', 'must name at least one key');
  const n = columns[0].items.length;
  for (const c of columns)
    if (c.items.length !== n)
      throw usage(
        c.where,
        `has ${c.items.length} values, ${columns[0].where} has ${n}: zip lists must be equally long`,
      );
  return Array.from({ length: n }, (_, i) => ({
    values: Object.fromEntries(columns.map((c) => [c.key, c.items[i]])),
    origin: Object.fromEntries(columns.map((c) => [c.key, `${c.where}[${i}]`])),
  }));
}

function pointParts(points: unknown): Part[] {
  if (points === undefined) return [{ values: {}, origin: {} }];
  if (!Array.isArray(points) || points.length === 0)
    throw usage('points', 'must be a non-empty list of objects');
  return points.map((p, i) => {
    if (!isObject(p)) throw usage(`points[${i}]`, 'must be an object of key: value');
    const part: Part = { values: {}, origin: {} };
    for (const [key, where, v] of mapKeys(p, `points[${i}]`)) {
      part.values[key] = scalar(v, where);
      part.origin[key] = where;
    }
    return part;
  });
}

function seedParts(seeds: unknown): Part[] {
  if (seeds === undefined) return [{ values: {}, origin: {} }];
  let values: SpecValue[];
  let where = (i: number) => `seeds[${i}]`;
  if (isObject(seeds)) {
    for (const k of Object.keys(seeds))
      if (k !== 'from' && k !== 'count') throw usage(`seeds.${k}`, 'unknown key (seeds takes from, count)');
    const { from = 1, count } = seeds;
    if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0)
      throw usage('seeds.from', `must be an integer ≥ 0, got ${JSON.stringify(from)}`);
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > MAX_TASKS)
      throw usage('seeds.count', `must be an integer in [1, ${MAX_TASKS}], got ${JSON.stringify(count)}`);
    values = Array.from({ length: count }, (_, i) => from + i);
    where = (i) => `seeds (from + ${i})`;
  } else values = list(seeds, 'seeds');
  return values.map((v, i) => ({ values: { seed: v }, origin: { seed: where(i) } }));
}

function combine(a: Part[], b: Part[], where: string): Part[] {
  if (a.length * b.length > MAX_TASKS)
    throw usage(where, `the sweep would have more than ${MAX_TASKS} tasks`);
  return a.flatMap((x) =>
    b.map((y) => {
      for (const key of Object.keys(y.values))
        if (key in x.values) throw usage(y.origin[key], `${key} is already set by ${x.origin[key]}`);
      return { values: { ...x.values, ...y.values }, origin: { ...x.origin, ...y.origin } };
    }),
  );
}

/** Which spec entry a UsageError about `--flag` refers to. */
function originOf(error: UsageError, origin: Record<string, string>): string {
  const key = error.flag === null ? null : camelKey(error.flag);
  return (key !== null && origin[key]) || 'SPEC';
}

/**
 * Expand and validate a spec (already parsed from JSON). `getTask` returns the command's
 * task or undefined; `version` enters every task id.
 */
export function expandSpec(
  spec: unknown,
  getTask: (name: string) => ValidatingTask | undefined,
  version: string,
  computing: readonly string[] = [],
): Sweep {
  if (!isObject(spec)) throw usage('SPEC', 'must be a JSON object with "command" and "parameters"/"grid"');
  for (const key of Object.keys(spec))
    if (!(TOP_KEYS as readonly string[]).includes(key))
      throw usage(key, `unknown key (a SPEC has ${TOP_KEYS.join(', ')})`);
  const { command } = spec;
  if (typeof command !== 'string')
    throw usage('command', `must be a command name${computing.length ? ` (${computing.join(', ')})` : ''}`);
  const task = getTask(command);
  if (!task)
    throw usage(
      'command',
      `'${command}' is not a computing command${computing.length ? ` (one of ${computing.join(', ')})` : ''}`,
    );
  const fixed: Part = { values: {}, origin: {} };
  if (spec.parameters !== undefined) {
    if (!isObject(spec.parameters)) throw usage('parameters', 'must be an object of key: value');
    for (const [key, where, v] of mapKeys(spec.parameters, 'parameters')) {
      fixed.values[key] = scalar(v, where);
      fixed.origin[key] = where;
    }
  }
  for (const key of ['out', 'force', 'json'])
    if (key in fixed.values) throw usage(fixed.origin[key], `--${key} is set by the sweep, not per task`);
  let parts = combine(gridParts(spec.grid), zipParts(spec.zip), 'zip');
  parts = combine(parts, pointParts(spec.points), 'points');
  parts = combine(parts, seedParts(spec.seeds), 'seeds');
  const varying = [...new Set(parts.flatMap((p) => Object.keys(p.values)))];
  for (const key of ['out', 'force', 'json'])
    if (varying.includes(key)) throw usage(key, `--${key} is set by the sweep, not per task`);
  const seen = new Map<string, string>();
  const tasks = parts.map((part, index): SweepTask => {
    const all = combine([fixed], [part], 'SPEC')[0];
    let validated: object;
    try {
      validated = task.validate(all.values);
    } catch (error) {
      if (error instanceof UsageError) throw usage(originOf(error, all.origin), error.message);
      throw error;
    }
    const id = taskId(command, validated, version);
    const where = Object.values(part.origin).join(', ') || 'parameters';
    const previous = seen.get(id);
    if (previous !== undefined) throw usage(where, `is the same task as ${previous} (duplicate point)`);
    seen.set(id, where);
    return { id, index, point: part.values, raw: all.values };
  });
  const normalised = { ...spec };
  return {
    command,
    spec: normalised,
    varying,
    tasks,
    hash: sha256(JSON.stringify({ command, version, tasks: tasks.map((t) => t.id) })),
  };
}

/** Parse SPEC text (JSON) naming the file in errors. */
export function parseSpecText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(null, `SPEC ${file}: not valid JSON (${(error as Error).message})`);
  }
}
