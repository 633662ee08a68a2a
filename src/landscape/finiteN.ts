/**
 * Finite-N corrections to the Hessian bulk of THEORY §4.1 for the distinct-index model
 * as sampled (src/model/instance.ts): one Gaussian per strictly ordered tuple, so the
 * noise Hessian has a zero diagonal and correlated entries, and the tangent projection
 * removes one more direction. Both shrink the bulk by O(1/N).
 *
 * Derivation (the README of this folder has the steps). For a channel of order k with
 * noise Δk, write j = k − 2. The noise part of the Euclidean Hessian is
 * `M_ab = −κ Σ_{S} ξ_{abS} x^S` over j-sets S ∌ a, b, with κ²Δk = (k−1)!/(Δk N^{k−1}).
 * With y_i = x_i² (Σ y = N) and e_j the elementary symmetric polynomials of y:
 * - `E tr M² = κ²Δk (N−j)(N−j−1) e_j(y)`,
 * - `E |Mx|² = κ²Δk (j+1)² (N−j−1) e_{j+1}(y)`,
 * - `E (xᵀMx)² = κ²Δk (j+1)²(j+2)² e_{j+2}(y)` (O(1/N²) below),
 * (the noise is independent of x, so these hold at any fixed x). The tangent second moment
 * `tr((PMP)²)/(N−1) = [tr M² − 2|Mx|²/N + (xᵀMx)²/N²]/(N−1)` is computed from them exactly
 * (e_j at the given point, or averaged over x uniform on the sphere). To first order, with
 * `e_j = (N^j/j!)(1 − j(j−1) κ4/(2N) + O(N⁻²))` and `κ4 = Σ x_i⁴/N` (3 for Gaussian-like
 * coordinates), it is `f_k''(1) (1 − c_k/N)` with
 *
 *   `c_k = 4j + 2 + j(j−1) κ4/2`:  c = 2 (matrix), 6 (p = 3), 13 (p = 4), 23 (p = 5).
 *
 * Channels are independent, so `σ_N² = Σ_k f_k''(1)(1 − c_k/N)`. The largest eigenvalue
 * of a Wigner matrix of dimension n = N − 1 and second moment σ_N² is
 * `2σ_N + σ_N n^{−2/3} TW1`; for the Hessian `μ I − M` the lowest tangent eigenvalue is
 * `μ − 2σ_N − σ_N n^{−2/3} TW1`, with mean `μ − 2σ_N + 1.2065 σ_N n^{−2/3}`.
 */

import type { Covariance } from '../model/index.ts';

/** Mean of the GOE Tracy–Widom law TW1 (Tracy & Widom 1996; Bornemann 2010: −1.2065335745820). */
export const TRACY_WIDOM_GOE_MEAN = -1.206533574582;
/** Standard deviation of TW1 (variance 1.6077810345810, same sources). */
export const TRACY_WIDOM_GOE_SD = Math.sqrt(1.607781034581);

/** Options of the finite-N bulk predictions. */
export interface FiniteNOptions {
  /**
   * The point x (|x|² = N) where the Hessian is taken: its e_j(x²) enter exactly. Default:
   * the expectation over x uniform on the sphere, `E e_j = C(N, j) Π_{i<j} N/(N + 2i)`.
   */
  readonly point?: Float64Array;
}

/**
 * `c_k` of the O(1/N) deficit for one channel of order k at a point with Gaussian-like
 * coordinates (κ4 = Σx⁴/N = 3; see the file comment): `4(k−2) + 2 + 3(k−2)(k−3)/2`.
 * @example
 * bulkDeficitCoefficient(3); // 6
 */
export function bulkDeficitCoefficient(order: number): number {
  const j = order - 2;
  return 4 * j + 2 + (3 * j * (j - 1)) / 2;
}

/** e_0 … e_top of y = x² at a point, or their expectations for x uniform on the sphere. */
function elementarySymmetric(n: number, top: number, point?: Float64Array): Float64Array {
  const e = new Float64Array(top + 1);
  e[0] = 1;
  if (point === undefined) {
    // E[x_1² ⋯ x_j²] = N^j / (N (N+2) ⋯ (N+2j−2)) on the sphere of radius √N.
    for (let j = 1; j <= top; j++) e[j] = (e[j - 1] * (n - j + 1) * n) / (j * (n + 2 * (j - 1)));
    return e;
  }
  if (point.length !== n) throw new RangeError(`point has length ${point.length}, expected n = ${n}`);
  for (const v of point) {
    const y = v * v;
    for (let j = top; j >= 1; j--) e[j] += y * e[j - 1];
  }
  return e;
}

/**
 * The finite-N second moment σ_N² = E tr((PMP)²)/(N−1) of the tangent Hessian bulk around
 * μ for the distinct-index model, summed over channels (orders ≥ 2) from the three exact
 * expectations of the file comment; to first order `Σ_k f_k''(1)(1 − c_k/N)`, and
 * f''(1) of THEORY §4.1 as N → ∞.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * finiteNBulkVariance(spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 }), 100); // 1.8842 ≈ 2(1 − 6/100)
 */
export function finiteNBulkVariance(cov: Covariance, n: number, options: FiniteNOptions = {}): number {
  if (!(Number.isInteger(n) && n >= 2)) throw new RangeError(`n must be an integer ≥ 2, got ${n}`);
  // e_j up to j = k for the highest order k (the (xᵀMx)² term needs e_{j+2}, j = k − 2).
  const e = elementarySymmetric(n, Math.max(0, ...cov.terms.map((t) => t.order)), options.point);
  let s = 0;
  for (const { order, coefficient } of cov.terms) {
    if (order < 2) continue;
    const j = order - 2;
    // κ²Δk = (k−1)!/(Δk N^{k−1}) with 1/Δk = k·coefficient.
    let fact = 1;
    for (let i = 2; i < order; i++) fact *= i;
    const w = (fact * order * coefficient) / n ** (order - 1);
    const trM2 = w * (n - j) * (n - j - 1) * e[j];
    const mx2 = w * (j + 1) ** 2 * (n - j - 1) * e[j + 1];
    const xmx2 = w * (j + 1) ** 2 * (j + 2) ** 2 * e[j + 2];
    s += (trM2 - (2 * mx2) / n + xmx2 / (n * n)) / (n - 1);
  }
  return s;
}

/** The finite-N prediction of the tangent Hessian's extreme bulk eigenvalues. */
export interface FiniteNEdges {
  /** σ_N = √(finiteNBulkVariance). */
  readonly sigma: number;
  /** One Tracy–Widom unit, σ_N (N−1)^{−2/3}. */
  readonly twUnit: number;
  /** Mean of the lowest bulk eigenvalue: μ − 2σ_N − TW1 mean · unit. */
  readonly lowerMean: number;
  /** Mean of the highest bulk eigenvalue: μ + 2σ_N + TW1 mean · unit. */
  readonly upperMean: number;
}

/**
 * Mean extreme bulk eigenvalues of the Riemannian Hessian `μ I − M` at finite N (no BBP
 * outlier): the variance deficit of {@link finiteNBulkVariance} plus the Tracy–Widom
 * shift, on the (N−1)-dimensional tangent space. Fluctuations around these means are one
 * TW standard deviation, 1.27 units.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * finiteNBulkEdges(spikedCovariance({ p: 3, delta2: Infinity, deltap: 1 }), 100, 2 * Math.SQRT2).lowerMean; // ≈ 0.160 (vs 0 at N = ∞)
 */
export function finiteNBulkEdges(
  cov: Covariance,
  n: number,
  mu: number,
  options: FiniteNOptions = {},
): FiniteNEdges {
  const sigma = Math.sqrt(finiteNBulkVariance(cov, n, options));
  const twUnit = sigma * (n - 1) ** (-2 / 3);
  return {
    sigma,
    twUnit,
    lowerMean: mu - 2 * sigma - TRACY_WIDOM_GOE_MEAN * twUnit,
    upperMean: mu + 2 * sigma + TRACY_WIDOM_GOE_MEAN * twUnit,
  };
}
