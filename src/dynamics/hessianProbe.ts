/**
 * The Hessian probe of a run (THEORY §2 "on demand the Hessian spectrum", compared
 * with THEORY §4.1): the lowest eigenvalue of the Riemannian Hessian
 * `Hess = P (∇²H + μ I) P`, `P = I − x xᵀ/N`, on the N−1 dimensional tangent space at
 * x, and the squared overlap of its eigenvector with the signal direction. Matrix
 * free: Lanczos on Hessian–vector products with the Krylov space kept orthogonal to
 * x (deflation), so the spurious eigenvalue 0 along x never appears.
 */
import { lanczos } from '../linalg/index.ts';
import { dot, type SphereObjective } from './sphere.ts';

/** Options of {@link probeHessian}. */
export interface HessianProbeOptions {
  /** Largest number of Lanczos steps (Hessian–vector products); default min(N−1, 300). */
  readonly maxSteps?: number;
  /**
   * Lanczos stopping rule: residual ‖Hess u − λ u‖ ≤ tolerance·‖T_k‖ (default 1e-7;
   * the eigenvalue error is then at most that residual, and quadratically smaller
   * when λ is isolated).
   */
  readonly tolerance?: number;
}

/** Outcome of one probe. */
export interface HessianProbeResult {
  /** Lowest eigenvalue of the Riemannian Hessian on the tangent space at x. */
  readonly lambdaMin: number;
  /**
   * Squared overlap `(u·v)²` of its unit eigenvector u with the unit tangent signal
   * direction `v = P x* / |P x*|` — THEORY §4.1 predicts `1 − σ²/θ²` for a BBP outlier
   * and 0 (at large N) at the bulk edge. NaN without a signal.
   */
  readonly signalOverlap: number;
  /** Residual ‖Hess u − λ u‖ of the returned pair. */
  readonly residual: number;
  /** True when Lanczos met its tolerance (or exhausted the tangent space). */
  readonly converged: boolean;
  /** Hessian–vector products used. */
  readonly products: number;
}

/**
 * Lowest tangent eigenpair of the Riemannian Hessian at x (|x|² = N) with multiplier
 * μ (the landscape's `μ = −x·∇H/N`, THEORY §2), and its squared overlap with the
 * signal direction. Deterministic (Lanczos starts from a fixed-seed random vector).
 * @example
 * // H = ½ Σ a_i x_i² at its minimum √N e_0: tangent eigenvalues a_i − a_0
 * const a = Float64Array.of(1, 2, 4);
 * const objective = {
 *   n: 3,
 *   gradient: (x: Float64Array, g: Float64Array) => { for (let i = 0; i < 3; i++) g[i] = a[i] * x[i]; return 0; },
 *   hessianVectorProduct: (_x: Float64Array, v: Float64Array, out: Float64Array) => { for (let i = 0; i < 3; i++) out[i] = a[i] * v[i]; },
 * };
 * const x = Float64Array.of(Math.sqrt(3), 0, 0);
 * probeHessian(objective, x, -1, Float64Array.of(0, Math.sqrt(3), 0)).lambdaMin; // 1 = a_1 − a_0
 */
export function probeHessian(
  objective: SphereObjective,
  x: Float64Array,
  mu: number,
  signal?: Float64Array,
  options: HessianProbeOptions = {},
): HessianProbeResult {
  const n = objective.n;
  if (n < 2) throw new RangeError('the Hessian probe needs n ≥ 2');
  const xx = dot(x, x);
  const tangent = new Float64Array(n);
  /** out ← P v (v and out may alias). */
  const project = (v: Float64Array, out: Float64Array): void => {
    const c = dot(x, v) / xx;
    for (let i = 0; i < n; i++) out[i] = v[i] - c * x[i];
  };
  let products = 0;
  const matvec = (v: Float64Array, out: Float64Array): void => {
    // Lanczos keeps v ⊥ x up to rounding; project anyway so the operator is exactly P(…)P.
    project(v, tangent);
    objective.hessianVectorProduct(x, tangent, out);
    for (let i = 0; i < n; i++) out[i] += mu * tangent[i];
    project(out, out);
    products++;
  };
  const res = lanczos(n, matvec, {
    which: 'lowest',
    count: 1,
    deflate: x,
    maxSteps: Math.min(options.maxSteps ?? 300, n - 1),
    tolerance: options.tolerance ?? 1e-7,
  });
  const pair = res.lowest[0];
  let signalOverlap = Number.NaN;
  if (signal) {
    if (signal.length !== n) throw new RangeError('signal length differs from n');
    const v = new Float64Array(n);
    project(signal, v);
    const vn = Math.sqrt(dot(v, v));
    const u = pair.vector!;
    const uv = vn > 0 ? dot(u, v) / vn : Number.NaN;
    signalOverlap = uv * uv;
  }
  return {
    lambdaMin: pair.value,
    signalOverlap,
    residual: pair.residual,
    converged: res.converged,
    products,
  };
}
