/**
 * `saddlesurf dmft`: the large-N dynamics (THEORY §3); the computation, its flags and files are
 * the `dmft` task (src/tasks/dmft.ts). `--json` prints the task's document with `out` appended;
 * `--plot` draws m(t), μ(t), e(t) (`dynamics.svg`, `dynamics.png`).
 */
import type { DmftDocument, DmftParams } from '../../tasks/dmft.ts';
import { taskCommand } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

export const command = taskCommand<DmftParams, DmftDocument>({
  task: tasks.dmft,
  plot: true,
  checkpoint: true,
  label: (params) => `dmft ${params.grid}`,
  warning: (document) => document.reason ?? document.warning,
  summary(result, params, out) {
    const f = result.final;
    return (
      `${result.status === 'partial' ? 'PARTIAL (see the warning above): ' : ''}t = ${f.t}: m = ${f.m.toFixed(6)}, μ = ${f.mu.toFixed(6)}, e = ${f.energy.toFixed(6)}; ` +
      `m reaches ${params.escapeLevel} at t = ${result.escapeTime === null ? 'never' : result.escapeTime.toPrecision(6)}\n` +
      `wrote ${out}\n`
    );
  },
});
