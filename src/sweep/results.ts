/**
 * The sweep's tables, rebuilt from the ledger in grid order: `results.csv` (one row per task:
 * `task`, `status`, each varying parameter, every scalar of the command's `--json` document
 * flattened with `.`, then `exitCode`, `error`) and `results.jsonl` (the same, with the whole
 * document). A result scalar whose name is also a varying parameter (thresholds' `deltap`) is
 * written as `result.<name>`. Arrays are not flattened (they are in results.jsonl).
 */
import { type CsvValue, toCsv } from '../io/csv.ts';
import { toJson } from '../io/json.ts';
import type { LedgerEntry } from './ledger.ts';
import type { Sweep } from './spec.ts';

/** Every scalar of a JSON document, keyed by its dotted path, in document order. */
export function flattenScalars(
  value: unknown,
  prefix = '',
  out: Record<string, CsvValue> = {},
): Record<string, CsvValue> {
  if (value === null || typeof value !== 'object') {
    if (prefix !== '') out[prefix] = value as CsvValue;
    return out;
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return out;
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined || typeof v === 'function') continue;
    flattenScalars(v, prefix === '' ? key : `${prefix}.${key}`, out);
  }
  return out;
}

/** The CSV and JSON-lines texts of a sweep's finished tasks (unfinished ones are left out). */
export function resultTables(
  sweep: Sweep,
  entries: ReadonlyMap<string, LedgerEntry>,
): { csv: string; jsonl: string } {
  const varying = new Set(sweep.varying);
  const rows: {
    task: string;
    status: string;
    point: Record<string, unknown>;
    scalars: Record<string, CsvValue>;
    entry: LedgerEntry;
  }[] = [];
  const resultColumns = new Set<string>();
  for (const task of sweep.tasks) {
    const entry = entries.get(task.id);
    if (!entry) continue;
    const scalars: Record<string, CsvValue> = {};
    for (const [k, v] of Object.entries(flattenScalars(entry.result ?? null))) {
      const name =
        varying.has(k) || k === 'task' || k === 'status' || k === 'exitCode' || k === 'error'
          ? `result.${k}`
          : k;
      scalars[name] = v;
      resultColumns.add(name);
    }
    rows.push({ task: task.id, status: entry.status, point: task.point, scalars, entry });
  }
  const columns = ['task', 'status', ...sweep.varying, ...resultColumns, 'exitCode', 'error'];
  const csvRows = rows.map((r) => [
    r.task,
    r.status,
    ...sweep.varying.map((k) => r.point[k] as CsvValue),
    ...[...resultColumns].map((k) => r.scalars[k]),
    r.entry.exitCode,
    r.entry.error,
  ]);
  const jsonl = rows
    .map((r) => {
      const { task, status, result, error, exitCode, files } = r.entry;
      return toJson({ task, status, point: r.point, result, error, exitCode, files }, 0);
    })
    .join('');
  return { csv: toCsv(columns, csvRows), jsonl };
}
