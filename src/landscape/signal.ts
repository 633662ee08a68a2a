/**
 * The signal minimum: the stationary point that gradient flow reaches when it finds the
 * signal, given in closed form by the t → ∞ limit of the dynamics (THEORY §3):
 * `m*² = f'(m*)²/(f'(m*)² + f'(1))`, `χ = m* / f'(m*)`, `μ* = f''(1)χ + 1/χ`,
 * `e* = −f(m*) − χ f'(1)`. It is also the informative fixed point of ML-AMP's state
 * evolution (THEORY §6.1). Its Kac–Rice complexity is 0 (THEORY §4.2 check): an
 * isolated, sub-exponential family of minima.
 */

import type { Covariance } from '../model/index.ts';
import { allRoots } from '../numerics/index.ts';
import { complexity } from './complexity.ts';
import { type HessianSpectrum, hessianSpectrum } from './hessian.ts';

/** The signal minimum of THEORY §3 with its Hessian spectrum (THEORY §4.1). */
export interface SignalMinimum {
  /** Overlap m* with the signal. */
  readonly m: number;
  /** Lagrange multiplier μ* = f''(1)χ + 1/χ. */
  readonly mu: number;
  /** Energy per coordinate e* = −f(m*) − χ f'(1). */
  readonly energy: number;
  /** Integrated response χ = m* / f'(m*). */
  readonly chi: number;
  /** Kac–Rice complexity Σ(m*, μ*) (0 up to rounding, THEORY §4.2). */
  readonly complexity: number;
  /** Hessian spectrum there. */
  readonly hessian: HessianSpectrum;
}

/**
 * `h(m) = (f'(m)/m)²(1 − m²) − f'(1)`: zero exactly at the non-trivial solutions of
 * `m² = f'(m)²/(f'(m)² + f'(1))` (the factor m² removed so that m = 0 is not a root).
 */
function endStateResidual(cov: Covariance, m: number): number {
  const g = cov.df(m) / m;
  return g * g * (1 - m * m) - cov.df(1);
}

/**
 * Every positive solution of the gradient-flow end-state equation of THEORY §3,
 * `m² = f'(m)²/(f'(m)² + f'(1))`, in increasing order. The largest is the signal
 * minimum; a smaller one, when present, is the unstable fixed point of ML-AMP's state
 * evolution separating it from m = 0.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * endStateOverlaps(spikedCovariance({ p: 3, delta2: 0.5, deltap: Infinity })); // [√(1 − Δ2)] = [0.7071…]
 */
export function endStateOverlaps(cov: Covariance, options: { readonly points?: number } = {}): number[] {
  // A fine grid catches pairs of roots that merge at the ML-AMP spinodal; Brent polishes them.
  const points = options.points ?? 2000;
  const lo = 1e-9;
  const hi = 1 - 1e-12;
  return allRoots((m) => endStateResidual(cov, m), lo, hi, { points, tol: 1e-15 });
}

/**
 * The signal minimum reached by gradient flow (THEORY §3), or null if the end-state
 * equation has no positive solution (signal unreachable for the landscape, e.g. below
 * the ML-AMP spinodal).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const s = signalMinimum(spikedCovariance({ p: 3, delta2: 0.36, deltap: Infinity }))!;
 * s.m; // 0.8 = √(1 − Δ2), the pure matrix result of THEORY §3
 */
export function signalMinimum(cov: Covariance): SignalMinimum | null {
  const roots = endStateOverlaps(cov);
  if (roots.length === 0) return null;
  const m = roots[roots.length - 1];
  const chi = m / cov.df(m);
  const mu = cov.d2f(1) * chi + 1 / chi;
  const energy = -cov.f(m) - chi * cov.df(1);
  return { m, mu, energy, chi, complexity: complexity(cov, m, mu), hessian: hessianSpectrum(cov, m, mu) };
}
