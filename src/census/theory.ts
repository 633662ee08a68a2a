/**
 * The large-N references a census is compared with: the signal minimum m* (THEORY §3), the
 * deterministic minimum at negative m (mirror), the annealed Kac–Rice complexity of minima
 * max_m Σ_min(m) (THEORY §4.2), and the estimate Σ ≈ ln(#distinct minima)/N.
 */
import { gradientFlowEndState } from '../dmft/index.ts';
import { complexityMinima } from '../landscape/index.ts';
import type { Covariance } from '../model/index.ts';
import { allRoots } from '../numerics/index.ts';

/**
 * The mirror minimum's overlap: for even p, H(−x) = H(x) and it is −m*; for odd p the most
 * negative root of the end-state equation `(f'(m)/m)²(1 − m²) = f'(1)` (THEORY §3) on its
 * physical branch `0 < σχ ≤ 1`, χ = m/f'(m) (the deterministic point of the negative-m band,
 * THEORY §4.2). Null when there is none.
 * @example
 * mirrorOverlap(spikedCovariance({ p: 4, delta2: 0.5, deltap: 1 }), true); // −m*
 */
export function mirrorOverlap(cov: Covariance, evenP: boolean): number | null {
  if (evenP) {
    const end = gradientFlowEndState(cov);
    return end === null ? null : -end.m;
  }
  const q1 = cov.df(1);
  const sigma = Math.sqrt(cov.d2f(1));
  const residual = (m: number) => {
    const g = cov.df(m) / m;
    return g * g * (1 - m * m) - q1;
  };
  const roots = allRoots(residual, -1 + 1e-12, -1e-9, { points: 2000, tol: 1e-15 }).filter((m) => {
    const chi = m / cov.df(m);
    return chi > 0 && sigma * chi <= 1;
  });
  return roots.length === 0 ? null : Math.min(...roots);
}

/** The annealed complexity of minima maximised over the overlap (THEORY §4.2). */
export interface KacRiceMinima {
  /** max_m Σ_min(m) on a grid of step 1/`points`·2 over (−1, 1). */
  readonly complexity: number;
  /** Where it is attained. */
  readonly m: number;
  /** The typical energy and multiplier of those minima. */
  readonly energy: number;
  readonly mu: number;
}

/**
 * `max_m Σ_min(m)` over m ∈ (−1, 1) (grid step 0.001 then a golden refinement is unnecessary:
 * Σ_min is smooth with |Σ''| ≲ 1, so the grid maximum is within 1e-6 of the true one).
 * @example
 * kacRiceMinima(spikedCovariance({ p: 4, delta2: Infinity, deltap: 1 })).complexity; // 0.0493 at m = 0
 */
export function kacRiceMinima(cov: Covariance, points = 1000): KacRiceMinima {
  let best: KacRiceMinima = { complexity: Number.NEGATIVE_INFINITY, m: 0, energy: 0, mu: 0 };
  for (let k = -points + 1; k < points; k++) {
    const m = k / points;
    const c = complexityMinima(cov, m);
    if (c.complexity > best.complexity) best = { complexity: c.complexity, m, energy: c.energy, mu: c.mu };
  }
  return best;
}

/** Σ estimates from a count: ln(count)/N (−∞ for 0). */
export function complexityEstimate(count: number, n: number): number {
  return count > 0 ? Math.log(count) / n : Number.NEGATIVE_INFINITY;
}

/**
 * The default gradient-descent step of a census: 1.5/λ_bound with λ_bound = max(2σ, μ*) + 2σ,
 * σ = √f''(1), μ* the GF end state's multiplier (THEORY §3): a bound on the largest Hessian
 * eigenvalue at the stationary points a descent meets (THEORY §4.1), so the step is stable
 * (below 2/λ_max).
 * @example
 * defaultDescentStep(spikedCovariance({ p: 4, delta2: Infinity, deltap: 1 })); // 1.5/(4σ), σ = √3
 */
export function defaultDescentStep(cov: Covariance): number {
  const sigma = Math.sqrt(cov.d2f(1));
  const end = gradientFlowEndState(cov);
  return 1.5 / (Math.max(2 * sigma, end?.mu ?? 0) + 2 * sigma);
}
