/**
 * Small objectives with closed-form answers, used by the tests of this folder and
 * handy for checking a new integrator: a diagonal quadratic form.
 */
import type { SphereObjective } from '../../src/dynamics/sphere.ts';

/**
 * `H(x) = ½ Σ a_i x_i²`. Its gradient flow on the sphere |x|² = N is solved exactly
 * by `x(t) = √N e^{−At} x0 / |e^{−At} x0|` (the projected linear flow), see
 * {@link quadraticFlowExact}; the Riemannian Hessian at the minimum √N e_k
 * (a_k smallest) has tangent eigenvalues a_i − a_k.
 * @example
 * const h = diagonalQuadratic(Float64Array.of(1, 2));
 * h.gradient(Float64Array.of(1, 1), new Float64Array(2)); // 1.5
 */
export function diagonalQuadratic(a: Float64Array): SphereObjective {
  const n = a.length;
  return {
    n,
    gradient(x, out) {
      let h = 0;
      for (let i = 0; i < n; i++) {
        out[i] = a[i] * x[i];
        h += 0.5 * a[i] * x[i] * x[i];
      }
      return h;
    },
    hessianVectorProduct(_x, v, out) {
      for (let i = 0; i < n; i++) out[i] = a[i] * v[i];
    },
  };
}

/**
 * Exact gradient-flow solution for {@link diagonalQuadratic} at time t.
 * @example
 * quadraticFlowExact(Float64Array.of(0, 1), Float64Array.of(1, 1), 50); // ≈ [√2, 0]
 */
export function quadraticFlowExact(a: Float64Array, x0: Float64Array, t: number): Float64Array {
  const n = a.length;
  // Shift by min a so that the exponentials cannot overflow or underflow to all zeros.
  let amin = Number.POSITIVE_INFINITY;
  for (const ai of a) amin = Math.min(amin, ai);
  const x = new Float64Array(n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    x[i] = x0[i] * Math.exp(-(a[i] - amin) * t);
    s += x[i] * x[i];
  }
  const r = Math.sqrt(n / s);
  for (let i = 0; i < n; i++) x[i] *= r;
  return x;
}
