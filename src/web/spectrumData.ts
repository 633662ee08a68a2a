/**
 * The data of the Hessian-spectrum panel (THEORY §4.1): the bulk semicircle sampled
 * on its support and the tidy CSV of the figure. Kept apart from the figure builder
 * (`spectrum.ts`) so the page's first bundle does not need Observable Plot.
 */
import { type CsvValue, toCsv } from '../io/csv.ts';
import { bulkDensity } from '../landscape/index.ts';
import type { LandscapeResult } from './api.ts';
import { POINT_COLUMNS, pointCells } from './panelCsv.ts';

export type Spectrum = LandscapeResult['spectrum'];

/**
 * Points at which the bulk density is drawn: the default of `saddlesurf landscape
 * --spectrum-points`, so the CSVs agree row by row (and a semicircle is smooth at 600 px).
 */
export const DENSITY_POINTS = 201;

/** The semicircle density `ρ(λ) = √(4σ² − (λ−μ)²)/(2πσ²)` sampled across the bulk (endpoints included). */
export function bulkCurve(s: Spectrum): { lambda: number; density: number }[] {
  const out: { lambda: number; density: number }[] = [];
  for (let i = 0; i < DENSITY_POINTS; i++) {
    const lambda = s.bulkLower + ((s.bulkUpper - s.bulkLower) * i) / (DENSITY_POINTS - 1);
    out.push({ lambda, density: bulkDensity(lambda, s.mu, s.sigma) });
  }
  return out;
}

/**
 * Tidy CSV of the figure: bulk density samples, the outlier (if any), and the lowest eigenvalue
 * along 1/Δ2, each row ending with the p, Δp, version and command of the `landscape` run it comes
 * from (`panelCsv.ts`): the panel's run on the bulk and outlier rows, the sweep's run at that
 * 1/Δ2 on the lowest_vs_snr rows (its `zeroOverlap.lowestEigenvalue`).
 */
export function spectrumCsv(r: LandscapeResult): string {
  const at = pointCells(r.provenance);
  const s = r.spectrum;
  const rows: CsvValue[][] = bulkCurve(s).map((b) => ['bulk', b.lambda, b.density, null, ...at]);
  if (s.outlier !== null) rows.push(['outlier', s.outlier, null, s.outlierOverlap, ...at]);
  const sweep = r.lowestVsSnr;
  for (let i = 0; i < sweep.invDelta2.length; i++) {
    const [p, deltap, , version] = at;
    rows.push([
      'lowest_vs_snr',
      sweep.lowest[i]!,
      null,
      null,
      p,
      deltap,
      sweep.invDelta2[i]!,
      version,
      sweep.commands[i],
    ]);
  }
  return toCsv(['part', 'lambda', 'density', 'outlier_overlap_sq', ...POINT_COLUMNS], rows);
}
