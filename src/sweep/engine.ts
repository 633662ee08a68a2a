/**
 * The coordinator of a sweep: skip what the ledger already holds, hand the rest to an
 * executor (the local pool or Redis workers), and record each outcome the moment it arrives
 * (files into place, then one fsynced ledger line). A duplicate outcome (at-least-once
 * delivery) is dropped. When the executor is done or the signal aborts, the result tables
 * are rebuilt from the ledger, so an interrupted sweep leaves a consistent directory and a
 * rerun of the same SPEC continues it.
 */
import { join } from 'node:path';
import { VERSION } from '../version.ts';
import { type LedgerEntry, openLedger } from './ledger.ts';
import type { LocalPool } from './localPool.ts';
import type { TaskJob, TaskOutcome } from './runTask.ts';
import type { Sweep } from './spec.ts';
import { failures, LEDGER_FILE, type SweepCounts, writeSummary, writeTaskFiles } from './sweepDir.ts';

/** Runs jobs somewhere and reports their outcomes. */
export interface Executor {
  /** Tasks currently running (for progress; an estimate for remote workers). */
  readonly running: number;
  /** Resolve when every job has had an outcome, or soon after `signal` aborts. */
  execute(
    jobs: readonly TaskJob[],
    onOutcome: (outcome: TaskOutcome) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Release threads/connections. */
  close(): Promise<void>;
}

/** The embedded executor over a LocalPool. */
export function localExecutor(pool: LocalPool): Executor {
  return {
    get running() {
      return pool.running;
    },
    async execute(jobs, onOutcome, signal) {
      const aborted = new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
      });
      const all = Promise.all(
        jobs.map((job) =>
          pool.run(job).then((outcome) => {
            if (!signal.aborted) onOutcome(outcome);
          }),
        ),
      );
      await Promise.race([all, aborted]);
    },
    close: () => pool.destroy(),
  };
}

export type SweepEvent =
  | { readonly kind: 'start'; readonly counts: SweepCounts; readonly resumed: number }
  | { readonly kind: 'task'; readonly outcome: TaskOutcome; readonly counts: SweepCounts };

export interface SweepRunResult {
  readonly counts: SweepCounts;
  readonly failed: ReturnType<typeof failures>;
  readonly aborted: boolean;
}

function entryOf(outcome: TaskOutcome, files: readonly string[]): LedgerEntry {
  const seconds = Math.round(outcome.seconds * 1000) / 1000;
  return outcome.status === 'ok'
    ? { task: outcome.task, status: 'ok', result: outcome.result, files, seconds }
    : { task: outcome.task, status: 'failed', error: outcome.error, exitCode: outcome.exitCode, seconds };
}

/** Run (or continue) `sweep` into the prepared directory `dir`. */
export async function runSweep(options: {
  sweep: Sweep;
  dir: string;
  executor: Executor;
  signal?: AbortSignal;
  onEvent?: (event: SweepEvent) => void;
}): Promise<SweepRunResult> {
  const { sweep, dir, executor } = options;
  const signal = options.signal ?? new AbortController().signal;
  const ledger = openLedger(join(dir, LEDGER_FILE));
  try {
    let counts = writeSummary(dir, sweep, ledger.entries);
    options.onEvent?.({ kind: 'start', counts, resumed: counts.ok + counts.failed });
    const ids = new Set(sweep.tasks.map((t) => t.id));
    const jobs: TaskJob[] = sweep.tasks
      .filter((t) => !ledger.entries.has(t.id))
      .map((t) => ({ task: t.id, command: sweep.command, raw: t.raw, version: VERSION }));
    const onOutcome = (outcome: TaskOutcome) => {
      if (!ids.has(outcome.task) || ledger.entries.has(outcome.task)) return; // not ours, or a duplicate
      const files = outcome.status === 'ok' ? writeTaskFiles(dir, outcome.task, outcome.files) : [];
      ledger.record(entryOf(outcome, files));
      counts = {
        ...counts,
        ok: counts.ok + (outcome.status === 'ok' ? 1 : 0),
        failed: counts.failed + (outcome.status === 'failed' ? 1 : 0),
        pending: counts.pending - 1,
      };
      options.onEvent?.({ kind: 'task', outcome, counts });
    };
    if (jobs.length > 0) await executor.execute(jobs, onOutcome, signal);
    counts = writeSummary(dir, sweep, ledger.entries);
    return { counts, failed: failures(sweep, ledger.entries), aborted: signal.aborted };
  } finally {
    ledger.close();
  }
}
