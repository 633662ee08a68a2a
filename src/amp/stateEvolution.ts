/**
 * State evolution (SE) of the two message-passing algorithms of THEORY §6: the
 * scalar recursions that the overlap `m^t = x̂^t·x* / N` of the finite-N algorithms
 * follows as N → ∞. Both depend on the model only through the covariance f of
 * THEORY §1.1, so they accept either the 2+p parameters or any `Covariance`.
 */
import { type Covariance, type SpikedParams, spikedCovariance } from '../model/index.ts';
import { brentRoot } from '../numerics/index.ts';

/** Fixed points are polished to machine precision. */
const ROOT_TOL = { tol: 1e-15 };

/** The model, given either as 2+p parameters (THEORY §1) or as a covariance f (THEORY §1.1). */
export type ModelSpec = SpikedParams | Covariance;

/** The covariance f of a model spec (validating 2+p parameters). */
export function covarianceOf(spec: ModelSpec): Covariance {
  return 'df' in spec ? spec : spikedCovariance(spec);
}

/** Throws a RangeError naming the parameter when a Δ of the 2+p spec is below {@link STATE_EVOLUTION_DELTA_MIN}. */
function checkSeRange(spec: ModelSpec): void {
  if ('df' in spec) {
    for (const t of spec.terms)
      if (!Number.isFinite(t.coefficient * t.order * t.order))
        throw new RangeError(`covariance coefficient of order ${t.order} too large for the state evolution`);
    return;
  }
  for (const key of ['delta2', 'deltap'] as const) {
    if (spec[key] < STATE_EVOLUTION_DELTA_MIN)
      throw new RangeError(
        `${key} must be ≥ ${STATE_EVOLUTION_DELTA_MIN} for the state evolution (1/Δ would overflow), got ${spec[key]}`,
      );
  }
}

/**
 * Smallest noise variance Δ (of any channel) the state evolutions accept: with
 * Δ ≥ 1e-300 every coefficient 1/(kΔ) and f'(1) ≤ 12·1e300 stay finite, and the steps
 * below never square them. Below it 1/Δ itself is not representable (1/5e-324 = ∞).
 * The `amp --se-only` flags --delta2/--deltap should use it as their lower bound.
 */
export const STATE_EVOLUTION_DELTA_MIN = 1e-300;

/**
 * One step of the ML-AMP state evolution, THEORY §6.1 (q = 1 on the sphere):
 * `m^{t+1} = f'(m^t) / √(f'(m^t)² + f'(1))`, evaluated as
 * `f'(m)/hypot(f'(m), √f'(1))` so that f'(m)² never overflows (1/Δ2 = 1e160 gives
 * f'(m)² = 1e320 = ∞ and the naive form returns 0 instead of ≈ 1).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * mlSeStep(spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 }), 0); // 0: m = 0 is always a fixed point
 */
export function mlSeStep(f: Covariance, m: number): number {
  const d = f.df(m);
  return d / Math.hypot(d, Math.sqrt(f.df(1)));
}

/**
 * One step of the Bayes-optimal AMP state evolution, THEORY §6.2 (Nishimori, m = q):
 * `m^{t+1} = r/(1+r)` with `r = f'(m^t)` (for the 2+p model `r = m/Δ2 + m^{p−1}/Δp`).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * bayesSeStep(spikedCovariance({ p: 3, delta2: 1, deltap: 1 }), 0.5); // r = 0.75, so 0.75/1.75
 */
export function bayesSeStep(f: Covariance, m: number): number {
  const r = f.df(m);
  // r/(1+r) written so that a huge r (tiny Δ) gives 1, not ∞/∞.
  return r > 1 ? 1 / (1 + 1 / r) : r / (1 + r);
}

/** A state-evolution trajectory. */
export interface StateEvolution {
  /** `m[t]` for t = 0 … iters (`m[0] = m0`). */
  readonly m: Float64Array;
  /**
   * The fixed point the recursion converged to, polished to machine precision by a
   * bracketed root search of `step(m) − m` next to the last iterate (the maps are
   * increasing in m, so iterates approach it from one side). The last iterate when
   * not converged.
   */
  readonly fixedPoint: number;
  /** Number of steps taken (the length of `m` minus one). */
  readonly iters: number;
  /** Whether `|m^{t+1} − m^t| ≤ tol` was reached within `maxIters` steps. */
  readonly converged: boolean;
}

/**
 * Iterate a scalar map from `m0` until two successive iterates differ by at most
 * `tol`, or `maxIters` steps; see `StateEvolution` for the fixed-point polish.
 */
export function iterateStateEvolution(
  step: (m: number) => number,
  m0: number,
  maxIters: number,
  tol = 1e-13,
  domain: readonly [number, number] = [-1, 1],
): StateEvolution {
  if (!Number.isInteger(maxIters) || maxIters < 0)
    throw new RangeError(`maxIters must be a non-negative integer, got ${maxIters}`);
  if (!(tol >= 0)) throw new RangeError(`tol must be ≥ 0, got ${tol}`);
  if (!(m0 >= domain[0] && m0 <= domain[1]))
    throw new RangeError(`m0 must lie in [${domain[0]}, ${domain[1]}], got ${m0}`);
  const traj = [m0];
  let converged = false;
  for (let t = 0; t < maxIters; t++) {
    const next = step(traj[t]);
    traj.push(next);
    if (Math.abs(next - traj[t]) <= tol) {
      converged = true;
      break;
    }
  }
  const m = Float64Array.from(traj);
  const iters = m.length - 1;
  const last = m[iters];
  const fixedPoint = converged
    ? polishFixedPoint(step, last, iters > 0 ? last - m[iters - 1] : 0, domain)
    : last;
  return { m, fixedPoint, iters, converged };
}

/**
 * The fixed point of an increasing map next to a converged iterate `x`: the residual
 * `h = step − id` keeps its sign between the iterate and the fixed point, so search
 * outwards in that direction with doubling steps (starting from the last step
 * length) and finish with Brent.
 */
function polishFixedPoint(
  step: (m: number) => number,
  x: number,
  lastStep: number,
  domain: readonly [number, number],
): number {
  const h = (m: number) => step(m) - m;
  const hx = h(x);
  if (hx === 0) return x;
  const dir = hx > 0 ? 1 : -1;
  let width = Math.max(Math.abs(lastStep), Math.abs(hx), 1e-300);
  for (let k = 0; k < 80; k++, width *= 2) {
    const b = Math.min(domain[1], Math.max(domain[0], x + dir * width));
    const hb = h(b);
    if (hb === 0) return b;
    if (hb > 0 !== hx > 0) return brentRoot(h, x, b, ROOT_TOL);
    if (b === domain[0] || b === domain[1]) break;
  }
  return x;
}

/**
 * ML-AMP state evolution (THEORY §6.1) from `m0 ∈ [−1, 1]`. Its fixed point is the
 * gradient-flow end state of THEORY §3, `m*² = f'(m*)²/(f'(m*)² + f'(1))`.
 * @example
 * // Pure matrix model: the fixed point is m*² = 1 − Δ2.
 * mlStateEvolution({ p: 3, delta2: 0.5, deltap: Infinity }, 0.1, 10_000).fixedPoint; // √0.5
 */
export function mlStateEvolution(
  spec: ModelSpec,
  m0: number,
  maxIters: number,
  tol?: number,
): StateEvolution {
  checkSeRange(spec);
  const f = covarianceOf(spec);
  return iterateStateEvolution((m) => mlSeStep(f, m), m0, maxIters, tol, [-1, 1]);
}

/**
 * Bayes-optimal AMP state evolution (THEORY §6.2) from `m0 ∈ [0, 1]` (m = q is a
 * variance-like overlap under the Nishimori identity, hence non-negative). Its fixed
 * points are the stationary points of Φ_RS (see `phiRS`).
 * @example
 * // Above 1/Δ2 = 1 the uninformative fixed point is unstable (THEORY §6.2).
 * bayesStateEvolution({ p: 3, delta2: 0.5, deltap: 2 }, 1e-6, 10_000).fixedPoint > 0.5; // true
 */
export function bayesStateEvolution(
  spec: ModelSpec,
  m0: number,
  maxIters: number,
  tol?: number,
): StateEvolution {
  checkSeRange(spec);
  const f = covarianceOf(spec);
  return iterateStateEvolution((m) => bayesSeStep(f, m), m0, maxIters, tol, [0, 1]);
}
