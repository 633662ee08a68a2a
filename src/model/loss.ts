/**
 * The loss of THEORY §1 on a sampled instance and its derivatives:
 *
 * `H(x) = − 1/(Δ2 √N) Σ_{i<j} Y_ij x_i x_j − √((p−1)!)/(Δp N^{(p−1)/2}) Σ_{i1<…<ip} T x_{i1}⋯x_{ip}`
 *
 * (not divided by N); each further tensor channel of order k (`extraTensors`, issue 15) adds
 * `−√((k−1)!)/(Δk N^{(k−1)/2}) Σ_{i1<…<ik} T^{(k)} x_{i1}⋯x_{ik}` (THEORY §1.1: its covariance
 * term is z^k/(kΔk)), and energy, gradient and Hessian are sums over the channels. With
 * Euclidean gradient and Hessian, and their Riemannian
 * versions on the sphere `|x|² = N` (THEORY §2): `μ = −x·∇H/N`, Riemannian gradient
 * `∇H + μ x`, Riemannian Hessian `P(∇²H + μI)P`, `P = I − x xᵀ/N`.
 */
import { packedContract, packedGradient, packedHessian, packedHessianVectorProduct } from './contractions.ts';
import type { Instance } from './instance.ts';

/** Prefactor `√((k−1)!)/(Δk N^{(k−1)/2})` of an order-k tensor channel in H (0 when Δk = ∞). */
export function tensorScale(n: number, k: number, delta: number): number {
  if (delta === Number.POSITIVE_INFINITY) return 0;
  let fact = 1;
  for (let j = 2; j < k; j++) fact *= j;
  return Math.sqrt(fact) / (delta * n ** ((k - 1) / 2));
}

/**
 * Prefactors of the channels in H: `1/(Δ2√N)`, `√((p−1)!)/(Δp N^{(p−1)/2})` (0 when off) and
 * one per extra tensor channel, in the order of `extraTensors`.
 */
export function lossScales(inst: Pick<Instance, 'n' | 'p' | 'delta2' | 'deltap' | 'extraTensors'>): {
  matrix: number;
  tensor: number;
  extra: number[];
} {
  const { n, p } = inst;
  return {
    matrix: inst.delta2 === Number.POSITIVE_INFINITY ? 0 : 1 / (inst.delta2 * Math.sqrt(n)),
    tensor: tensorScale(n, p, inst.deltap),
    extra: (inst.extraTensors ?? []).map((c) => tensorScale(n, c.order, c.delta)),
  };
}

/** The extra tensor channels of an instance with their prefactors in H. */
function extraChannels(inst: Instance, scales: { extra: number[] }) {
  return (inst.extraTensors ?? []).map((c, j) => ({ ...c, scale: scales.extra[j] }));
}

function checkVector(inst: Instance, name: string, v: Float64Array): void {
  if (v.length !== inst.n) throw new RangeError(`${name} must have length n = ${inst.n}, got ${v.length}`);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** `out = Y v` for the dense symmetric matrix (zero diagonal). */
function symmetricProduct(
  y: Float64Array,
  n: number,
  v: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += y[row + j] * v[j];
    out[i] += scale * s;
  }
}

/**
 * H(x) of THEORY §1 (not divided by N).
 * @example
 * const inst = sampleInstance({ n: 30, p: 3, delta2: 0.5, deltap: 1, seed: 7 });
 * energy(inst, inst.signal) / inst.n; // ≈ −f(1) = −(1/(2·0.5) + 1/3) up to O(N^{−1/2}) noise
 */
export function energy(inst: Instance, x: Float64Array): number {
  checkVector(inst, 'x', x);
  const { n } = inst;
  const scales = lossScales(inst);
  let h = 0;
  if (inst.matrix) {
    const y = inst.matrix;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let si = 0;
      for (let j = i + 1; j < n; j++) si += y[row + j] * x[j];
      s += x[i] * si;
    }
    h -= scales.matrix * s;
  }
  if (inst.tensor) h -= scales.tensor * packedContract(inst.tensor, n, inst.p, x);
  for (const c of extraChannels(inst, scales)) h -= c.scale * packedContract(c.tensor, n, c.order, x);
  return h;
}

/**
 * Euclidean gradient ∇H(x) written into `out`; returns H(x). One pass over the
 * packed tensor gives both (THEORY §1 gradient pitfall handled in `contractions.ts`).
 * @example
 * const inst = sampleInstance({ n: 20, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * const g = new Float64Array(20);
 * gradient(inst, inst.signal, g); // === energy(inst, inst.signal) up to rounding
 */
export function gradient(inst: Instance, x: Float64Array, out: Float64Array): number {
  checkVector(inst, 'x', x);
  checkVector(inst, 'out', out);
  const { n } = inst;
  const scales = lossScales(inst);
  out.fill(0);
  let h = 0;
  if (inst.matrix) {
    symmetricProduct(inst.matrix, n, x, -scales.matrix, out);
    // Σ_{i<j} Y_ij x_i x_j = ½ x·Yx, and out holds −scale·Yx here.
    h += 0.5 * dot(x, out);
  }
  if (inst.tensor) h -= scales.tensor * packedGradient(inst.tensor, n, inst.p, x, -scales.tensor, out);
  for (const c of extraChannels(inst, scales))
    h -= c.scale * packedGradient(c.tensor, n, c.order, x, -c.scale, out);
  return h;
}

/**
 * Lagrange multiplier `μ = −x·∇H/N` that keeps gradient flow on the sphere (THEORY §2).
 * @example
 * lagrangeMultiplier(Float64Array.of(1, 1), Float64Array.of(-2, -4)); // 3
 */
export function lagrangeMultiplier(x: Float64Array, grad: Float64Array): number {
  if (x.length !== grad.length) throw new RangeError('lagrangeMultiplier: x and grad lengths differ');
  return -dot(x, grad) / x.length;
}

/**
 * Riemannian gradient `∇H − (x·∇H/N) x = ∇H + μ x` into `out` (THEORY §2), with H(x) and μ.
 * Gradient flow is `dx/dt = −out`.
 * @example
 * const inst = sampleInstance({ n: 20, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * const g = new Float64Array(20);
 * const { mu } = riemannianGradient(inst, inst.signal, g); // g·signal ≈ 0
 */
export function riemannianGradient(
  inst: Instance,
  x: Float64Array,
  out: Float64Array,
): { energy: number; mu: number } {
  const h = gradient(inst, x, out);
  const mu = lagrangeMultiplier(x, out);
  for (let i = 0; i < out.length; i++) out[i] += mu * x[i];
  return { energy: h, mu };
}

/**
 * Euclidean Hessian–vector product `∇²H(x) v` into `out`.
 * @example
 * const inst = sampleInstance({ n: 20, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * const hv = new Float64Array(20);
 * hessianVectorProduct(inst, inst.signal, inst.signal, hv); // = (p−1)∇H_p + ∇H_2 at x*, by homogeneity
 */
export function hessianVectorProduct(
  inst: Instance,
  x: Float64Array,
  v: Float64Array,
  out: Float64Array,
): void {
  checkVector(inst, 'x', x);
  checkVector(inst, 'v', v);
  checkVector(inst, 'out', out);
  const scales = lossScales(inst);
  out.fill(0);
  if (inst.matrix) symmetricProduct(inst.matrix, inst.n, v, -scales.matrix, out);
  if (inst.tensor) packedHessianVectorProduct(inst.tensor, inst.n, inst.p, x, v, -scales.tensor, out);
  for (const c of extraChannels(inst, scales))
    packedHessianVectorProduct(c.tensor, inst.n, c.order, x, v, -c.scale, out);
}

/**
 * Riemannian Hessian–vector product `P(∇²H(x) + μI)P v` into `out`, `P = I − x xᵀ/N`
 * (THEORY §2; pass μ = `lagrangeMultiplier(x, ∇H(x))`). `out` is tangent: `x·out = 0`.
 * @example
 * const inst = sampleInstance({ n: 20, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * const g = new Float64Array(20);
 * const { mu } = riemannianGradient(inst, inst.signal, g);
 * const out = new Float64Array(20);
 * riemannianHessianVectorProduct(inst, inst.signal, mu, inst.signal, out); // out = 0 (radial direction)
 */
export function riemannianHessianVectorProduct(
  inst: Instance,
  x: Float64Array,
  mu: number,
  v: Float64Array,
  out: Float64Array,
): void {
  checkVector(inst, 'x', x);
  checkVector(inst, 'v', v);
  const n = inst.n;
  const cv = dot(x, v) / n;
  const pv = new Float64Array(n);
  for (let i = 0; i < n; i++) pv[i] = v[i] - cv * x[i];
  hessianVectorProduct(inst, x, pv, out);
  for (let i = 0; i < n; i++) out[i] += mu * pv[i];
  const cw = dot(x, out) / n;
  for (let i = 0; i < n; i++) out[i] -= cw * x[i];
}

/**
 * Dense Euclidean Hessian ∇²H(x), N×N row-major.
 * @example
 * const inst = sampleInstance({ n: 10, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * hessian(inst, inst.signal).length; // 100
 */
export function hessian(inst: Instance, x: Float64Array): Float64Array {
  checkVector(inst, 'x', x);
  const { n } = inst;
  const scales = lossScales(inst);
  const h = new Float64Array(n * n);
  if (inst.matrix) {
    const y = inst.matrix;
    for (let k = 0; k < n * n; k++) h[k] = -scales.matrix * y[k];
  }
  if (inst.tensor) packedHessian(inst.tensor, n, inst.p, x, -scales.tensor, h);
  for (const c of extraChannels(inst, scales)) packedHessian(c.tensor, n, c.order, x, -c.scale, h);
  return h;
}

/**
 * Dense Riemannian Hessian `P(∇²H + μI)P` at x, N×N row-major, with `μ = −x·∇H(x)/N`
 * (THEORY §2, §4.1). Its spectrum is the N−1 tangent eigenvalues plus an exact 0
 * for the radial direction x.
 * @example
 * const inst = sampleInstance({ n: 10, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * riemannianHessian(inst, inst.signal).length; // 100
 */
export function riemannianHessian(inst: Instance, x: Float64Array): Float64Array {
  const { n } = inst;
  const g = new Float64Array(n);
  gradient(inst, x, g);
  const mu = lagrangeMultiplier(x, g);
  const a = hessian(inst, x);
  for (let i = 0; i < n; i++) a[i * n + i] += mu;
  // P A P = A − w xᵀ − x wᵀ + c x xᵀ with w = A x / N, c = xᵀ A x / N².
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    w[i] = s / n;
  }
  const c = dot(x, w) / n;
  // Upper triangle, mirrored, so the result is exactly symmetric (eigensolvers check it).
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = a[i * n + j] - w[i] * x[j] - x[i] * w[j] + c * x[i] * x[j];
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

/** What gradient-based integrators consume (THEORY §2): Euclidean ∇H (returning H) and ∇²H v. */
export interface SphereObjective {
  readonly n: number;
  /** Euclidean ∇H(x) into `out`; returns H(x). */
  gradient(x: Float64Array, out: Float64Array): number;
  /** Euclidean ∇²H(x) v into `out`. */
  hessianVectorProduct(x: Float64Array, v: Float64Array, out: Float64Array): void;
}

/**
 * The instance's loss as a `SphereObjective` (Euclidean derivatives; integrators add
 * the Lagrange multiplier themselves).
 * @example
 * const obj = sphereObjective(sampleInstance({ n: 20, p: 3, delta2: 1, deltap: 1, seed: 1 }));
 * obj.gradient(new Float64Array(20).fill(1), new Float64Array(20));
 */
export function sphereObjective(inst: Instance): SphereObjective {
  return {
    n: inst.n,
    gradient: (x, out) => gradient(inst, x, out),
    hessianVectorProduct: (x, v, out) => hessianVectorProduct(inst, x, v, out),
  };
}
