/**
 * Points on the sphere `|x|² = N` (THEORY §1, §2: the signal and every configuration
 * live there; initial conditions are uniform or at a prescribed overlap).
 */
import type { Rng } from '../random/index.ts';

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Overlap `m = x·x* /N` (THEORY §1).
 * @example
 * overlap(Float64Array.of(1, 1), Float64Array.of(1, -1)); // 0
 */
export function overlap(x: Float64Array, signal: Float64Array): number {
  if (x.length !== signal.length)
    throw new RangeError(`overlap: lengths differ (${x.length} vs ${signal.length})`);
  return dot(x, signal) / x.length;
}

/**
 * A point uniform on the sphere `|x|² = n`: a standard Gaussian vector rescaled
 * (rotation invariance of the Gaussian).
 * @example
 * const x = randomPointOnSphere(100, Rng.fromSeed(3));
 * x.reduce((s, v) => s + v * v, 0); // 100 (up to rounding)
 */
export function randomPointOnSphere(n: number, rng: Rng): Float64Array {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`randomPointOnSphere: n must be an integer ≥ 1, got ${n}`);
  const x = new Float64Array(n);
  let norm2 = 0;
  // A zero vector has probability 0; redraw rather than divide by zero.
  while (norm2 === 0) {
    rng.fillNormal(x);
    norm2 = dot(x, x);
  }
  const scale = Math.sqrt(n / norm2);
  for (let i = 0; i < n; i++) x[i] *= scale;
  return x;
}

/**
 * A point uniform on `{ |x|² = N, x·x* /N = m0 }` (THEORY §2, prescribed initial overlap):
 * `x = m0 s + √(1 − m0²) √N u` with `s = √N x* /|x*|` and u a uniform unit vector
 * orthogonal to x* (a Gaussian vector with its x* component removed, normalised).
 * The overlap is exactly m0 when `|x*|² = N` (as for sampled signals).
 * @example
 * const xs = randomPointOnSphere(200, Rng.fromSeed(1));
 * overlap(pointAtOverlap(xs, 0.3, Rng.fromSeed(2)), xs); // 0.3 (up to rounding)
 */
export function pointAtOverlap(signal: Float64Array, m0: number, rng: Rng): Float64Array {
  const n = signal.length;
  if (!(Math.abs(m0) <= 1)) throw new RangeError(`pointAtOverlap: m0 must be in [−1, 1], got ${m0}`);
  const s2 = dot(signal, signal);
  if (!(s2 > 0)) throw new RangeError('pointAtOverlap: the signal is zero');
  if (n < 2 && Math.abs(m0) < 1) throw new RangeError('pointAtOverlap: needs n ≥ 2 for |m0| < 1');
  const sScale = Math.sqrt(n / s2);
  const u = new Float64Array(n);
  let u2 = 0;
  while (!(u2 > 1e-12 * n)) {
    rng.fillNormal(u);
    const c = dot(u, signal) / s2;
    for (let i = 0; i < n; i++) u[i] -= c * signal[i];
    u2 = dot(u, u);
  }
  const a = m0 * sScale;
  const b = Math.sqrt(Math.max(0, 1 - m0 * m0)) * Math.sqrt(n / u2);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = a * signal[i] + b * u[i];
  return x;
}
