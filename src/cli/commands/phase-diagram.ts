/**
 * `saddlesurf phase-diagram`: every threshold line of THEORY §5 on a grid of Δp and the
 * Bayes-optimal regions; the computation, its flags and files are the `phase-diagram` task
 * (src/tasks/phaseDiagram.ts). `--json` prints `{"p", "deltap": [...], "lines": {name: [...]},
 * "out"}`; `--plot` draws the phase diagram (`phase-diagram.svg`/`.png`).
 */
import { LINE_NAMES } from '../../phase/index.ts';
import { tasks } from '../../tasks/index.ts';
import type { PhaseDiagramDocument, PhaseDiagramParams } from '../../tasks/phaseDiagram.ts';
import { taskCommand } from '../taskCommand.ts';

export const command = taskCommand<PhaseDiagramParams, PhaseDiagramDocument>({
  task: tasks['phase-diagram'],
  plot: true,
  summary: (_result, params, out) =>
    `wrote ${out}: ${LINE_NAMES.length} threshold lines on ${params.points} values of Δp in ` +
    `[${params.deltapMin}, ${params.deltapMax}] for p = ${params.p}, and the Bayes-optimal regions\n`,
});
