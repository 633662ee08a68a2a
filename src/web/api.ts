/**
 * What the explorer's worker computes. Plain functions over the library barrels,
 * environment-free, so they run in a Web Worker and (for tests) in Node; the CLI
 * calls the same library functions with the same parameters.
 */
import {
  complexityMinima,
  hessianSpectrum,
  signalMinimum,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
} from '../landscape/index.ts';
import { spikedCovariance } from '../model/index.ts';
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

/** The worker API (each method is called through Comlink from the page). */
export const api = {
  /** Package version (shown in exports' provenance). */
  hello(): { version: string } {
    return { version: VERSION };
  },
  landscape,
};
