/**
 * Hessian of the loss at a stationary point with overlap m and Lagrange multiplier μ
 * (THEORY §4.1): `Hess = μ I − M − θ(m) v vᵀ` on the tangent space, M a GOE matrix
 * whose spectrum is a semicircle of radius 2σ, `σ = √f''(1)`, and the rank-one
 * perturbation of strength `θ(m) = f''(m)(1 − m²)` along the signal direction v.
 */

import type { Covariance } from '../model/index.ts';

/** Spectrum of the Hessian at a stationary point, in the large-N limit (THEORY §4.1). */
export interface HessianSpectrum {
  /** The Lagrange multiplier μ (centre of the bulk). */
  readonly mu: number;
  /** σ = √f''(1): the bulk is a semicircle of radius 2σ. */
  readonly sigma: number;
  /** Strength of the rank-one signal perturbation θ(m) = f''(m)(1 − m²). */
  readonly theta: number;
  /** Lower edge of the bulk, μ − 2σ. */
  readonly bulkLower: number;
  /** Upper edge of the bulk, μ + 2σ. */
  readonly bulkUpper: number;
  /** BBP outlier below the bulk, `μ − θ − σ²/θ`, or null when θ ≤ σ. */
  readonly outlier: number | null;
  /** Squared overlap of the outlier's eigenvector with the signal direction, `1 − σ²/θ²` (null without outlier). */
  readonly outlierOverlap: number | null;
  /** The lowest eigenvalue: the outlier if there is one, else the bulk edge. */
  readonly lowestEigenvalue: number;
}

/** θ(m) = f''(m)(1 − m²), the BBP strength at overlap m (THEORY §4.1). */
export function signalStrength(cov: Covariance, m: number): number {
  return cov.d2f(m) * (1 - m * m);
}

/**
 * The Hessian spectrum at a stationary point with overlap `m` and multiplier `mu`.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * // At m = 0, θ = 1/Δ2 = 2 equals σ = √(1/Δ2 + 2/Δp) = 2: exactly at the BBP point, no outlier yet.
 * hessianSpectrum(spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 }), 0, 4).outlier; // null
 */
export function hessianSpectrum(cov: Covariance, m: number, mu: number): HessianSpectrum {
  if (!(Math.abs(m) <= 1)) throw new RangeError(`overlap m must lie in [−1, 1], got ${m}`);
  const sigma = Math.sqrt(cov.d2f(1));
  const theta = signalStrength(cov, m);
  const bulkLower = mu - 2 * sigma;
  const bulkUpper = mu + 2 * sigma;
  // BBP: an eigenvalue detaches from the lower edge when θ exceeds σ.
  if (theta > sigma) {
    const outlier = mu - theta - (sigma * sigma) / theta;
    const ratio = sigma / theta;
    return {
      mu,
      sigma,
      theta,
      bulkLower,
      bulkUpper,
      outlier,
      outlierOverlap: 1 - ratio * ratio,
      lowestEigenvalue: outlier,
    };
  }
  return {
    mu,
    sigma,
    theta,
    bulkLower,
    bulkUpper,
    outlier: null,
    outlierOverlap: null,
    lowestEigenvalue: bulkLower,
  };
}

/**
 * Density of the Hessian bulk at eigenvalue λ: the semicircle of radius 2σ centred at μ,
 * `ρ(λ) = √(4σ² − (λ−μ)²) / (2πσ²)`; zero outside the support.
 * @example
 * bulkDensity(0, 0, 1); // 1/π: the centre of the unit-variance semicircle
 */
export function bulkDensity(lambda: number, mu: number, sigma: number): number {
  const x = lambda - mu;
  const r2 = 4 * sigma * sigma - x * x;
  return r2 > 0 ? Math.sqrt(r2) / (2 * Math.PI * sigma * sigma) : 0;
}
