/**
 * What the explorer's worker computes. Plain functions over the library barrels,
 * environment-free, so they run in a Web Worker and (for tests) in Node; the CLI
 * calls the same library functions with the same parameters.
 */

import { bayesPhase, bayesRegions } from '../amp/index.ts';
import {
  complexityMinima,
  hessianSpectrum,
  signalMinimum,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
} from '../landscape/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { LINE_NAMES, type LineName, thresholdLines, thresholds } from '../phase/index.ts';
import type { PhaseDiagramData, PhaseLine, RegionRow } from '../plot/phaseDiagram.ts';
import { VERSION } from '../version.ts';

/** The model at one point of the phase diagram (THEORY §1). */
export interface ModelPoint {
  readonly p: number;
  readonly delta2: number;
  readonly deltap: number;
}

/** Overlaps at which Σ_min(m) is evaluated: 801 points on (−1, 1), both signs (THEORY §4.2: odd p has a band at m < 0). */
export const COMPLEXITY_GRID = 801;

/** Landscape at one point: Σ_min(m), the threshold states and their Hessian spectrum. */
export interface LandscapeResult {
  /** Overlap grid and Σ_min(m) on it (THEORY §4.2). */
  readonly m: Float64Array;
  readonly complexity: Float64Array;
  /** The multiplier of the dominant minima at each m. */
  readonly mu: Float64Array;
  /** The signal minimum (GF end state, Σ = 0), or null when none exists (THEORY §3 identities). */
  readonly signal: { readonly m: number; readonly mu: number; readonly energy: number } | null;
  /** Threshold states at m = 0 (THEORY §4.1–4.2). */
  readonly threshold: {
    readonly mu: number;
    readonly energy: number;
    readonly complexity: number;
  };
  /** Hessian spectrum of the threshold states (m = 0, μ = μ_th), THEORY §4.1. */
  readonly spectrum: {
    readonly mu: number;
    readonly sigma: number;
    readonly theta: number;
    readonly bulkLower: number;
    readonly bulkUpper: number;
    readonly outlier: number | null;
    readonly outlierOverlap: number | null;
  };
}

/**
 * Σ_min(m), the threshold states and their Hessian spectrum at one model point.
 * @example
 * const r = landscape({ p: 3, delta2: 1 / 3, deltap: 1 });
 * r.spectrum.outlier; // 3 − 2 − 4/3 < 0: above the GF threshold the threshold states are saddles
 */
export function landscape(point: ModelPoint): LandscapeResult {
  const cov = spikedCovariance(point);
  const n = COMPLEXITY_GRID;
  const m = new Float64Array(n);
  const complexity = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // Open interval: Σ → −∞ at |m| = 1 (the ½ ln(1 − m²) term).
    m[i] = -1 + (2 * (i + 1)) / (n + 1);
    const best = complexityMinima(cov, m[i]);
    complexity[i] = best.complexity;
    mu[i] = best.mu;
  }
  const star = signalMinimum(cov);
  const muTh = thresholdMultiplier(cov);
  const s = hessianSpectrum(cov, 0, muTh);
  return {
    m,
    complexity,
    mu,
    signal: star === null ? null : { m: star.m, mu: star.mu, energy: star.energy },
    threshold: { mu: muTh, energy: thresholdEnergy(cov), complexity: thresholdComplexity(cov) },
    spectrum: {
      mu: s.mu,
      sigma: s.sigma,
      theta: s.theta,
      bulkLower: s.bulkLower,
      bulkUpper: s.bulkUpper,
      outlier: s.outlier,
      outlierOverlap: s.outlierOverlap,
    },
  };
}

/**
 * Δp grid of the phase diagram: 120 points log-spaced on [0.02, 4], dense where the
 * lines bend (small Δp, THEORY §5: 1/Δ2^GF ~ √(p/Δp) there).
 */
export const PHASE_DELTAPS: readonly number[] = Array.from(
  { length: 120 },
  (_, i) => 0.02 * 200 ** (i / 119),
);

/** How each threshold of `phase/` is drawn on the diagram (Bayes lines are the region edges instead). */
const DRAWN: Partial<Record<LineName, Pick<PhaseLine, 'kind' | 'convention'>>> = {
  gf: { kind: 'gf' },
  mlAmp: { kind: 'mlAmp' },
  mlAmpSpinodal: { kind: 'mlAmpSpinodal' },
  trivAllM: { kind: 'triv', convention: 'all' },
  trivNonNegativeM: { kind: 'triv', convention: 'nonNegative' },
  langevinConjecture: { kind: 'langevinConjecture' },
};

/** The phase diagram and the tidy table of its lines (for the CSV export). */
export interface PhaseResult {
  readonly data: PhaseDiagramData;
  /** One row per Δp: every line of `phase/` (null where it does not exist). */
  readonly table: { readonly deltap: number; readonly values: Record<LineName, number | null> }[];
}

/**
 * The phase diagram of order p (THEORY §5, §6): threshold lines from `phase/`, Bayes
 * regions from `amp/` on {@link PHASE_DELTAPS}.
 * @example
 * phaseDiagramData(3).data.lines.find((l) => l.kind === 'gf')!.points[0]; // {deltap: 0.02, invDelta2: 1/Δ2^GF(0.02)}
 */
export function phaseDiagramData(p: number): PhaseResult {
  const lines = thresholdLines(p, PHASE_DELTAPS);
  const drawn: PhaseLine[] = [];
  for (const name of LINE_NAMES) {
    const style = DRAWN[name];
    if (style === undefined) continue;
    drawn.push({
      ...style,
      points: PHASE_DELTAPS.map((deltap, i) => ({ deltap, invDelta2: lines[name][i] ?? Number.NaN })),
    });
  }
  const regions: RegionRow[] = [];
  for (const deltap of PHASE_DELTAPS) {
    const seen = new Map<string, number>();
    for (const r of bayesRegions(p, deltap)) {
      const segment = seen.get(r.region) ?? 0;
      seen.set(r.region, segment + 1);
      regions.push({ region: r.region, segment, deltap, invDelta2From: r.from, invDelta2To: r.to });
    }
  }
  const table = PHASE_DELTAPS.map((deltap, i) => ({
    deltap,
    values: Object.fromEntries(LINE_NAMES.map((n) => [n, lines[n][i]])) as Record<LineName, number | null>,
  }));
  return { data: { p, lines: drawn, regions, measured: [] }, table };
}

/** Every threshold at the selected Δp and the Bayes region of the selected point (THEORY §5, §6.2). */
export function pointThresholds(point: ModelPoint): {
  readonly lines: Record<LineName, number | null>;
  readonly bayes: 'impossible' | 'hard' | 'easy';
} {
  return { lines: thresholds(point.p, point.deltap), bayes: bayesPhase(point.p, point.deltap, point.delta2) };
}

/** The worker API (each method is called through Comlink from the page). */
export const api = {
  /** Package version (shown in exports' provenance). */
  hello(): { version: string } {
    return { version: VERSION };
  },
  landscape,
  phaseDiagramData,
  pointThresholds,
};
