/**
 * The tidy CSV behind the explorer's dynamics figure: one row per (run, time), every row
 * carrying what reproduces it, from the provenance of the task that ran it (`dmft` for N = ∞,
 * `sample` + `flow` for the finite-N run): model, m0, t_max, the seed, the saddlesurf version of
 * its `params.json` and the command line, as every file the CLI writes does.
 */
import { type CsvValue, toCsv } from '../io/csv.ts';
import type { Trajectory } from './dynamicsApi.ts';

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
  'command',
  't',
  'm',
  'energy',
  'mu',
] as const;

/** What reproduces a run: its parameters, seed, version and command line (one cell each). */
function runCells(traj: Trajectory): CsvValue[] {
  const { document, command } = traj.provenance;
  const q = document.parameters as Record<string, number | undefined>;
  return [
    q.n ?? 'inf',
    q.p,
    q.deltap,
    q.delta2 === undefined ? null : 1 / q.delta2,
    q.m0,
    q.tmax,
    document.seed ?? null,
    document.saddlesurf,
    command,
  ];
}

/**
 * The CSV of the large-N run (`dmft`: N = inf, no seed) and the finite-N run (`flow` on the
 * sampled instance: its N and seed), or undefined before either has finished.
 */
export function dynamicsCsv(
  large: Trajectory | undefined,
  finite: Trajectory | undefined,
): string | undefined {
  if (large === undefined && finite === undefined) return undefined;
  const rows: CsvValue[][] = [];
  for (const [run, traj] of [
    ['large_n', large],
    ['finite_n', finite],
  ] as const) {
    if (traj === undefined) continue;
    const cells = runCells(traj);
    for (let i = 0; i < traj.t.length; i++)
      rows.push([run, ...cells, traj.t[i]!, traj.m[i]!, traj.energy[i]!, traj.mu[i]!]);
  }
  return toCsv([...DYNAMICS_CSV_COLUMNS], rows);
}
