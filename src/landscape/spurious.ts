/**
 * Spurious minima: local minima at overlaps other than the signal minimum, counted by
 * their complexity Σ_min(m) (THEORY §4.2). The landscape is "trivial" when none has
 * positive complexity. For odd p a thin band of spurious minima sits at negative m,
 * so two conventions are offered (THEORY §4.2):
 * - `'all'`: every overlap m ∈ (−1, 1);
 * - `'nonNegative'`: only m ∈ [0, 1).
 */

import type { Covariance } from '../model/index.ts';
import { brentRoot, localMaxima } from '../numerics/index.ts';
import { complexityMinima } from './complexity.ts';

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
// A local maximum closer than this to a deterministic stationary point, with |Σ| below
// ZERO_COMPLEXITY, is that point itself (Σ = 0 exactly), not a band of spurious minima.
const SIGNAL_EXCLUSION = 1e-4;
const ZERO_COMPLEXITY = 1e-9;

/**
 * Whether m is (within `SIGNAL_EXCLUSION`) a deterministic, zero-complexity minimum: a
 * solution m_d of the end-state equation of THEORY §3, `(f'(m)/m)²(1 − m²) = f'(1)`, at
 * positive or negative m, on its physical branch `0 < σχ ≤ 1` with `χ = m_d/f'(m_d)`
 * (σχ > 1 gives μ = σ(σχ + 1/(σχ)) on the wrong branch of the semicircle potential; there
 * Σ ≠ 0 and the point is not a stationary point of the landscape). The signal minimum is
 * one; for odd p a mirror minimum at negative m is another. Σ = 0 there exactly, which is
 * not "positive complexity" and must not be counted as a band of spurious minima. A band
 * of marginal minima can shrink into such a point exactly when it turns physical
 * (σχ = 1); this criterion makes the trivialisation threshold jump there cleanly.
 */
function deterministicKind(cov: Covariance, m: number): 'none' | 'physical' | 'unphysical' {
  if (m === 0) return 'none';
  const q1 = cov.df(1);
  const sigma = Math.sqrt(cov.d2f(1));
  const residual = (x: number) => {
    const g = cov.df(x) / x;
    return g * g * (1 - x * x) - q1;
  };
  const kind = (x: number) => {
    const chi = x / cov.df(x);
    return chi > 0 && sigma * chi <= 1 ? 'physical' : 'unphysical';
  };
  const r0 = residual(m);
  // A tangential (double) root has r ≈ 0 without a sign change.
  if (Math.abs(r0) <= 1e-10 * q1) return kind(m);
  for (const edge of [m - SIGNAL_EXCLUSION, m + SIGNAL_EXCLUSION]) {
    const x = Math.min(M_EDGE, Math.max(-M_EDGE, edge));
    if (x * m <= 0) continue;
    if (residual(x) * r0 <= 0) return kind(brentRoot(residual, Math.min(m, x), Math.max(m, x)));
  }
  return 'none';
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
  const sigmaMin = (m: number) => complexityMinima(cov, m).complexity;
  const peaks: Array<{ x: number; value: number }> = [];
  for (const p of localMaxima(sigmaMin, lo, M_EDGE, { points, tol: 1e-12 })) {
    if (!(Math.abs(p.x) < M_EDGE)) continue;
    if (Math.abs(p.value) >= ZERO_COMPLEXITY) {
      peaks.push(p);
      continue;
    }
    const kind = deterministicKind(cov, p.x);
    if (kind === 'physical') continue;
    // A band shrinking into a not-yet-physical deterministic point keeps a positive complexity
    // until the point turns physical (σχ = 1), even once it is below rounding: report it as
    // the smallest positive number so that the trivialisation threshold lands on that switch.
    peaks.push(kind === 'unphysical' ? { x: p.x, value: Math.max(p.value, Number.MIN_VALUE) } : p);
  }
  let best = { complexity: Number.NEGATIVE_INFINITY, m: Number.NaN, mu: Number.NaN, energy: Number.NaN };
  for (const p of peaks) {
    if (p.value > best.complexity) {
      const c = complexityMinima(cov, p.x);
      best = { complexity: Math.max(c.complexity, p.value), m: p.x, mu: c.mu, energy: c.energy };
    }
  }
  return best;
}
