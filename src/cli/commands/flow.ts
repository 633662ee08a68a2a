/**
 * `saddlesurf flow`: descent dynamics on one finite-N instance (THEORY §2); the computation,
 * its flags, checks and files are the `flow` task (src/tasks/flow.ts). `--json` prints the
 * task's document with `out` appended; `--plot` draws the trajectory (`trajectory.svg`/`.png`).
 */
import type { FlowDocument, FlowParams } from '../../tasks/flow.ts';
import { isolateAbove, tensorEntries } from '../isolated.ts';
import { taskCommand } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

export { TRAJECTORY_COLUMNS } from '../../tasks/flow.ts';

export const command = taskCommand<FlowParams, FlowDocument>({
  task: tasks.flow,
  plot: true,
  checkpoint: true,
  // A gradient at this size takes longer than a signal may wait: run on a thread Ctrl-C terminates.
  isolate: ({ parameters: q }) => tensorEntries(q.n, q.p) >= isolateAbove(),
  label: (params) => `flow ${params.parameters.method}`,
  summary(result, params, out) {
    const f = result.final;
    let text =
      `wrote ${out}: ${params.parameters.method} to t = ${f.t}: m = ${f.m.toFixed(6)}, e = ${f.energy.toFixed(6)}, μ = ${f.mu.toFixed(6)}, ` +
      `|grad|/√N = ${f.gradNorm.toExponential(3)}` +
      (f.lambdaMin === null
        ? ''
        : `, λmin = ${f.lambdaMin.toFixed(6)} (squared signal overlap ${f.lambdaMinOverlap?.toFixed(4)})`) +
      '\n';
    if (f.deltapEff !== undefined)
      text += `annealed: the loss at t = ${f.t} sees Δp_eff = ${f.deltapEff.toPrecision(6)}; e with the true Δp = ${f.energyPlain?.toFixed(6)}\n`;
    const ref = result.largeN;
    if (ref !== null) {
      text +=
        `large-N ${ref.kind} (THEORY §3): ${ref.m === null ? '' : `m = ${ref.m.toFixed(6)}, `}e = ${ref.energy.toFixed(6)}, ` +
        `μ = ${ref.mu.toFixed(6)}${ref.lambdaMin === null ? '' : `, λmin = ${ref.lambdaMin.toFixed(6)} (THEORY §4.1)`}\n`;
    }
    return text;
  },
});
