/**
 * `saddlesurf landscape`: the Kac–Rice landscape of one model (THEORY §4); the computation, its
 * flags and files are the `landscape` task (src/tasks/landscape.ts). `--json` prints the task's
 * document with `out` appended; `--plot` draws the complexity curves (`complexity.svg`/`.png`).
 */

import type { LandscapeDocument, LandscapeParams } from '../../tasks/landscape.ts';
import { taskCommand } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

export const command = taskCommand<LandscapeParams, LandscapeDocument>({
  task: tasks.landscape,
  plot: true,
  summary(result, _params, out) {
    const z = result.zeroOverlap;
    const s = result.signalMinimum;
    return (
      `wrote ${out}: threshold states at m = 0: μ_th = ${z.muThreshold.toFixed(6)}, ` +
      `e_th = ${z.energyThreshold.toFixed(6)}, Σ_min(0) = ${z.complexityMinima.toExponential(4)}, ` +
      `BBP outlier ${z.outlier === null ? 'none' : z.outlier.toFixed(6)}; ` +
      (s === null
        ? 'no signal minimum\n'
        : `signal minimum m* = ${s.m.toFixed(6)}, e* = ${s.energy.toFixed(6)}, Σ = ${s.complexity.toExponential(2)}\n`)
    );
  },
});
