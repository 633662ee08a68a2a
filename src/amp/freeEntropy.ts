/**
 * The replica-symmetric free entropy of Bayes-optimal inference, THEORY §6.2, and its
 * stationary points (= the fixed points of the Bayes-AMP state evolution).
 */
import type { Covariance } from '../model/index.ts';
import { allRoots } from '../numerics/index.ts';
import { covarianceOf, type ModelSpec } from './stateEvolution.ts';

/**
 * Φ_RS(m) for m ∈ [0, 1), THEORY §6.2:
 * `Φ_RS(m) = ½ ln(1−m) + m/2 + m²/(4Δ2) + m^p/(2pΔp)`, i.e. `½[ln(1−m) + m + f(m)]`
 * for a general covariance f (THEORY §1.1), normalised so that Φ_RS(0) = 0. Its
 * derivative `½[f'(m) − m/(1−m)]` vanishes exactly at the state-evolution fixed points.
 * @example
 * phiRS(0, { p: 3, delta2: 1, deltap: 1 }); // 0
 * phiRS(0.5, { p: 3, delta2: 1, deltap: 1 }); // ½ln ½ + ¼ + 1/16 + 1/48
 */
export function phiRS(m: number, spec: ModelSpec): number {
  if (!(m >= 0 && m < 1)) throw new RangeError(`phiRS: m must lie in [0, 1), got ${m}`);
  const f = covarianceOf(spec);
  return 0.5 * (Math.log1p(-m) + m + f.f(m));
}

/**
 * `f'(m)/m` without the division: `Σ_k k a_k m^{k−2}`, finite at m = 0 when every
 * order is ≥ 2 (then m = 0 is always a stationary point).
 */
function dfOverM(f: Covariance, m: number): number {
  let s = 0;
  for (const t of f.terms) s += t.order * t.coefficient * m ** (t.order - 2);
  return s;
}

/**
 * Every stationary point of Φ_RS in [0, 1), sorted: m = 0 (when f has no linear term)
 * and every root of `f'(m)/m = 1/(1−m)` — for the 2+p model
 * `1/(1−m) − m^{p−2}/Δp = 1/Δ2`. These are exactly the fixed points of
 * `bayesStateEvolution` (THEORY §6.2). Roots are located by sign changes of
 * `(1−m) f'(m)/m − 1` on 4000 intervals and polished by Brent; tangential (double)
 * roots exist only on measure-zero parameter sets (spinodals) and are not reported.
 * @example
 * bayesStationaryPoints({ p: 3, delta2: 1 / 0.95, deltap: 0.5 }); // [0, low (unstable), high (stable)]
 */
export function bayesStationaryPoints(spec: ModelSpec): number[] {
  const f = covarianceOf(spec);
  const hasLinear = f.terms.some((t) => t.order < 2);
  const g = hasLinear ? (m: number) => (1 - m) * f.df(m) - m : (m: number) => (1 - m) * dfOverM(f, m) - 1;
  // g(m) → −1 as m → 1, so (0, 1) is scanned up to where the root is certainly absent.
  const roots = allRoots(g, 0, 1, { points: 4000, tol: 1e-15 }).filter((m) => m > 0 && m < 1);
  return hasLinear ? roots : [0, ...roots];
}
