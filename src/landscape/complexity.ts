/**
 * Annealed Kac–Rice complexity of stationary points (THEORY §4.2), for any covariance f.
 *
 * With `q1 = f'(1)`, `q2 = f''(1)`, `σ = √q2`, `z = μ/σ`:
 * ```
 * Σ(m, μ) = ½ ln(q2/q1) + ½ ln(1−m²) − f'(m)²(1−m²)/(2 q1)
 *           − (μ − m f'(m))²/(2(q1+q2)) + Φ(z),
 * Φ(z)    = ∫ ln|z − s| ρ_sc(s) ds + ½   (unit semicircle of radius 2).
 * ```
 * Σ(m, ·) is concave in μ (Φ is concave and q2 ≥ q1 for the 2+p model), so each
 * maximisation over μ below has a unique solution.
 */

import type { Covariance } from '../model/index.ts';
import { brentRoot } from '../numerics/index.ts';
import { signalStrength } from './hessian.ts';

/**
 * `Φ(z) = ∫ ln|z − s| ρ_sc(s) ds + ½` for the semicircle of radius 2 (THEORY §4.2, last
 * line of Σ): `z²/4` inside the bulk, `z²/4 − (|z|/4)√(z²−4) + ln((|z|+√(z²−4))/2)` outside.
 * @example
 * semicircleLogPotential(2); // 1
 */
export function semicircleLogPotential(z: number): number {
  return (z * z) / 4 - semicircleTail(z);
}

/**
 * `z²/4 − Φ(z)`: 0 inside the bulk, `(|z|/4)w − asinh(w/2)` outside with `w = √(z²−4)`
 * (`ln((|z|+w)/2) = asinh(w/2)`). Both terms are ≈ w/2 and cancel to `w³/12 − w⁵/160 + …`:
 * below w = 1e-2 that series is used, so the tail keeps full relative precision just
 * outside the edge (where BBP minima sit when 1/Δ2 is just above the GF line).
 */
function semicircleTail(z: number): number {
  const a = Math.abs(z);
  if (a <= 2) return 0;
  const w2 = (a - 2) * (a + 2);
  const w = Math.sqrt(w2);
  if (w < 1e-2) return w * w2 * (1 / 12 - w2 / 160 + (3 * w2 * w2) / 3584);
  return (a / 4) * w - Math.asinh(w / 2);
}

/** Φ'(z): z/2 in the bulk, (z ∓ √(z²−4))/2 outside (the Stieltjes transform of the semicircle). */
function semicircleLogPotentialDerivative(z: number): number {
  if (Math.abs(z) <= 2) return z / 2;
  const q = Math.sqrt(z * z - 4);
  return z > 0 ? (z - q) / 2 : (z + q) / 2;
}

interface Moments {
  readonly q1: number;
  readonly q2: number;
  readonly sigma: number;
  /** q2 − q1 = Σ_k k(k−2) a_k, summed term by term (no cancellation: every term ≥ 0 for k ≥ 2). */
  readonly gap: number;
}

// Covariances are immutable; caching their moments saves two polynomial evaluations per call
// in the inner loops of the threshold computations.
const momentCache = new WeakMap<Covariance, Moments>();

/** The constants q1 = f'(1), q2 = f''(1), σ = √q2 of a covariance. */
function moments(cov: Covariance): Moments {
  let mo = momentCache.get(cov);
  if (mo === undefined) {
    const q1 = cov.df(1);
    const q2 = cov.d2f(1);
    let gap = 0;
    for (const t of cov.terms) gap += t.order * (t.order - 2) * t.coefficient;
    mo = { q1, q2, sigma: Math.sqrt(q2), gap };
    momentCache.set(cov, mo);
  }
  return mo;
}

function checkOverlap(m: number): void {
  if (!(Math.abs(m) < 1)) throw new RangeError(`overlap m must lie in (−1, 1), got ${m}`);
}

/**
 * Σ(m, μ): annealed complexity of stationary points at overlap m and Lagrange multiplier μ
 * (THEORY §4.2).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * // Pure 3-spin, m = 0, μ = 0: the total complexity ½ ln(p − 1).
 * complexity(spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 }), 0, 0); // ½ ln 2
 */
export function complexity(cov: Covariance, m: number, mu: number): number {
  checkOverlap(m);
  const { q1, q2, sigma, gap } = moments(cov);
  const fp = cov.df(m);
  const r0 = m * fp;
  const s = q1 + q2;
  // Written so that the O(1) parts cancel analytically: z²/4 − (μ − r0)²/(2S) with z = μ/σ
  // is (−μ²(q2 − q1)/q2 + 4μ r0 − 2r0²)/(4S) (no product of two q's: Δ ~ 1e300 underflows), and ½ ln(q2/q1) = ½ log1p((q2 − q1)/q1).
  // Near the pure matrix model (Δp ≫ 1) the complexities of minima are ~Δp⁻³ while the
  // textbook form sums O(1) terms; this form keeps their O(1/Δp) size instead.
  return (
    0.5 * Math.log1p(gap / q1) +
    0.5 * Math.log1p(-m * m) -
    (fp * fp * (1 - m * m)) / (2 * q1) +
    (-mu * mu * (gap / q2) + 4 * mu * r0 - 2 * r0 * r0) / (4 * s) -
    semicircleTail(mu / sigma)
  );
}

/** ∂Σ(m, μ)/∂μ; decreasing in μ. */
function complexitySlope(cov: Covariance, m: number, mu: number): number {
  const { q1, q2, sigma } = moments(cov);
  return -(mu - m * cov.df(m)) / (q1 + q2) + semicircleLogPotentialDerivative(mu / sigma) / sigma;
}

/**
 * The typical energy per coordinate of stationary points at (m, μ): with
 * `u = −e − f(m)` and `r = μ − m f'(m)` jointly Gaussian, covariance
 * `[[f(1), q1], [q1, q1+q2]]` (THEORY §4.2), it is `e = −f(m) − q1 r/(q1+q2)`.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const f = spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 });
 * typicalEnergy(f, 0, 2 * Math.sqrt(2)); // e_th = −2√2/3 for the pure 3-spin
 */
export function typicalEnergy(cov: Covariance, m: number, mu: number): number {
  const { q1, q2 } = moments(cov);
  // q1/(q1+q2) first: q1·μ overflows for 1/Δ ≳ 1e200 (energyThreshold was −∞ at Δp = 1e-300).
  return -cov.f(m) - (q1 / (q1 + q2)) * (mu - m * cov.df(m));
}

/**
 * Σ(m, e, μ): complexity of stationary points at overlap m, energy e and multiplier μ,
 * obtained by conditioning the Gaussian pair (u, r) of THEORY §4.2 on e:
 * `Σ(m, e, μ) = Σ(m, μ) − (u − q1 r/(q1+q2))² / (2 (f(1) − q1²/(q1+q2)))`.
 * When the conditional variance vanishes (pure p-spin: e and μ are tied) the result
 * is Σ(m, μ) on the tied energy and −∞ elsewhere.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const f = spikedCovariance({ p: 3, delta2: 1, deltap: 1 });
 * complexityWithEnergy(f, 0.1, typicalEnergy(f, 0.1, 3), 3) === complexity(f, 0.1, 3); // true
 */
export function complexityWithEnergy(cov: Covariance, m: number, e: number, mu: number): number {
  const { q1, q2 } = moments(cov);
  const base = complexity(cov, m, mu);
  const u = -e - cov.f(m);
  const mean = (q1 * (mu - m * cov.df(m))) / (q1 + q2);
  const variance = cov.f(1) - (q1 * q1) / (q1 + q2);
  const dev = u - mean;
  if (dev === 0) return base;
  // A conditional variance at rounding level means u is a deterministic function of r.
  if (variance <= 1e-14 * cov.f(1)) return Math.abs(dev) <= 1e-12 * (1 + Math.abs(e)) ? base : -Infinity;
  return base - (dev * dev) / (2 * variance);
}

/** Result of a maximisation of the complexity over the multiplier μ. */
export interface ComplexityMaximum {
  /** The maximal complexity. */
  readonly complexity: number;
  /** The multiplier where it is attained. */
  readonly mu: number;
  /** The typical energy of those stationary points, {@link typicalEnergy}(m, μ). */
  readonly energy: number;
}

/**
 * The unconstrained maximiser of Σ(m, ·): where ∂Σ/∂μ = 0, in closed form. With
 * `r0 = m f'(m)`, `S = q1 + q2`: inside the bulk (|z| ≤ 2) μ = 2q2·r0/(q2 − q1); outside,
 * `(q1 − q2) z + 2σ r0 = ±S √(z² − 4)` squares to the quadratic
 * `q1 q2 z² − σ r0 (q1 − q2) z − (q2 r0² + S²) = 0`, of which the root satisfying the
 * unsquared equation is kept. Brent on the slope is the fallback.
 */
function argmaxMu(cov: Covariance, m: number): number {
  const { q1, q2, sigma } = moments(cov);
  const r0 = m * cov.df(m);
  if (q2 > q1) {
    const mu = (2 * q2 * r0) / (q2 - q1);
    if (Math.abs(mu / sigma) <= 2) return mu;
  }
  const s = q1 + q2;
  const a = q1 * q2;
  const b = -sigma * r0 * (q1 - q2);
  const c = -(q2 * r0 * r0 + s * s);
  // c < 0 < a: two real roots of opposite signs; the stable form avoids cancellation.
  const disc = Math.sqrt(b * b - 4 * a * c);
  const qq = -0.5 * (b + (b >= 0 ? disc : -disc));
  const scale = 1 / sigma + Math.abs(r0) / s;
  for (const z of [qq / a, c / qq]) {
    if (!(Math.abs(z) > 2)) continue;
    const mu = sigma * z;
    if (Math.abs(complexitySlope(cov, m, mu)) <= 1e-9 * scale) return mu;
  }
  // |Φ'(z)| ≤ 1, so the slope is negative for μ > r0 + S/σ and positive below r0 − S/σ.
  const w = s / sigma + 1;
  return brentRoot((mu) => complexitySlope(cov, m, mu), r0 - w, r0 + w, { tol: 1e-14 });
}

/**
 * Complexity of all stationary points at overlap m: `max_μ Σ(m, μ)` (THEORY §4.2).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * complexityAll(spikedCovariance({ p: 4, delta2: Infinity, deltap: 1 }), 0).complexity; // ½ ln 3
 */
export function complexityAll(cov: Covariance, m: number): ComplexityMaximum {
  checkOverlap(m);
  const mu = argmaxMu(cov, m);
  return { complexity: complexity(cov, m, mu), mu, energy: typicalEnergy(cov, m, mu) };
}

/**
 * The smallest multiplier at which a stationary point at overlap m is a local minimum
 * (THEORY §4.2): the lowest Hessian eigenvalue of §4.1 must be ≥ 0, so
 * `μ_min = 2σ` if θ(m) ≤ σ, else `θ + σ²/θ` (the BBP outlier at zero).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * minimaMultiplier(spikedCovariance({ p: 3, delta2: 1, deltap: 1 }), 0); // 2√3
 */
export function minimaMultiplier(cov: Covariance, m: number): number {
  const { sigma } = moments(cov);
  const theta = signalStrength(cov, m);
  return theta <= sigma ? 2 * sigma : theta + (sigma * sigma) / theta;
}

/**
 * Complexity of local minima at overlap m: `Σ_min(m) = max_{μ ≥ μ_min(m)} Σ(m, μ)`
 * (THEORY §4.2). By concavity in μ the maximiser is max(argmax, μ_min).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const f = spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 });
 * complexityMinima(f, 0).complexity; // ½ ln 2 − 1/3: the threshold complexity of the pure 3-spin
 */
export function complexityMinima(cov: Covariance, m: number): ComplexityMaximum {
  checkOverlap(m);
  const mu = Math.max(argmaxMu(cov, m), minimaMultiplier(cov, m));
  return { complexity: complexity(cov, m, mu), mu, energy: typicalEnergy(cov, m, mu) };
}

/**
 * Complexity at fixed overlap and energy, maximised over μ (all stationary points, or
 * minima only when `minima` is true: μ ≥ μ_min(m)). Returns −∞ where no μ is compatible.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const f = spikedCovariance({ p: 3, delta2: 1, deltap: 1 });
 * const best = complexityAll(f, 0);
 * complexityAtEnergy(f, 0, best.energy).complexity; // = best.complexity
 */
export function complexityAtEnergy(
  cov: Covariance,
  m: number,
  e: number,
  options: { readonly minima?: boolean } = {},
): ComplexityMaximum {
  checkOverlap(m);
  const { q1, q2, sigma } = moments(cov);
  const variance = cov.f(1) - (q1 * q1) / (q1 + q2);
  const lower = options.minima ? minimaMultiplier(cov, m) : Number.NEGATIVE_INFINITY;
  const r0 = m * cov.df(m);
  const u = -e - cov.f(m);
  if (variance <= 1e-14 * cov.f(1)) {
    // Deterministic relation: μ = r0 + (q1+q2) u / q1.
    const mu = r0 + ((q1 + q2) * u) / q1;
    if (mu < lower) return { complexity: Number.NEGATIVE_INFINITY, mu, energy: e };
    return { complexity: complexity(cov, m, mu), mu, energy: e };
  }
  // ∂/∂μ of Σ(m, e, μ): the slope of Σ(m, μ) plus the conditioning term, still decreasing.
  const k = q1 / (q1 + q2);
  const slope = (mu: number) => complexitySlope(cov, m, mu) + (k * (u - k * (mu - r0))) / variance;
  const w = (q1 + q2) / sigma + 1 + (Math.abs(u) * (q1 + q2)) / q1;
  let mu = brentRoot(slope, r0 - w - 10 * sigma, r0 + w + 10 * sigma, { tol: 1e-14 });
  if (mu < lower) mu = lower;
  return { complexity: complexityWithEnergy(cov, m, e, mu), mu, energy: e };
}

/**
 * The threshold multiplier μ_th = 2σ = 2√f''(1): marginal minima, bulk edge at zero (THEORY §4.1).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * thresholdMultiplier(spikedCovariance({ p: 3, delta2: 1, deltap: 1 })); // 2√3
 */
export function thresholdMultiplier(cov: Covariance): number {
  return 2 * Math.sqrt(cov.d2f(1));
}

/**
 * Typical energy of the threshold states at overlap m (default 0), {@link typicalEnergy}
 * at μ = μ_th; at m = 0 it is `−2√q2·q1/(q1+q2)` (THEORY §3, pure tensor ageing).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * thresholdEnergy(spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 })); // −2√2/3
 */
export function thresholdEnergy(cov: Covariance, m = 0): number {
  return typicalEnergy(cov, m, thresholdMultiplier(cov));
}

/**
 * Closed-form complexity of the threshold minima at m = 0 (THEORY §4.2):
 * `Σ_th = ½ ln(q2/q1) − (q2 − q1)/(q2 + q1)`.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * thresholdComplexity(spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 })); // ½ ln 2 − 1/3
 */
export function thresholdComplexity(cov: Covariance): number {
  const { q1, q2, gap } = moments(cov);
  return 0.5 * Math.log1p(gap / q1) - gap / (q2 + q1);
}
