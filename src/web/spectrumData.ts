/**
 * The data of the Hessian-spectrum panel (THEORY §4.1): the bulk semicircle sampled
 * on its support and the tidy CSV of the figure. Kept apart from the figure builder
 * (`spectrum.ts`) so the page's first bundle does not need Observable Plot.
 */
import { toCsv } from '../io/csv.ts';
import { bulkDensity } from '../landscape/index.ts';
import { VERSION } from '../version.ts';
import type { LandscapeResult } from './api.ts';
import type { PanelPoint } from './panelCsv.ts';

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
 * along 1/Δ2, each row ending with the panel's p, Δp and the version (`panelCsv.ts`); inv_delta2
 * is the panel's 1/Δ2 on the bulk and outlier rows and the swept value on the lowest_vs_snr rows.
 */
export function spectrumCsv(r: LandscapeResult, at: PanelPoint): string {
  const invDelta2 = at.invDelta2;
  const s = r.spectrum;
  const rows: (string | number | null)[][] = bulkCurve(s).map((b) => [
    'bulk',
    invDelta2,
    b.lambda,
    b.density,
    null,
  ]);
  if (s.outlier !== null) rows.push(['outlier', invDelta2, s.outlier, null, s.outlierOverlap]);
  const sweep = r.lowestVsSnr;
  for (let i = 0; i < sweep.invDelta2.length; i++)
    rows.push(['lowest_vs_snr', sweep.invDelta2[i]!, sweep.lowest[i]!, null, null]);
  return toCsv(
    ['part', 'inv_delta2', 'lambda', 'density', 'outlier_overlap_sq', 'p', 'deltap', 'version'],
    rows.map((row) => [...row, at.p, at.deltap, VERSION]),
  );
}
