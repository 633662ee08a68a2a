/**
 * The data of a phase diagram (THEORY §5, §6), apart from its figure (`phaseDiagram.ts`): threshold
 * lines, Bayes regions and measured thresholds in the (Δp, 1/Δ2) plane, and their construction from
 * tables. No Observable Plot here, so a worker can build the data without loading the figure code.
 */

/** A point of a threshold line in the (Δp, 1/Δ2) plane; `null` (or NaN) where the line does not exist. */
export interface PhasePoint {
  deltap: number;
  invDelta2: number | null;
}

/** Which threshold a line shows; its colour, dash and default label follow from this. */
export type PhaseLineKind = 'gf' | 'mlAmp' | 'mlAmpSpinodal' | 'triv' | 'langevinConjecture';

/** Convention of the trivialisation line (THEORY §4.2): spurious minima at any m, or only m ≥ 0. */
export type TrivConvention = 'all' | 'nonNegative';

/** One threshold line, drawn through its points in the given order; non-finite points leave a gap. */
export interface PhaseLine {
  kind: PhaseLineKind;
  /** Required for `kind: 'triv'`, ignored otherwise. */
  convention?: TrivConvention;
  /** Legend text; defaults to a description of the kind (and convention). */
  label?: string;
  points: readonly PhasePoint[];
}

/** The Bayes-optimal regions of THEORY §6.2. */
export type BayesRegion = 'impossible' | 'hard' | 'easy';

/**
 * One vertical slice of a region: at this Δp, the region covers 1/Δ2 from
 * `invDelta2From` to `invDelta2To` (`Infinity` = to the top of the plot). Rows
 * with the same `region` and `segment` form one filled band; use several segments
 * when a region is split into disjoint pieces at the same Δp.
 */
export interface RegionRow {
  region: BayesRegion;
  segment?: number;
  deltap: number;
  invDelta2From: number;
  invDelta2To: number;
}

/** A threshold measured by extrapolating large-N escape times (THEORY §5), with its uncertainty in 1/Δ2. */
export interface MeasuredThreshold {
  /** `gf`: gradient flow (T = 0); `langevin`: Langevin at T = 1. */
  method: 'gf' | 'langevin';
  deltap: number;
  invDelta2: number;
  /** One-sigma uncertainty of the extrapolated 1/Δ2 (drawn as an error bar). */
  err: number;
}

/** Data of one panel (one tensor order p). */
export interface PhaseDiagramData {
  /** Tensor order, shown as the panel title. */
  p: number;
  /** Panel title instead of `p = …` (a model with several channels, issue 15). */
  title?: string;
  lines: readonly PhaseLine[];
  regions: readonly RegionRow[];
  measured: readonly MeasuredThreshold[];
}

/**
 * Threshold lines from a table of 1/Δ2 values on a Δp grid, keyed by the line
 * names of `src/phase/` (`thresholdLines`): `gf`, `mlAmp`, `mlAmpSpinodal`,
 * `trivAllM`, `trivNonNegativeM`, `langevinConjecture`. Other keys (the Bayes
 * lines, drawn as regions) are ignored; `null` entries become gaps.
 * @example
 * phaseLinesFromTable([0.5, 1], { gf: [2.56, 2], trivAllM: [null, 2.3] });
 * // [{ kind: 'gf', points: [...] }, { kind: 'triv', convention: 'all', points: [...] }]
 */
export function phaseLinesFromTable(
  deltaps: ArrayLike<number>,
  table: Readonly<Record<string, ArrayLike<number | null> | undefined>>,
): PhaseLine[] {
  const kinds: [string, PhaseLineKind, TrivConvention | undefined][] = [
    ['gf', 'gf', undefined],
    ['mlAmp', 'mlAmp', undefined],
    ['mlAmpSpinodal', 'mlAmpSpinodal', undefined],
    ['trivAllM', 'triv', 'all'],
    ['trivNonNegativeM', 'triv', 'nonNegative'],
    ['langevinConjecture', 'langevinConjecture', undefined],
  ];
  const out: PhaseLine[] = [];
  for (const [key, kind, convention] of kinds) {
    const values = table[key];
    if (values === undefined) continue;
    if (values.length !== deltaps.length) {
      throw new Error(`phaseLinesFromTable: "${key}" has ${values.length} values for ${deltaps.length} Δp`);
    }
    const points = Array.from({ length: deltaps.length }, (_, i) => ({
      deltap: deltaps[i]!,
      invDelta2: values[i]!,
    }));
    out.push(convention === undefined ? { kind, points } : { kind, convention, points });
  }
  return out;
}

/**
 * Region rows from the Bayes-optimal intervals along 1/Δ2 at each Δp (the shape of
 * `bayesRegions` in `src/amp/`: consecutive `{from, to, region}` covering [0, ∞)).
 * Intervals of the same region at neighbouring Δp are joined into one band when
 * they overlap in 1/Δ2 (the largest overlap wins); an interval that continues no
 * band starts a new one. A band that starts (ends) at some Δp is closed off by a
 * zero-height row at the previous (next) Δp, placed on the region boundary there
 * nearest to it, so the bands keep tiling the plane between grid points: no white
 * wedges where a region or a pocket appears, and a one-column pocket shows as a
 * thin wedge rather than vanishing.
 * @example
 * regionRowsFromIntervals([{ deltap: 2, intervals: [{ from: 0, to: 1, region: 'impossible' }, { from: 1, to: Infinity, region: 'easy' }] }]);
 */
export function regionRowsFromIntervals(
  columns: readonly {
    deltap: number;
    intervals: readonly { from: number; to: number; region: BayesRegion }[];
  }[],
): RegionRow[] {
  const sorted = [...columns].sort((a, b) => a.deltap - b.deltap);
  interface Band {
    region: BayesRegion;
    segment: number;
    last: { from: number; to: number } | null;
  }
  const bands: Band[] = [];
  const rows: RegionRow[] = [];
  const overlap = (a: { from: number; to: number }, b: { from: number; to: number }) =>
    Math.min(a.to, b.to) - Math.max(a.from, b.from);
  // The finite region boundary of a column nearest to an interval (its midpoint, or its lower end if unbounded).
  const nearestBoundary = (column: (typeof sorted)[number], iv: { from: number; to: number }) => {
    const centre = Number.isFinite(iv.to) ? (iv.from + iv.to) / 2 : iv.from;
    let best = Number.NaN;
    for (const b of column.intervals.flatMap((v) => [v.from, v.to])) {
      if (Number.isFinite(b) && !(Math.abs(b - centre) >= Math.abs(best - centre))) best = b;
    }
    return best;
  };
  const pinch = (band: Band, column: (typeof sorted)[number], value: number): RegionRow => ({
    region: band.region,
    segment: band.segment,
    deltap: column.deltap,
    invDelta2From: value,
    invDelta2To: value,
  });
  sorted.forEach((column, c) => {
    const continued = new Set<Band>();
    for (const iv of column.intervals) {
      let best: Band | undefined;
      let bestOverlap = 0;
      for (const band of bands) {
        if (band.region !== iv.region || band.last === null || continued.has(band)) continue;
        const o = overlap(band.last, iv);
        if (o > bestOverlap) {
          best = band;
          bestOverlap = o;
        }
      }
      if (best === undefined) {
        best = { region: iv.region, segment: bands.filter((b) => b.region === iv.region).length, last: null };
        bands.push(best);
        const previous = sorted[c - 1];
        if (previous !== undefined) rows.push(pinch(best, previous, nearestBoundary(previous, iv)));
      }
      continued.add(best);
      best.last = { from: iv.from, to: iv.to };
      rows.push({
        region: iv.region,
        segment: best.segment,
        deltap: column.deltap,
        invDelta2From: iv.from,
        invDelta2To: iv.to,
      });
    }
    for (const band of bands) {
      if (band.last === null || continued.has(band)) continue;
      rows.push(pinch(band, column, nearestBoundary(column, band.last)));
      band.last = null;
    }
  });
  // Plot draws each band through its rows in order: sort each band by Δp.
  return rows.sort((a, b) =>
    a.region !== b.region
      ? a.region.localeCompare(b.region)
      : (a.segment ?? 0) !== (b.segment ?? 0)
        ? (a.segment ?? 0) - (b.segment ?? 0)
        : a.deltap - b.deltap,
  );
}
