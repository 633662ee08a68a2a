/**
 * Spurious minima: local minima at overlaps other than the signal minimum, counted by
 * their complexity Σ_min(m) (THEORY §4.2). The landscape is "trivial" when none has
 * positive complexity. For odd p a thin band of spurious minima sits at negative m,
 * so two conventions are offered (THEORY §4.2):
 * - `'all'`: every overlap m ∈ (−1, 1);
 * - `'nonNegative'`: only m ∈ [0, 1).
 */

import type { Covariance } from '../model/index.ts';
import { localMaxima } from '../numerics/index.ts';
import { complexityMinima } from './complexity.ts';
import { endStateOverlaps } from './signal.ts';

/** Which overlaps count: all m, or m ≥ 0 only (THEORY §4.2). */
export type OverlapConvention = 'all' | 'nonNegative';

/** The most numerous spurious minima: the largest local maximum of Σ_min(m) away from the signal. */
export interface SpuriousMinima {
  /** Their complexity (max of Σ_min over the spurious local maxima); > 0 means exponentially many. */
  readonly complexity: number;
  /** Overlap where it is attained. */
  readonly m: number;
  /** Lagrange multiplier of those minima. */
  readonly mu: number;
  /** Their typical energy. */
  readonly energy: number;
}

/** Options of {@link spuriousMinima}. */
export interface SpuriousOptions {
  /** Overlap convention (default `'all'`). */
  readonly convention?: OverlapConvention;
  /** Grid intervals for the scan in m (default 400: bands are ≳ 0.02 wide; the peaks are then refined). */
  readonly points?: number;
}

// Largest |m| scanned: Σ_min → −∞ like ½ ln(1 − m²) at the poles, so nothing is lost beyond.
const M_EDGE = 1 - 1e-6;
// A local maximum closer than this to a signal overlap is the signal minimum itself.
const SIGNAL_EXCLUSION = 1e-4;

/**
 * The overlaps at which Σ_min touches 0 because of the signal minima: the largest
 * solution of the end-state equation (THEORY §3) and, for an even covariance, its mirror.
 */
function signalOverlaps(cov: Covariance): number[] {
  const roots = endStateOverlaps(cov);
  if (roots.length === 0) return [];
  const m = roots[roots.length - 1];
  const even = cov.terms.every((t) => t.order % 2 === 0);
  return even ? [m, -m] : [m];
}

/**
 * The spurious minima with the largest complexity: every local maximum of Σ_min(m) on
 * the convention's range of overlaps, excluding the signal minimum (where Σ_min touches
 * 0), refined by Brent; returns the best. The result is a smooth function of the model
 * parameters while a band exists, and stays defined (negative) once it has disappeared,
 * which is what root finding for the trivialisation threshold needs.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * // p = 3, Δp = 1 at the GF threshold 1/Δ2 = 2: the marginal minima at m = 0 are still numerous.
 * spuriousMinima(spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 })).complexity > 0; // true
 */
export function spuriousMinima(cov: Covariance, options: SpuriousOptions = {}): SpuriousMinima {
  const convention = options.convention ?? 'all';
  const points = options.points ?? 400;
  const lo = convention === 'all' ? -M_EDGE : 0;
  const signal = signalOverlaps(cov);
  const sigmaMin = (m: number) => complexityMinima(cov, m).complexity;
  const peaks = localMaxima(sigmaMin, lo, M_EDGE, { points, tol: 1e-12 }).filter(
    (p) => !signal.some((s) => Math.abs(p.x - s) < SIGNAL_EXCLUSION) && Math.abs(p.x) < M_EDGE,
  );
  let best = { complexity: Number.NEGATIVE_INFINITY, m: Number.NaN, mu: Number.NaN, energy: Number.NaN };
  for (const p of peaks) {
    if (p.value > best.complexity) {
      const c = complexityMinima(cov, p.x);
      best = { complexity: c.complexity, m: p.x, mu: c.mu, energy: c.energy };
    }
  }
  return best;
}
