/**
 * The state of a descent run (`descent.ts`) at a step boundary, for `--checkpoint-every` /
 * `--resume` (issue 11): continued with `DescentOptions.resume`, the run ends bit for bit as the
 * uninterrupted one. Everything is data (typed arrays, numbers, the RNG words), so it can be
 * written with `src/io/checkpoint.ts`.
 */
import { captureFields, restoreFields } from '../io/checkpoint.ts';
import type { RngState } from '../random/index.ts';
import type { DescentMethod, Observation } from './observation.ts';
import type { AdaptiveSphereIntegrator, IntegratorStats } from './rungeKutta.ts';

export interface DescentCheckpoint {
  readonly method: DescentMethod;
  /** The time reached. */
  readonly t: number;
  /** Index of the next observation time to reach. */
  readonly next: number;
  /** The observations recorded so far. */
  readonly observations: readonly Observation[];
  /** gf: every field of the adaptive integrator (state, stages, step proposal, counters). */
  readonly integrator?: unknown;
  /** gd, langevin: the configuration, the step count, the counters and the noise stream. */
  readonly x?: Float64Array;
  readonly step?: number;
  readonly stats?: IntegratorStats;
  readonly rng?: RngState | null;
}

/** The integrator's fields without its (constant, shared) tableau. */
export function captureIntegrator(integrator: AdaptiveSphereIntegrator): unknown {
  const { tab: _tab, ...state } = captureFields(integrator);
  return state;
}

/** Put a captured integrator state into a fresh integrator of the same run. */
export function restoreIntegrator(integrator: AdaptiveSphereIntegrator, state: unknown): void {
  restoreFields(integrator, state as never);
}
