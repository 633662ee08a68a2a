/**
 * `saddlesurf census`: a finite-N census of the landscape (THEORY §2, §4); the computation, its
 * flags, checks and files are the `census` task (src/tasks/census.ts). `--json` prints the
 * task's document with `out` appended.
 */
import type { CensusDocument, CensusParams } from '../../tasks/census.ts';
import { taskCommand } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

const fmt = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

export const command = taskCommand<CensusParams, CensusDocument>({
  task: tasks.census,
  label: (params) => `census N = ${params.parameters.n}`,
  summary(d, params, out) {
    const s = d.summary;
    const q = params.parameters;
    const counts = Object.entries(s.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    let text =
      `wrote ${out}: ${s.instances} instance(s) × ${q.descents + 2 * q.signalStarts} descents at N = ${q.n}: ${counts}\n` +
      `distinct minima per instance ${fmt(s.distinctMinimaMean, 2)}; Σ ≈ ln(#)/N = ${fmt(s.sigmaEstimate)} ± ${fmt(s.sigmaEstimateStderr)} ` +
      `(Chao1 ${fmt(s.sigmaChao1)}), Kac–Rice max_m Σ_min(m) = ${fmt(s.kacRice)} at m = ${fmt(d.theory.kacRice.m, 3)}; ` +
      `gap ${fmt(s.gap)} (a census of R descents resolves Σ ≤ ln R/N = ${fmt(s.resolvableSigma)})\n`;
    const end = d.theory.gradientFlowEndState;
    if (d.bestMean !== null)
      text +=
        `lowest minimum found (mean over instances): m = ${fmt(d.bestMean.m)}, e = ${fmt(d.bestMean.energy)}, μ = ${fmt(d.bestMean.mu)}` +
        (end === null
          ? '; no GF end state with m > 0 (THEORY §3)\n'
          : `; GF end state (THEORY §3): m* = ${fmt(end.m)}, e* = ${fmt(end.energy)}, μ* = ${fmt(end.mu)}\n`);
    return text;
  },
});
