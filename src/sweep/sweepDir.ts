/**
 * The sweep's output directory, written in place so that it can be resumed:
 * `sweep.json` (spec, version, counts; written first, so the directory is recognisably a
 * saddlesurf sweep from the start), `ledger.jsonl` (the durable record), `tasks/<task>/`
 * (each task's files, renamed into place before its ledger line), `results.csv` and
 * `results.jsonl` (rebuilt from the ledger, atomically), and the saddlesurf marker file.
 * Another SPEC's directory is replaced only with `--force`, and only when it is a saddlesurf output.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { checkOutputTarget, MARKER_FILE } from '../files/index.ts';
import { toJson } from '../io/json.ts';
import { UsageError } from '../tasks/usageError.ts';
import { VERSION } from '../version.ts';
import type { LedgerEntry } from './ledger.ts';
import { resultTables } from './results.ts';
import type { Sweep } from './spec.ts';

export const SWEEP_FILE = 'sweep.json';
export const LEDGER_FILE = 'ledger.jsonl';

function readJson(path: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Everything a sweep writes at the top of its directory (listed in the saddlesurf marker). */
const SWEEP_ENTRIES = [SWEEP_FILE, LEDGER_FILE, 'results.csv', 'results.jsonl', 'tasks', 'analysis'];

/** Remove temporary files a killed run left behind (`*.partial-*`, `tasks/.*.partial`). */
function removePartials(dir: string): void {
  for (const name of readdirSync(dir))
    if (name.includes('.partial-')) rmSync(join(dir, name), { force: true });
  const tasks = join(dir, 'tasks');
  if (existsSync(tasks))
    for (const name of readdirSync(tasks))
      if (name.startsWith('.')) rmSync(join(tasks, name), { recursive: true, force: true });
}

/**
 * Make `dir` ready for `sweep`: resume it (same sweep, same version), or create it. A
 * non-empty directory holding anything else is replaced only with `force` and only when it is
 * a saddlesurf output (the CLI's rule for every `--out`: src/files/outputTarget.ts).
 */
export function prepareSweepDir(dir: string, sweep: Sweep, force: boolean, flag = '--out'): 'new' | 'resume' {
  const target = resolve(dir);
  const previous =
    existsSync(target) && statSync(target).isDirectory() ? readJson(join(target, SWEEP_FILE)) : null;
  if (previous && previous.hash === sweep.hash && previous.saddlesurf === VERSION) {
    removePartials(target);
    return 'resume';
  }
  if (previous && !force)
    throw new UsageError(
      flag,
      `${dir} holds a different sweep (${String(previous.command)}, saddlesurf ${String(previous.saddlesurf)}); pass --force to replace it, or choose another ${flag}`,
    );
  checkOutputTarget(dir, force, flag);
  if (existsSync(target))
    for (const name of readdirSync(target)) rmSync(join(target, name), { recursive: true, force: true });
  else mkdirSync(target);
  writeAtomic(join(target, MARKER_FILE), toJson({ saddlesurf: VERSION, files: SWEEP_ENTRIES }));
  return 'new';
}

/** Write a file atomically (temporary sibling + fsync + rename). */
export function writeAtomic(path: string, content: string | Uint8Array): void {
  const temp = `${path}.partial-${process.pid}`; // removed on resume if left behind
  const fd = openSync(temp, 'w');
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/** Put a task's files into `tasks/<task>/` (replacing a leftover from a run killed before recording it). */
export function writeTaskFiles(
  dir: string,
  task: string,
  files: Readonly<Record<string, Uint8Array>>,
): string[] {
  const names = Object.keys(files);
  if (names.length === 0) return names;
  const tasks = join(dir, 'tasks');
  mkdirSync(tasks, { recursive: true });
  const temp = join(tasks, `.${task}.partial`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp);
  for (const name of names) writeAtomic(join(temp, name), files[name]);
  const final = join(tasks, task);
  rmSync(final, { recursive: true, force: true });
  renameSync(temp, final);
  return names;
}

export interface SweepCounts {
  readonly total: number;
  readonly ok: number;
  readonly failed: number;
  readonly pending: number;
}

export function countEntries(sweep: Sweep, entries: ReadonlyMap<string, LedgerEntry>): SweepCounts {
  let ok = 0;
  let failed = 0;
  for (const t of sweep.tasks) {
    const e = entries.get(t.id);
    if (e?.status === 'ok') ok++;
    else if (e?.status === 'failed') failed++;
  }
  return { total: sweep.tasks.length, ok, failed, pending: sweep.tasks.length - ok - failed };
}

/** The failed tasks with their points, errors and exit statuses (for sweep.json and the summary). */
export function failures(sweep: Sweep, entries: ReadonlyMap<string, LedgerEntry>) {
  return sweep.tasks
    .filter((t) => entries.get(t.id)?.status === 'failed')
    .map((t) => {
      const e = entries.get(t.id) as LedgerEntry;
      return { task: t.id, point: t.point, error: e.error, exitCode: e.exitCode };
    });
}

/** Rewrite sweep.json, results.csv and results.jsonl from the ledger (a pure function of it). */
export function writeSummary(
  dir: string,
  sweep: Sweep,
  entries: ReadonlyMap<string, LedgerEntry>,
): SweepCounts {
  const counts = countEntries(sweep, entries);
  const doc = {
    saddlesurf: VERSION,
    command: sweep.command,
    hash: sweep.hash,
    spec: sweep.spec,
    varying: sweep.varying,
    counts,
    complete: counts.pending === 0,
    failed: failures(sweep, entries),
  };
  writeAtomic(join(dir, SWEEP_FILE), toJson(doc));
  const { csv, jsonl } = resultTables(sweep, entries);
  writeAtomic(join(dir, 'results.csv'), csv);
  writeAtomic(join(dir, 'results.jsonl'), jsonl);
  return counts;
}
