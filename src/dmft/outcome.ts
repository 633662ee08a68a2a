/**
 * How a large-N run ended, in the terms a front end needs (CLI, explorer): THEORY §3 runs either
 * reach tmax, stop early with a usable prefix, or are stopped by the caller.
 */
import type { DynamicsResult } from './types.ts';

export interface RunOutcome {
  /**
   * 'ok': reached tmax. 'partial': the adaptive grid could not be continued accurately; the
   * arrays hold everything up to `reached`. 'failed': a fixed-grid instability or divergence
   * (its last points are already corrupted: change h or the grid). 'stopped': stopped by the
   * caller.
   */
  readonly status: 'ok' | 'partial' | 'failed' | 'stopped';
  /** The last time in the result. */
  readonly reached: number;
}

/**
 * Classifies a result.
 * @example
 * runOutcome(solveDynamics({ ... })).status; // 'ok'
 */
export function runOutcome(run: DynamicsResult): RunOutcome {
  const reached = run.t.length > 0 ? run.t[run.t.length - 1] : 0;
  const s = run.stats.status;
  if (s === 'ok' || s === 'stopped') return { status: s, reached };
  return { status: s === 'partial' && run.t.length > 1 ? 'partial' : 'failed', reached };
}

/**
 * The live status line of a run: t, m, μ and e (each to 4 significant digits; μ and e only when
 * given).
 * @example
 * progressStatus(12.5, 0.1, 3.9, -1.2); // 't = 12.50, m = 0.1000, μ = 3.900, e = -1.200'
 */
export function progressStatus(t: number, m: number, mu?: number, energy?: number): string {
  const p = (x: number): string => x.toPrecision(4);
  return (
    `t = ${p(t)}, m = ${p(m)}` +
    (mu === undefined ? '' : `, μ = ${p(mu)}`) +
    (energy === undefined ? '' : `, e = ${p(energy)}`)
  );
}
