/**
 * The tidy CSVs behind the explorer's phase, landscape and threshold panels. Like every file
 * the CLI writes, each row carries what reproduces it: the model point (p, Δp, 1/Δ2 where the
 * panel is at one point) and the saddlesurf version (the dynamics panel: `dynamicsCsv.ts`).
 */
import { toCsv } from '../io/csv.ts';
import { VERSION } from '../version.ts';
import type { LandscapeResult, PhaseResult } from './api.ts';

/** The model point a panel's numbers were computed at (the view's values when the job ran). */
export interface PanelPoint {
  readonly p: number;
  readonly deltap: number;
  readonly invDelta2: number;
}

/** The columns that end every one-point CSV. */
export const POINT_COLUMNS = ['p', 'deltap', 'inv_delta2', 'version'] as const;

const pointCells = (at: PanelPoint) => [at.p, at.deltap, at.invDelta2, VERSION];

/**
 * Σ_min(m) of the complexity panel (THEORY §4.2): one row per overlap.
 * @example
 * const land = { m: Float64Array.of(0), complexity: Float64Array.of(0.01), mu: Float64Array.of(3.4) };
 * complexityCsv(land as never, { p: 3, deltap: 1, invDelta2: 3 }).split('\n')[1]; // '0,0.01,3.4,3,1,3,0.2.0' (with this version)
 */
export function complexityCsv(land: LandscapeResult, at: PanelPoint): string {
  const tail = pointCells(at);
  return toCsv(
    ['m', 'sigma_min', 'mu', ...POINT_COLUMNS],
    Array.from(land.m, (m, i) => [m, land.complexity[i]!, land.mu[i]!, ...tail]),
  );
}

/** One row of the threshold table: a key, its value (null where it does not exist). */
export type ThresholdRow = readonly [key: string, label: string, value: number | null];

/** The threshold table at one point (THEORY §4–§6): one row per quantity. */
export function thresholdsCsv(rows: readonly ThresholdRow[], at: PanelPoint): string {
  const tail = pointCells(at);
  return toCsv(
    ['quantity', 'value', ...POINT_COLUMNS],
    rows.map(([key, , value]) => [key, value, ...tail]),
  );
}

/**
 * The phase diagram of order p (THEORY §5, §6): one row per Δp, every line's 1/Δ2 and the Bayes
 * regions as `region:from:to` intervals of 1/Δ2, then the version.
 */
export function phaseCsv(result: PhaseResult): string {
  const names = Object.keys(result.table[0]?.values ?? {});
  const regions = new Map<number, string[]>();
  // The drawn bands include zero-height rows that close a band between grid points; the CSV
  // lists the real intervals at each Δp, in order of 1/Δ2.
  const rows = result.data.regions
    .filter((r) => r.invDelta2To > r.invDelta2From)
    .sort((a, b) => a.deltap - b.deltap || a.invDelta2From - b.invDelta2From);
  for (const r of rows) {
    const to = r.invDelta2To === Number.POSITIVE_INFINITY ? 'inf' : String(r.invDelta2To);
    const list = regions.get(r.deltap) ?? [];
    list.push(`${r.region}:${r.invDelta2From}:${to}`);
    regions.set(r.deltap, list);
  }
  return toCsv(
    ['p', 'deltap', ...names, 'bayes_regions', 'version'],
    result.table.map((r) => [
      result.data.p,
      r.deltap,
      ...names.map((n) => r.values[n as keyof typeof r.values]),
      (regions.get(r.deltap) ?? []).join(' '),
      VERSION,
    ]),
  );
}
