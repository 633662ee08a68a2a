/**
 * The phase diagrams of `saddlesurf reproduce` (THEORY §5, §6), with the measured thresholds.
 * Pure and deterministic: no I/O, no clock, randomness only through seeded `Rng`s, so reruns
 * are identical.
 */
import { bayesRegions } from '../amp/index.ts';
import { thresholdLines } from '../phase/index.ts';
import {
  type MeasuredThreshold,
  type PhaseDiagramData,
  phaseLinesFromTable,
  type RegionRow,
  regionRowsFromIntervals,
} from '../plot/index.ts';
import type { EscapeConfig, PhaseConfig } from './config.ts';
import { totalThresholdError } from './escape.ts';
import {
  deviationSummary,
  ESCAPE_COLUMNS,
  type EscapeRuns,
  escapeRows,
  FIT_COLUMNS,
  fitRows,
  langevinFinding,
  seriesSentence,
  seriesSummary,
} from './escapeStage.ts';
import type { StageProgress, StageResult } from './types.ts';

/**
 * Log-spaced Δp grid of the phase diagram.
 * @example
 * deltapGrid({ ps: [3], deltapMin: 0.25, deltapMax: 8, points: 6 }); // [0.25, 0.5, 1, 2, 4, 8] (to rounding)
 */
export function deltapGrid(config: PhaseConfig): number[] {
  const { deltapMin: a, deltapMax: b, points } = config;
  return Array.from({ length: points }, (_, i) => (i === points - 1 ? b : a * (b / a) ** (i / (points - 1))));
}

/**
 * Phase diagrams for each p (THEORY §5, §6): threshold lines from `thresholdLines`, the
 * Bayes-optimal regions from `bayesRegions`, and the thresholds measured from escape times
 * (gradient flow, and Langevin T = 1 beside its conjectured line).
 * @example
 * const r = phaseDiagramStage(QUICK.phase, measureEscapes(QUICK.escape, () => {}), () => {});
 * r.tables.map((t) => t.name); // ['lines', 'regions', 'measured', 'escape-times']
 */
export function phaseDiagramStage(
  config: PhaseConfig,
  runs: EscapeRuns,
  progress: StageProgress,
  /** ln(level/m0) of the escape-time measurements (for the bias statement of the caption). */
  lambda?: number,
  /** The escape settings (for the Langevin solver statement of the caption). */
  escapeConfig?: EscapeConfig,
): StageResult {
  const deltaps = deltapGrid(config);
  const panels: PhaseDiagramData[] = [];
  const lineRows: (number | string | null)[][] = [];
  const regionRows: (number | string | null)[][] = [];
  for (const [k, p] of config.ps.entries()) {
    const lines = thresholdLines(p, deltaps);
    const columns = deltaps.map((deltap) => ({ deltap, intervals: bayesRegions(p, deltap) }));
    for (const { deltap, intervals } of columns) {
      const seen = new Map<string, number>();
      for (const r of intervals) {
        const segment = seen.get(r.region) ?? 0;
        seen.set(r.region, segment + 1);
        regionRows.push([p, deltap, r.region, segment, r.from, r.to]);
      }
    }
    // The drawn bands are joined across Δp by overlap: a region that splits (p = 4's easy region
    // around Δp ≈ 0.25–0.3) keeps tiling the plane instead of leaving a white wedge.
    const regions: RegionRow[] = regionRowsFromIntervals(columns);
    for (const [i, deltap] of deltaps.entries())
      for (const [name, values] of Object.entries(lines)) lineRows.push([p, deltap, name, values[i] ?? null]);
    const measured: MeasuredThreshold[] = [...runs.gf, ...runs.langevin]
      .filter((s) => s.p === p && s.fit !== null)
      .map((s) => ({
        method: s.temperature === 0 ? 'gf' : 'langevin',
        deltap: s.deltap,
        invDelta2: s.fit!.threshold,
        err: totalThresholdError(s)!,
      }));
    panels.push({ p, lines: phaseLinesFromTable(deltaps, lines), regions, measured });
    progress((k + 1) / config.ps.length, `p = ${p}`);
  }
  const all = [...runs.gf, ...runs.langevin];
  const caption =
    `Phase diagrams in the (Δp, 1/Δ2) plane for p = ${config.ps.join(' and ')} (THEORY §5, §6), Δp from ` +
    `${config.deltapMin} to ${config.deltapMax} (${config.points} log-spaced values, log axis). Background: ` +
    `Bayes-optimal regions (impossible / hard / easy, THEORY §6.2; for p = 4 the hard region is the ` +
    `thin band just above 1/Δ2 = 1 at Δp < 8/27, visible only at the left edge). Lines: gradient-flow threshold ` +
    `(closed form, THEORY §5), ML-AMP instability of m = 0 and its spinodal (§6.1), trivialisation ` +
    `in both conventions (§4.2: spurious minima at any m, solid green; only at m ≥ 0, dash-dotted; ` +
    `for even p the landscape is symmetric under m → −m and the two coincide, the dash-dotted line ` +
    `covering the solid one), ` +
    `and the Langevin T = 1 conjecture (§6.3, dashed, a conjecture). Hollow markers with capped ` +
    `error bars (±1σ): thresholds extrapolated from N = ∞ escape times (circles: gradient flow; ` +
    `diamonds: Langevin T = 1), see the escape-time figure.\n\n` +
    all.map(seriesSentence).join('\n\n') +
    (lambda === undefined
      ? ''
      : `\n\nGradient flow: ${deviationSummary(runs.gf, lambda)}\n\nLangevin T = 1 against the conjecture: ` +
        deviationSummary(runs.langevin, lambda)) +
    (runs.langevin.length === 0 ? '' : `\n\n${langevinFinding(runs.langevin, escapeConfig)}`);
  return {
    id: 'phase-diagram',
    title: 'Phase diagrams for p = 3 and p = 4',
    caption,
    figure: { kind: 'phaseDiagram', data: panels },
    tables: [
      { name: 'lines', columns: ['p', 'deltap', 'line', 'inv_delta2'], rows: lineRows },
      {
        name: 'regions',
        columns: ['p', 'deltap', 'region', 'segment', 'inv_delta2_from', 'inv_delta2_to'],
        rows: regionRows,
      },
      { name: 'measured', columns: FIT_COLUMNS, rows: fitRows(all) },
      { name: 'escape-times', columns: ESCAPE_COLUMNS, rows: escapeRows(all) },
    ],
    params: { ...config },
    keyNumbers: { measured: all.map(seriesSummary) },
  };
}
