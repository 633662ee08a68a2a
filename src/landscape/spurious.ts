/**
 * Spurious minima: local minima at overlaps other than the signal minimum, counted by
 * their complexity Σ_min(m) (THEORY §4.2). The landscape is "trivial" when none has
 * positive complexity. For odd p a thin band of spurious minima sits at negative m,
 * so two conventions are offered (THEORY §4.2):
 * - `'all'`: every overlap m ∈ (−1, 1);
 * - `'nonNegative'`: only m ∈ [0, 1).
 */

import type { Covariance } from '../model/index.ts';
import { allRoots, brentMinimize, brentRoot } from '../numerics/index.ts';
import { complexityMinima } from './complexity.ts';

/**
 * Which overlaps count: all m, or m ≥ 0 only (THEORY §4.2). `'nonPositive'` (m ≤ 0 only)
 * is the other half: `'all'` is the better of the two halves.
 */
export type OverlapConvention = 'all' | 'nonNegative' | 'nonPositive';

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
  if (convention === 'nonNegative') return halfSpurious(cov, 1, points);
  if (convention === 'nonPositive') return halfSpurious(cov, -1, points);
  const right = halfSpurious(cov, 1, points);
  // An even f has Σ_min(−m) = Σ_min(m): the m ≤ 0 half is the mirror image of the m ≥ 0 one.
  if (isEven(cov)) return right;
  const left = halfSpurious(cov, -1, points);
  return left.complexity > right.complexity ? left : right;
}

/** Whether f has only even orders (then Σ(−m, μ) = Σ(m, μ): both overlap signs are equivalent). */
export function isEven(cov: Covariance): boolean {
  return cov.terms.every((t) => t.order % 2 === 0);
}

/**
 * The scan grid on one half, sign·[0, M_EDGE]: `points` uniform intervals, plus geometric
 * clusters (offsets w·2^{−k}, down to ~1e-9 of w) around m = 0 and around every
 * deterministic point (end-state solutions) on that side. Bands of spurious minima live
 * at the scale √((q2 − q1)/q2) around m = 0 when the tensor channel is weak (Δp ≳ 1e3:
 * 400 uniform points miss them), and shrink into a deterministic point before they
 * vanish (Δp ≲ 1e-3); the clusters resolve both, so the spurious complexity seen by the
 * root finding no longer jumps when a band slips between grid points.
 */
function scanGrid(cov: Covariance, sign: 1 | -1, points: number): number[] {
  const xs: number[] = [];
  for (let i = 0; i <= points; i++) xs.push((M_EDGE * i) / points);
  const centres = [0, ...deterministicPoints(cov, sign).map((m) => sign * m)];
  for (const c of centres) {
    for (let k = 0; k <= 30; k++) {
      const d = CLUSTER_WIDTH * 2 ** -k;
      xs.push(c - d, c + d);
    }
    xs.push(c);
  }
  const kept = xs.filter((x) => x >= 0 && x <= M_EDGE).sort((u, v) => u - v);
  return kept.filter((x, i) => i === 0 || x > kept[i - 1]).map((x) => sign * x);
}

/** Half-width of the clusters of `scanGrid`. */
const CLUSTER_WIDTH = 0.05;

/** |m| of the end-state solutions `(f'(m)/m)²(1 − m²) = f'(1)` with sign(m) = sign, increasing. */
function deterministicPoints(cov: Covariance, sign: 1 | -1): number[] {
  const q1 = cov.df(1);
  const residual = (x: number) => {
    const g = cov.df(sign * x) / (sign * x);
    return g * g * (1 - x * x) - q1;
  };
  // Only cluster centres: a root pair missed by the 400-interval scan just loses its cluster.
  return allRoots(residual, 1e-9, 1 - 1e-12, { points: 400, tol: 1e-15 });
}

/** Every local maximum of Σ_min on a sorted grid, refined by Brent between its neighbours. */
function gridMaxima(sigmaMin: (m: number) => number, xs: number[]): Array<{ x: number; value: number }> {
  const fs = xs.map(sigmaMin);
  const out: Array<{ x: number; value: number }> = [];
  const n = xs.length - 1;
  for (let i = 0; i <= n; i++) {
    const left = i > 0 ? fs[i - 1] : Number.NEGATIVE_INFINITY;
    const right = i < n ? fs[i + 1] : Number.NEGATIVE_INFINITY;
    if (!(fs[i] >= left && fs[i] > right) && !(fs[i] > left && fs[i] >= right)) continue;
    // A "maximum" above its lower neighbour by rounding only (flat Σ_min in a dense cluster) is
    // not worth a Brent refinement: keep the grid value.
    if (fs[i] - Math.min(left, right) <= 1e-15 * (1 + Math.abs(fs[i]))) {
      out.push({ x: xs[i], value: fs[i] });
      continue;
    }
    const a = xs[Math.max(0, i - 1)];
    const b = xs[Math.min(n, i + 1)];
    const r = brentMinimize((m) => -sigmaMin(m), Math.min(a, b), Math.max(a, b), { tol: 1e-12 });
    out.push(-r.value > fs[i] ? { x: r.x, value: -r.value } : { x: xs[i], value: fs[i] });
  }
  return out;
}

/** {@link spuriousMinima} on one half of the overlaps: sign·m ∈ [0, M_EDGE]. */
function halfSpurious(cov: Covariance, sign: 1 | -1, points: number): SpuriousMinima {
  const sigmaMin = (m: number) => complexityMinima(cov, m).complexity;
  const peaks: Array<{ x: number; value: number }> = [];
  for (const p of gridMaxima(sigmaMin, scanGrid(cov, sign, points))) {
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
