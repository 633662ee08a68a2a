/**
 * Stationary points on the sphere |x|² = N (THEORY §2): Riemannian Newton polishing of a
 * descent's end point and the Hessian index there (the number of negative eigenvalues of
 * P(∇²H + μ)P on the N−1 dimensional tangent space, THEORY §4.1).
 */
import { symmetricEigen } from '../linalg/index.ts';
import { type Instance, riemannianGradient, riemannianHessian } from '../model/index.ts';

/** A stationary point (or the best approximation reached) with its Hessian spectrum. */
export interface StationaryPoint {
  readonly x: Float64Array;
  /** Energy per coordinate e = H/N. */
  readonly energy: number;
  /** Lagrange multiplier μ = −x·∇H/N. */
  readonly mu: number;
  /** |Riemannian gradient|/√N. */
  readonly gradNorm: number;
  /** Number of negative tangent Hessian eigenvalues (below −`zeroEigenvalue`). */
  readonly index: number;
  /** Lowest tangent Hessian eigenvalue. */
  readonly lambdaMin: number;
  /** Newton steps taken. */
  readonly newtonSteps: number;
}

/** Options of {@link polishStationary}. */
export interface PolishOptions {
  /** Stop when |grad|/√N is below this (default 1e-10). */
  readonly tolerance?: number;
  /** At most this many Newton steps (default 8). */
  readonly maxSteps?: number;
  /**
   * Largest Newton step |δ|/√N accepted (default 0.05): a longer step means the point is not
   * in the quadratic region of one stationary point, and polishing stops there.
   */
  readonly maxStep?: number;
  /** Eigenvalues within ±this of 0 count as neither negative nor invertible (default 1e-9). */
  readonly zeroEigenvalue?: number;
}

/**
 * The tangent Hessian spectrum at x: eigen-decomposition of `P(∇²H + μ)P + c x xᵀ/N` with the
 * radial eigenvalue c moved above the tangent spectrum (c = 1 + Frobenius norm), so that the
 * N−1 lowest eigenpairs are exactly the tangent ones (THEORY §2).
 */
export function tangentSpectrum(inst: Instance, x: Float64Array) {
  const n = inst.n;
  const a = riemannianHessian(inst, x);
  let frob = 0;
  for (let k = 0; k < a.length; k++) frob += a[k] * a[k];
  const c = 1 + Math.sqrt(frob);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += (c * x[i] * x[j]) / n;
  const { values, vectors } = symmetricEigen(n, a, { overwrite: true });
  return { values: values.subarray(0, n - 1), vectors, n };
}

/**
 * Riemannian Newton from x: solve Hess δ = −grad on the tangent space (through the spectrum,
 * so saddles are reached as well as minima: Newton converges to the nearby stationary point
 * whatever its index), retract `x ← √N (x+δ)/|x+δ|`, until |grad|/√N < tolerance. Returns the
 * point with its index and λ_min from the spectrum at the final point.
 * @example
 * const inst = sampleInstance({ n: 20, p: 3, delta2: Infinity, deltap: 1, seed: 1 });
 * polishStationary(inst, someEndPointOfADescent).index; // 0 at a minimum
 */
export function polishStationary(
  inst: Instance,
  x0: Float64Array,
  options: PolishOptions = {},
): StationaryPoint {
  const n = inst.n;
  const tolerance = options.tolerance ?? 1e-10;
  const maxSteps = options.maxSteps ?? 8;
  const maxStep = options.maxStep ?? 0.05;
  const zero = options.zeroEigenvalue ?? 1e-9;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let steps = 0;
  for (;;) {
    const { energy, mu } = riemannianGradient(inst, x, g);
    let g2 = 0;
    for (let i = 0; i < n; i++) g2 += g[i] * g[i];
    const gradNorm = Math.sqrt(g2 / n);
    const { values, vectors } = tangentSpectrum(inst, x);
    const done = gradNorm < tolerance || steps >= maxSteps;
    // Newton step δ = −Σ_k (u_k·g / λ_k) u_k over the tangent eigenpairs.
    const delta = new Float64Array(n);
    if (!done) {
      for (let k = 0; k < n - 1; k++) {
        if (Math.abs(values[k]) <= zero) continue;
        let ug = 0;
        for (let i = 0; i < n; i++) ug += vectors[i * n + k] * g[i];
        const coef = -ug / values[k];
        for (let i = 0; i < n; i++) delta[i] += coef * vectors[i * n + k];
      }
    }
    let d2 = 0;
    for (let i = 0; i < n; i++) d2 += delta[i] * delta[i];
    if (done || !(Math.sqrt(d2 / n) <= maxStep)) {
      let index = 0;
      for (let k = 0; k < n - 1; k++) if (values[k] < -zero) index++;
      return { x, energy: energy / n, mu, gradNorm, index, lambdaMin: values[0], newtonSteps: steps };
    }
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      x[i] += delta[i];
      r2 += x[i] * x[i];
    }
    const scale = Math.sqrt(n / r2);
    for (let i = 0; i < n; i++) x[i] *= scale;
    steps++;
  }
}
