/**
 * `saddlesurf phase-diagram`: every threshold line of THEORY §5 on a grid of Δp and the
 * Bayes-optimal regions; the computation, its flags and files are the `phase-diagram` task
 * (src/tasks/phaseDiagram.ts). `--json` prints `{"p", "deltap": [...], "lines": {name: [...]},
 * "out"}`; `--plot` draws the phase diagram (`phase-diagram.svg`/`.png`).
 */
import { LINE_NAMES } from '../../phase/index.ts';
import type { PhaseDiagramDocument, PhaseDiagramParams } from '../../tasks/phaseDiagram.ts';
import { taskCommand } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

export const command = taskCommand<PhaseDiagramParams, PhaseDiagramDocument>({
  task: tasks['phase-diagram'],
  plot: true,
  summary: (_result, params, out) =>
    params.sweptOrder === undefined
      ? `wrote ${out}: ${LINE_NAMES.length} threshold lines on ${params.points} values of Δp in ` +
        `[${params.deltapMin}, ${params.deltapMax}] for p = ${params.p}, and the Bayes-optimal regions\n`
      : `wrote ${out}: the channel threshold lines on ${params.points} values of Δ${params.sweptOrder} in ` +
        `[${params.deltapMin}, ${params.deltapMax}] with ${params.channels?.map((c) => `Δ${c.order} = ${c.delta}`).join(', ') || 'no other tensor channel'} ` +
        '(the 2+p-only lines and the Bayes-optimal regions are not computed for channels)\n',
});
