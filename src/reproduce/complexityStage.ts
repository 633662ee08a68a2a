/**
 * Complexity of minima (THEORY §4.2): the complexity figure of `saddlesurf reproduce`.
 * Pure and deterministic: no I/O, no clock, randomness only through seeded `Rng`s, so reruns
 * are identical.
 */
import { complexityMinima, signalMinimum } from '../landscape/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { thresholds } from '../phase/index.ts';
import type { ComplexityRegime, ComplexityRow } from '../plot/index.ts';
import type { ComplexityConfig } from './config.ts';
import { fmt } from './format.ts';
import type { StageProgress, StageResult } from './types.ts';

/**
 * The three 1/Δ2 of the complexity figure: below the GF threshold, between GF and both
 * trivialisation lines, above trivialisation at any m (THEORY §4.2, §5).
 * @example
 * complexityPoints(3, 1).map((c) => c.invDelta2); // [1.8, 2.096, 2.875]
 */
export function complexityPoints(
  p: number,
  deltap: number,
): { invDelta2: number; regime: ComplexityRegime }[] {
  const t = thresholds(p, deltap);
  const gf = t.gf as number;
  const triv = t.trivAllM ?? gf;
  // "Between" is taken below BOTH trivialisation lines (THEORY §4.2): between GF and the m ≥ 0
  // line spurious minima exist on both sides of m = 0; between the two triv lines (odd p) only
  // at m < 0, which would make "between GF and triv" ambiguous.
  const lowerTriv = Math.min(triv, t.trivNonNegativeM ?? triv);
  return [
    { invDelta2: Number((0.9 * gf).toFixed(3)), regime: 'belowGf' },
    { invDelta2: Number(((gf + lowerTriv) / 2).toFixed(3)), regime: 'betweenGfTriv' },
    { invDelta2: Number((1.1 * triv).toFixed(3)), regime: 'aboveTriv' },
  ];
}

/**
 * Overlap grid of the complexity figure: symmetric, excluding the endpoints ±1.
 * @example
 * overlapGrid(3); // [−0.995, 0, 0.995] (to rounding)
 */
export function overlapGrid(points: number): number[] {
  return Array.from({ length: points }, (_, i) => -0.995 + (1.99 * i) / (points - 1));
}

/**
 * Σ_min(m) at three 1/Δ2 (THEORY §4.2), with the signal minimum marked.
 * @example
 * complexityStage(QUICK.complexity, () => {}).tables[0].rows.length; // 3 × 41
 */
export function complexityStage(config: ComplexityConfig, progress: StageProgress): StageResult {
  const { p, deltap } = config;
  const curves = complexityPoints(p, deltap);
  const ms = overlapGrid(config.points);
  const rows: ComplexityRow[] = [];
  const signal: { invDelta2: number; m: number }[] = [];
  const summary: Record<string, unknown>[] = [];
  for (const [k, c] of curves.entries()) {
    const cov = spikedCovariance({ p, delta2: 1 / c.invDelta2, deltap });
    let best = Number.NEGATIVE_INFINITY;
    let bestM = 0;
    for (const m of ms) {
      const s = complexityMinima(cov, m).complexity;
      rows.push({ invDelta2: c.invDelta2, m, complexity: s });
      if (s > best) {
        best = s;
        bestM = m;
      }
    }
    const sm = signalMinimum(cov);
    if (sm !== null) signal.push({ invDelta2: c.invDelta2, m: sm.m });
    summary.push({
      invDelta2: c.invDelta2,
      regime: c.regime,
      maxComplexity: best,
      atM: bestM,
      signalM: sm?.m ?? null,
    });
    progress((k + 1) / curves.length, `1/Δ2 = ${c.invDelta2}`);
  }
  const t = thresholds(p, deltap);
  const caption =
    `Complexity of local minima Σ_min(m) (annealed Kac–Rice, THEORY §4.2) for p = ${p}, Δp = ${deltap}, ` +
    `on ${config.points} overlaps in [−0.995, 0.995], at 1/Δ2 = ${curves.map((c) => c.invDelta2).join(', ')}: ` +
    `below the GF threshold (${fmt(t.gf as number)}), between GF and both trivialisation lines ` +
    `(${t.trivNonNegativeM === null ? 'none' : fmt(t.trivNonNegativeM)}: spurious minima at m ≥ 0 disappear; ` +
    `${t.trivAllM === null ? 'none' : fmt(t.trivAllM)}: at any m), ` +
    `and above trivialisation at any m (no spurious minima left). Marks: the signal minimum m* (THEORY §3, Σ = 0).\n\n` +
    summary
      .map(
        (s) =>
          `1/Δ2 = ${s.invDelta2}: max Σ_min = ${(s.maxComplexity as number).toExponential(2)} at m = ${fmt(s.atM as number, 3)}` +
          `${s.signalM === null ? '' : `, m* = ${fmt(s.signalM as number)}`}.`,
      )
      .join(' ');
  return {
    id: 'complexity',
    title: 'Complexity of minima below, between and above the thresholds',
    caption,
    figure: { kind: 'complexity', data: { p, deltap, curves, rows, signal } },
    tables: [
      {
        name: 'sigma',
        columns: ['inv_delta2', 'm', 'complexity'],
        rows: rows.map((r) => [r.invDelta2, r.m, r.complexity]),
      },
      { name: 'signal', columns: ['inv_delta2', 'm_star'], rows: signal.map((s) => [s.invDelta2, s.m]) },
    ],
    params: { ...config, invDelta2: curves.map((c) => c.invDelta2) },
    keyNumbers: { curves: summary },
  };
}
