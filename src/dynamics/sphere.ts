/**
 * The objective interface of the descent methods and the projection back onto the
 * sphere `|x|² = N` (THEORY §2). Starting points come from `src/model`
 * (`randomPointOnSphere`, `pointAtOverlap`); the model's `sphereObjective(inst)`
 * has exactly the {@link SphereObjective} shape.
 */

/**
 * A smooth loss H on R^N whose dynamics is run on the sphere |x|² = N. Only
 * Euclidean derivatives are needed: the sphere geometry is added here.
 */
export interface SphereObjective {
  /** Dimension N. */
  readonly n: number;
  /** Writes the Euclidean gradient ∇H(x) into `out` and returns H(x). */
  gradient(x: Float64Array, out: Float64Array): number;
  /** Writes the Euclidean Hessian–vector product ∇²H(x) v into `out`. */
  hessianVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array): void;
}

/** Dot product of two vectors of equal length. */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Rescales x in place onto the sphere |x|² = N. Throws if x is zero or not finite
 * (a diverged integration must not silently become a random point).
 * @example
 * const x = Float64Array.of(3, 4);
 * projectToSphere(x); // x = [0.8485…, 1.1313…], |x|² = 2
 */
export function projectToSphere(x: Float64Array): Float64Array {
  const norm2 = dot(x, x);
  if (!(norm2 > 0) || !Number.isFinite(norm2)) {
    throw new RangeError(`cannot project onto the sphere: |x|² = ${norm2}`);
  }
  const s = Math.sqrt(x.length / norm2);
  for (let i = 0; i < x.length; i++) x[i] *= s;
  return x;
}
