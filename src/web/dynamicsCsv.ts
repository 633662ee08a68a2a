/**
 * The tidy CSV behind the explorer's dynamics figure: one row per (run, time), every row
 * carrying what reproduces it (model, m0, seed of the finite-N run, the saddlesurf version),
 * as every file the CLI writes does.
 */
import { toCsv } from '../io/csv.ts';
import { VERSION } from '../version.ts';
import type { Trajectory } from './api.ts';
import type { ViewState } from './state.ts';

export const DYNAMICS_CSV_COLUMNS = [
  'run',
  'N',
  'p',
  'deltap',
  'inv_delta2',
  'm0',
  'tmax',
  'seed',
  'version',
  't',
  'm',
  'energy',
  'mu',
] as const;

/**
 * The CSV of the large-N run (N = inf, no seed) and the finite-N run (N and seed of the view),
 * or undefined before either has finished.
 * @example
 * const view = { p: 3, deltap: 1, invDelta2: 3, m0: 0.01, tmax: 1, n: 50, seed: 7 } as const;
 * const run = { t: Float64Array.of(0), m: Float64Array.of(0.01), energy: Float64Array.of(0), mu: Float64Array.of(0) };
 * dynamicsCsv(view, run, undefined)!.split('\n')[1]; // 'large_n,inf,3,1,3,0.01,1,,0.2.0,0,0.01,0,0' (with this version)
 */
export function dynamicsCsv(
  state: ViewState,
  large: Trajectory | undefined,
  finite: Trajectory | undefined,
): string | undefined {
  if (large === undefined && finite === undefined) return undefined;
  const rows: (string | number)[][] = [];
  for (const [run, n, seed, traj] of [
    ['large_n', 'inf', '', large],
    ['finite_n', state.n, state.seed, finite],
  ] as const) {
    if (traj === undefined) continue;
    const model = [state.p, state.deltap, state.invDelta2, state.m0, state.tmax, seed, VERSION];
    for (let i = 0; i < traj.t.length; i++) {
      rows.push([run, n, ...model, traj.t[i]!, traj.m[i]!, traj.energy[i]!, traj.mu[i]!]);
    }
  }
  return toCsv([...DYNAMICS_CSV_COLUMNS], rows);
}
