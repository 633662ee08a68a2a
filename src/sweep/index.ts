/**
 * Sweeps: one command over a parameter grid, each point a task identified by a content hash,
 * run on a local pool of worker threads or on Redis (BullMQ) workers, every finished task
 * recorded durably so an interrupted sweep continues where it stopped.
 */
export { type Executor, localExecutor, runSweep, type SweepEvent, type SweepRunResult } from './engine.ts';
export { canonicalJson, taskId } from './hash.ts';
export { type LedgerEntry, openLedger, readLedger } from './ledger.ts';
export { LocalPool, type PoolOptions } from './localPool.ts';
export { flattenScalars, resultTables } from './results.ts';
export { exitCodeOf, runJob, type TaskJob, type TaskOutcome } from './runTask.ts';
export { camelKey, expandSpec, parseSpecText, type Sweep, type SweepTask } from './spec.ts';
export { prepareSweepDir, type SweepCounts, writeSummary } from './sweepDir.ts';
