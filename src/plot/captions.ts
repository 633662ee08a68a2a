/**
 * Figure captions generated from the data behind each figure, for `report.html`:
 * each states the parameters and the key numbers (thresholds with their
 * uncertainty next to the closed form, end states, crossing times), and names the
 * conventions (which trivialisation line is which, what is a conjecture). Plain
 * text; paragraphs separated by blank lines (see `buildReport`).
 */
import type { AmpVsGfData } from './ampVsGf.ts';
import type { ComplexityData } from './complexity.ts';
import type { DynamicsData } from './dynamics.ts';
import type { EscapeTimeData } from './escapeTime.ts';
import type { PhaseDiagramData } from './phaseDiagramData.ts';
import type { SurfingData } from './surfing.ts';
import { fmt } from './theme.ts';

/** First time a sampled series reaches `level` (linear interpolation between samples), or null. */
export function firstCrossing(
  rows: readonly { t: number; v: number }[],
  level: number,
  direction: 'up' | 'down' = 'up',
): number | null {
  const above = (v: number) => (direction === 'up' ? v >= level : v <= level);
  for (let i = 0; i < rows.length; i++) {
    const b = rows[i]!;
    if (!Number.isFinite(b.v) || !above(b.v)) continue;
    if (i === 0) return b.t;
    const a = rows[i - 1]!;
    if (!Number.isFinite(a.v)) return b.t;
    return a.t + ((level - a.v) / (b.v - a.v)) * (b.t - a.t);
  }
  return null;
}

/** Value of a threshold line at Δp by linear interpolation between its points, or null outside it. */
function lineAt(
  points: readonly { deltap: number; invDelta2: number | null }[],
  deltap: number,
): number | null {
  const pts = points
    .filter(
      (q): q is { deltap: number; invDelta2: number } => q.invDelta2 !== null && Number.isFinite(q.invDelta2),
    )
    .sort((a, b) => a.deltap - b.deltap);
  for (let i = 0; i < pts.length; i++) {
    const b = pts[i]!;
    if (b.deltap === deltap) return b.invDelta2;
    if (b.deltap > deltap) {
      if (i === 0) return null;
      const a = pts[i - 1]!;
      return a.invDelta2 + ((deltap - a.deltap) / (b.deltap - a.deltap)) * (b.invDelta2 - a.invDelta2);
    }
  }
  return null;
}

const pm = (x: number, err: number) => `${fmt(x)} ± ${fmt(err, 2)}`;

/**
 * Caption of a phase-diagram panel.
 * @example
 * phaseDiagramCaption(data); // 'Phase diagram for p = 3 …'
 */
export function phaseDiagramCaption(data: PhaseDiagramData): string {
  const kinds = new Set(
    data.lines.map((l) => (l.kind === 'triv' ? `triv-${l.convention ?? 'all'}` : l.kind)),
  );
  const parts = [
    `Phase diagram for p = ${data.p}: x-axis Δp (tensor noise), y-axis 1/Δ2 (matrix signal-to-noise ratio).`,
    'Background: Bayes-optimal regions (THEORY §6.2): impossible (grey), hard (orange), easy (blue).',
  ];
  const lines: string[] = [];
  if (kinds.has('gf')) lines.push('GF threshold 1/Δ2 = (1 + √(1 + 4(p−1)/Δp))/2 (blue, THEORY §5)');
  if (kinds.has('mlAmp')) lines.push('ML-AMP instability of m = 0, (1 + √(1 + 4/Δp))/2 (vermilion, §6.1)');
  if (kinds.has('mlAmpSpinodal')) lines.push('ML-AMP spinodal (vermilion dotted)');
  if (kinds.has('triv-all'))
    lines.push('trivialisation counting spurious minima at any m (green solid, §4.2)');
  if (kinds.has('triv-nonNegative')) lines.push('trivialisation counting only m ≥ 0 (black dash-dot)');
  if (kinds.has('langevinConjecture'))
    lines.push(
      'Langevin T = 1 threshold conjectured from marginal states (purple dashed, §6.3): a conjecture, not a result',
    );
  if (lines.length > 0) parts.push(`Lines: ${lines.join('; ')}.`);
  const gf = data.lines.find((l) => l.kind === 'gf');
  const measured = data.measured.map((m) => {
    const closed = m.method === 'gf' && gf !== undefined ? lineAt(gf.points, m.deltap) : null;
    const who = m.method === 'gf' ? 'GF' : 'Langevin T = 1';
    const vs =
      closed === null
        ? ''
        : ` (closed-form line ${fmt(closed)}, difference ${fmt(m.invDelta2 - closed, 2)} = ${fmt((m.invDelta2 - closed) / m.err, 2)} σ)`;
    return `${who} at Δp = ${fmt(m.deltap)}: 1/Δ2 = ${pm(m.invDelta2, m.err)}${vs}`;
  });
  if (measured.length > 0)
    parts.push(
      `Points: thresholds extrapolated from large-N escape times (THEORY §5), error bars one σ. ${measured.join('; ')}.`,
    );
  return parts.join('\n\n');
}

/** Caption of the gradient-flow dynamics figure. */
export function dynamicsCaption(data: DynamicsData, level = 0.5): string {
  const invs = [...new Set(data.theory.map((r) => r.invDelta2))].sort((a, b) => a - b);
  const parts = [
    `Gradient flow at p = ${data.p}, Δp = ${fmt(data.deltap)} for 1/Δ2 = ${invs.map((a) => fmt(a)).join(', ')}: overlap m(t), energy e(t) and multiplier μ(t) on a log time axis. Solid: large-N dynamics (THEORY §3).` +
      (data.finiteN !== undefined && data.finiteN.length > 0
        ? ` Dashed with band: finite-N runs${data.N !== undefined ? ` at N = ${data.N}` : ''}, mean and spread over ${data.seeds ?? 'several'} seeds.`
        : ''),
  ];
  const rows = invs.map((a) => {
    const series = data.theory.filter((r) => r.invDelta2 === a && r.t > 0);
    const hit = firstCrossing(
      series.map((r) => ({ t: r.t, v: r.m })),
      level,
    );
    const last = series[series.length - 1];
    const th = data.thresholds?.find((r) => r.invDelta2 === a);
    const thText = th !== undefined ? `, μ_th = 2σ = ${fmt(th.mu)}, e_th = ${fmt(th.e)}` : '';
    const end =
      last !== undefined
        ? `, at t = ${fmt(last.t)}: m = ${fmt(last.m)}, e = ${fmt(last.e)}, μ = ${fmt(last.mu)}`
        : '';
    const reach =
      hit === null
        ? `m does not reach ${fmt(level)} within the run`
        : `m reaches ${fmt(level)} at t ≈ ${fmt(hit, 3)}`;
    return `1/Δ2 = ${fmt(a)}: ${reach}${end}${thText}`;
  });
  parts.push(`${rows.join('; ')}.`);
  return parts.join('\n\n');
}

/** Caption of the "surfing on saddles" figure. */
export function surfingCaption(data: SurfingData, level = 0.5): string {
  const run = data.run.filter((r) => r.t > 0);
  const negative = run.find((r) => r.lambdaMin < 0);
  const positive = negative === undefined ? undefined : run.find((r) => r.t > negative.t && r.lambdaMin >= 0);
  const mHit = firstCrossing(
    run.map((r) => ({ t: r.t, v: r.m })),
    level,
  );
  const maxOverlap = run.reduce(
    (best, r) => (r.eigenvectorOverlap > best.eigenvectorOverlap ? r : best),
    run[0]!,
  );
  const parts = [
    `One gradient-flow run at N = ${data.N} (seed ${data.seed}), p = ${data.p}, Δp = ${fmt(data.deltap)}, 1/Δ2 = ${fmt(data.invDelta2)}: lowest eigenvalue λ_min of the Riemannian Hessian, squared overlap of its eigenvector with the signal, and m(t). Blue: N = ∞ prediction, the BBP outlier of THEORY §4.1 evaluated on the large-N trajectory (bulk edge μ − 2σ dotted).`,
  ];
  const facts: string[] = [];
  if (negative !== undefined)
    facts.push(
      `λ_min < 0 from t ≈ ${fmt(negative.t, 3)}${positive !== undefined ? ` to t ≈ ${fmt(positive.t, 3)}` : ' to the end of the run'} (a saddle)`,
    );
  else facts.push('λ_min ≥ 0 at every measured time');
  if (maxOverlap !== undefined)
    facts.push(
      `largest eigenvector overlap² ${fmt(maxOverlap.eigenvectorOverlap, 3)} at t ≈ ${fmt(maxOverlap.t, 3)}`,
    );
  facts.push(
    mHit === null
      ? `m does not reach ${fmt(level)} within the run`
      : `m reaches ${fmt(level)} at t ≈ ${fmt(mHit, 3)}`,
  );
  parts.push(`${facts.join('; ')}.`);
  return parts.join('\n\n');
}

/** Caption of the complexity figure. */
export function complexityCaption(data: ComplexityData): string {
  const regimes = {
    belowGf: 'below the GF threshold',
    betweenGfTriv: 'between GF and both trivialisation lines',
    aboveTriv: 'above trivialisation at any m',
  };
  const rows = data.curves.map((c) => {
    const pts = data.rows.filter((r) => r.invDelta2 === c.invDelta2 && Number.isFinite(r.complexity));
    const best = pts.reduce<(typeof pts)[number] | undefined>(
      (b, r) => (b === undefined || r.complexity > b.complexity ? r : b),
      undefined,
    );
    const positive = pts.filter((r) => r.complexity > 0).map((r) => r.m);
    const range =
      positive.length > 0
        ? `Σ > 0 for m in [${fmt(Math.min(...positive), 3)}, ${fmt(Math.max(...positive), 3)}]`
        : 'no m with Σ > 0';
    const star = data.signal?.find((s) => s.invDelta2 === c.invDelta2);
    return `1/Δ2 = ${fmt(c.invDelta2)}${c.regime !== undefined ? ` (${regimes[c.regime]})` : ''}: max Σ_min = ${best === undefined ? '—' : `${fmt(best.complexity, 3)} at m = ${fmt(best.m, 3)}`}, ${range}${star !== undefined ? `, signal minimum at m* = ${fmt(star.m)}` : ''}`;
  });
  return [
    `Annealed complexity of minima Σ_min(m) (THEORY §4.2) at p = ${data.p}, Δp = ${fmt(data.deltap)}. Σ < 0: no minima at that overlap.`,
    `${rows.join('; ')}.`,
  ].join('\n\n');
}

/** Caption of the escape-time figure. */
export function escapeTimeCaption(data: EscapeTimeData): string {
  const rows = data.cases.map((c) => {
    const n = data.points.filter((q) => q.caseId === c.id && Number.isFinite(q.time) && q.time > 0).length;
    const head = `p = ${c.p}, Δp = ${fmt(c.deltap)} (${n} runs)`;
    if (c.fit === undefined) return `${head}: no fit`;
    const f = c.fit;
    const closed =
      c.gfThreshold === undefined
        ? ''
        : `; closed form ${fmt(c.gfThreshold)}, difference ${fmt(f.threshold - c.gfThreshold, 2)} = ${fmt((f.threshold - c.gfThreshold) / f.thresholdError, 2)} σ`;
    return `${head}: a_c = ${pm(f.threshold, f.thresholdError)}, θ = ${fmt(f.exponent, 3)}, A = ${fmt(f.amplitude, 3)}${closed}`;
  });
  return [
    `Time for m to reach ${fmt(data.level)} in the large-N gradient-flow dynamics from a small initial overlap, against 1/Δ2, with the fit t ≈ A (1/Δ2 − a_c)^(−θ) (dashed), the fitted a_c ± error (band) and the closed-form GF threshold (dotted), THEORY §5.`,
    `${rows.join('; ')}.`,
  ].join('\n\n');
}

/** Caption of the ML-AMP versus gradient-flow figure. */
export function ampVsGfCaption(data: AmpVsGfData): string {
  const seLast = data.stateEvolution[data.stateEvolution.length - 1];
  const dmftLast = data.dmft[data.dmft.length - 1];
  const ampLast = data.ampFiniteN?.[data.ampFiniteN.length - 1];
  const gfLast = data.gfFiniteN?.[data.gfFiniteN.length - 1];
  const facts = [`closed form m* = ${fmt(data.fixedPoint)}`];
  if (seLast !== undefined)
    facts.push(`state evolution after ${seLast.iteration} iterations: m = ${fmt(seLast.m)}`);
  if (dmftLast !== undefined) facts.push(`large-N GF at t = ${fmt(dmftLast.t)}: m = ${fmt(dmftLast.m)}`);
  if (ampLast !== undefined)
    facts.push(
      `finite-N ML-AMP: m = ${fmt(ampLast.mean)} (spread ${fmt(ampLast.lo, 3)} … ${fmt(ampLast.hi, 3)})`,
    );
  if (gfLast !== undefined)
    facts.push(`finite-N GF: m = ${fmt(gfLast.mean)} (spread ${fmt(gfLast.lo, 3)} … ${fmt(gfLast.hi, 3)})`);
  return [
    `ML-AMP (left, against iterations) and gradient flow (right, against time) at p = ${data.p}, Δp = ${fmt(data.deltap)}, 1/Δ2 = ${fmt(data.invDelta2)} reach the same overlap: the ML-AMP fixed point equals the GF end state m* (THEORY §3, §6.1), dotted.${data.N !== undefined ? ` Finite-N runs at N = ${data.N}${data.seeds !== undefined ? `, ${data.seeds} seeds` : ''}.` : ''}`,
    `${facts.join('; ')}.`,
  ].join('\n\n');
}
