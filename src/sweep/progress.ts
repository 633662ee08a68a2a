/**
 * Progress of a whole sweep on stderr: tasks done / running / failed of the total and an ETA
 * from this run's throughput. A terminal gets one line rewritten in place, a pipe or file a
 * line at most every few seconds (and one per failed task), `--json` one JSON line per
 * finished task: `{"sweep": {"task", "status", "done", "failed", "running", "total", "etaSeconds"}}`.
 */
import type { SweepEvent } from './engine.ts';
import type { SweepCounts } from './sweepDir.ts';

export interface ProgressSink {
  stderr(text: string): void;
  readonly isTTY: boolean;
  now(): number;
}

/** "1h02m", "3m05s", "12s". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

export function createSweepProgress(
  sink: ProgressSink,
  options: { json: boolean; running: () => number; intervalMs?: number },
): { event(e: SweepEvent): void; stop(): void } {
  const interval = options.intervalMs ?? 2000;
  const start = sink.now();
  let finishedHere = 0;
  let last = Number.NEGATIVE_INFINITY;
  let counts: SweepCounts | null = null;
  let drawn = false;
  const eta = (c: SweepCounts): number =>
    finishedHere === 0 ? Number.NaN : ((sink.now() - start) / 1000 / finishedHere) * c.pending;
  const line = (c: SweepCounts) => {
    const running = Math.min(options.running(), c.pending);
    return `sweep: ${c.ok + c.failed}/${c.total} done, ${running} running, ${c.failed} failed, ETA ${c.pending === 0 ? '0s' : formatDuration(eta(c))}`;
  };
  const draw = (c: SweepCounts, force: boolean) => {
    const now = sink.now();
    if (!force && now - last < (sink.isTTY ? 200 : interval)) return;
    last = now;
    if (sink.isTTY) {
      sink.stderr(`\r${line(c)}\x1b[K`);
      drawn = true;
    } else sink.stderr(`${line(c)}\n`);
  };
  return {
    event(e) {
      counts = e.counts;
      if (e.kind === 'start') {
        if (e.resumed > 0) sink.stderr(`continuing: ${e.resumed} tasks already recorded\n`);
        if (!options.json) draw(e.counts, true);
        return;
      }
      finishedHere++;
      const c = e.counts;
      if (options.json) {
        const o = e.outcome;
        const etaSeconds = c.pending === 0 ? 0 : eta(c);
        sink.stderr(
          `${JSON.stringify({
            sweep: {
              task: o.task,
              status: o.status,
              ...(o.status === 'failed' ? { error: o.error, exitCode: o.exitCode } : {}),
              done: c.ok + c.failed,
              failed: c.failed,
              running: Math.min(options.running(), c.pending),
              total: c.total,
              etaSeconds: Number.isFinite(etaSeconds) ? Math.round(etaSeconds) : null,
            },
          })}\n`,
        );
        return;
      }
      if (e.outcome.status === 'failed') {
        if (drawn) sink.stderr('\n');
        drawn = false;
        sink.stderr(`task ${e.outcome.task} failed (exit ${e.outcome.exitCode}): ${e.outcome.error}\n`);
      }
      draw(c, e.outcome.status === 'failed' || c.pending === 0);
    },
    stop() {
      if (drawn) sink.stderr('\n');
      drawn = false;
      void counts;
    },
  };
}
