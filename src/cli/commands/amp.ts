/**
 * `saddlesurf amp`: ML-AMP or Bayes-optimal AMP (THEORY §6.1, §6.2) on one finite-N instance
 * next to its state evolution, or the state evolution alone (`--se-only`); the computation, its
 * flags and files are the `amp` task (src/tasks/amp.ts). `--json` prints the task's document
 * with `out` appended; `--plot` draws m against the iteration (`iterations.svg`/`.png`).
 */
import type { AmpDocument, AmpParams } from '../../tasks/amp.ts';
import { isolateAbove, tensorEntries } from '../isolated.ts';
import { taskCommand } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

export const command = taskCommand<AmpParams, AmpDocument>({
  task: tasks.amp,
  plot: true,
  // One iteration at this size takes longer than a signal may wait: run on a thread Ctrl-C terminates.
  isolate: ({ source }) => source !== null && tensorEntries(source.n, source.p) >= isolateAbove(),
  label: (params) => `amp ${params.parameters.variant}`,
  summary(result, params, out) {
    const q = params.parameters;
    const se = `state evolution from m0 = ${q.m0} → m = ${result.stateEvolution.m.toFixed(6)}`;
    const f = result.final;
    return f === null
      ? `wrote ${out}: ${q.variant}, ${se}\n`
      : `wrote ${out}: ${q.variant}-AMP, N = ${q.n}: m = ${f.m.toFixed(6)} after ${f.iters} iterations` +
          `${f.converged ? ' (converged)' : ''}; ${se}\n`;
  },
});
