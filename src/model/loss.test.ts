import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import {
  packedContract,
  packedContractGeneric,
  packedGradient,
  packedGradientGeneric,
  packedHessianVectorProduct,
  packedHessianVectorProductGeneric,
} from './contractions.ts';
import { spikedCovariance } from './covariance.ts';
import { type Instance, sampleInstance, type TensorPrecision } from './instance.ts';
import {
  energy,
  gradient,
  hessian,
  hessianVectorProduct,
  lagrangeMultiplier,
  riemannianGradient,
  riemannianHessian,
  riemannianHessianVectorProduct,
  sphereObjective,
} from './loss.ts';
import { packedIndex } from './packed.ts';
import { pointAtOverlap, randomPointOnSphere } from './sphere.ts';
import { allocatePackedTensor } from './tensorWasm.ts';

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);
const norm = (a: Float64Array) => Math.sqrt(dot(a, a));
const relErr = (a: Float64Array, b: Float64Array) =>
  norm(a.map((v, i) => v - b[i])) / Math.max(norm(b), 1e-300);

/**
 * Independent oracle for THEORY §1: the full symmetric tensor (zero on repeated
 * indices), contracted over all N^p index tuples. `Σ_{all} T_sym x⋯x = p! Σ_{ordered}`
 * and the gradient is the contraction over p−1 slots divided by (p−1)!.
 */
function fullTensorOracle(inst: Instance, x: Float64Array): { energy: number; gradient: Float64Array } {
  const { n, p } = inst;
  let fact = 1;
  for (let k = 2; k <= p; k++) fact *= k;
  const grad = new Float64Array(n);
  let e = 0;
  const tensorScale = inst.tensor ? Math.sqrt(fact / p) / (inst.deltap * n ** ((p - 1) / 2)) : 0;
  if (inst.tensor) {
    const t = inst.tensor;
    const idx = new Array<number>(p).fill(0);
    // Plain base-N odometer over every tuple, ordered or not.
    for (let count = 0; count < n ** p; count++) {
      let c = count;
      for (let r = p - 1; r >= 0; r--) {
        idx[r] = c % n;
        c = Math.floor(c / n);
      }
      const sorted = idx.slice().sort((a, b) => a - b);
      if (sorted.some((v, r) => r > 0 && v === sorted[r - 1])) continue;
      const value = t[packedIndex(n, sorted)];
      let prod = 1;
      for (let r = 1; r < p; r++) prod *= x[idx[r]];
      grad[idx[0]] -= (tensorScale * value * prod) / (fact / p);
      e -= (tensorScale * value * prod * x[idx[0]]) / fact;
    }
  }
  if (inst.matrix) {
    const y = inst.matrix;
    const s = 1 / (inst.delta2 * Math.sqrt(n));
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        grad[i] -= s * y[i * n + j] * x[j];
        if (i < j) e -= s * y[i * n + j] * x[i] * x[j];
      }
  }
  return { energy: e, gradient: grad };
}

/**
 * The sizes Σ|terms| of the oracle's energy and gradient: the oracle on |T|, |Y|, |x|
 * (float32 tensor kernels sum in f32x4, with error ≤ (n + 4)·u32·Σ|terms|; see
 * `tensorWasmF32.ts`).
 */
function termSizes(inst: Instance, x: Float64Array) {
  const abs = {
    ...inst,
    tensor: inst.tensor ? Float64Array.from(inst.tensor, Math.abs) : null,
    matrix: inst.matrix ? Float64Array.from(inst.matrix, Math.abs) : null,
  };
  const o = fullTensorOracle(abs, x.map(Math.abs));
  return { energy: Math.abs(o.energy), gradient: o.gradient.map(Math.abs) };
}

/** Relative tolerance of a kernel against float64 arithmetic: 1e-12, or the f32x4 bound. */
function kernelTolerance(precision: TensorPrecision, n: number): number {
  return precision === 'float32' ? (n + 4) * 2 ** -24 : 1e-12;
}

/** Central-difference gradient of `energy` along every coordinate. */
function finiteDifferenceGradient(inst: Instance, x: Float64Array, h: number): Float64Array {
  const g = new Float64Array(inst.n);
  const y = Float64Array.from(x);
  for (let i = 0; i < inst.n; i++) {
    y[i] = x[i] + h;
    const ep = energy(inst, y);
    y[i] = x[i] - h;
    const em = energy(inst, y);
    y[i] = x[i];
    g[i] = (ep - em) / (2 * h);
  }
  return g;
}

const cases: Array<{ n: number; p: number; delta2: number; deltap: number; precision: TensorPrecision }> = [
  { n: 14, p: 3, delta2: 0.7, deltap: 1.3, precision: 'float64' },
  { n: 14, p: 3, delta2: 0.7, deltap: 1.3, precision: 'float32' },
  { n: 12, p: 4, delta2: 1.1, deltap: 0.6, precision: 'float64' },
  { n: 12, p: 4, delta2: 1.1, deltap: 0.6, precision: 'float32' },
  { n: 9, p: 5, delta2: 2, deltap: 0.9, precision: 'float64' },
  { n: 9, p: 5, delta2: 2, deltap: 0.9, precision: 'float32' },
  { n: 10, p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 0.5, precision: 'float64' },
  { n: 10, p: 4, delta2: 0.5, deltap: Number.POSITIVE_INFINITY, precision: 'float64' },
];

describe('energy and gradient (THEORY §1)', () => {
  for (const c of cases) {
    const label = `p=${c.p} n=${c.n} Δ2=${c.delta2} Δp=${c.deltap} ${c.precision}`;
    it(`match the full-tensor oracle and central differences: ${label}`, () => {
      const inst = sampleInstance({ ...c, seed: 11 });
      const x = randomPointOnSphere(c.n, Rng.fromSeed(5));
      const oracle = fullTensorOracle(inst, x);
      const g = new Float64Array(c.n);
      const h = gradient(inst, x, g);
      // Same sums in a different order: agreement to rounding, relative to Σ|terms|
      // (float64: 1e-12; float32 tensors sum in float32, (n + 4)·u32).
      const size = termSizes(inst, x);
      const rel = kernelTolerance(c.precision, c.n);
      expect(Math.abs(h - oracle.energy)).toBeLessThan(rel * (1 + size.energy));
      expect(Math.abs(energy(inst, x) - h)).toBeLessThan(2 * rel * (1 + size.energy));
      for (let i = 0; i < c.n; i++)
        expect(Math.abs(g[i] - oracle.gradient[i])).toBeLessThan(rel * (1e-300 + size.gradient[i]));
      // H is a polynomial of degree p with O(1) coefficients: central differences with
      // step s err by ~s²·|∂³H| plus rounding ~ε·Σ|terms|/s. float64 (ε ≈ 1e-16): s = 1e-4,
      // ≈ 1e-8 + 1e-11, 1e-6 is the spec. float32 arithmetic (ε = (n + 4)·u32 ≈ 1e-6):
      // s = 1e-2, ≈ 1e-4 + 1e-4·Σ|terms|/|H| (≲ 10 here): 1e-2.
      const [step, fdTol] = c.precision === 'float32' ? [1e-2, 1e-2] : [1e-4, 1e-6];
      expect(relErr(finiteDifferenceGradient(inst, x, step), g)).toBeLessThan(fdTol);
    });

    it(`Hessian–vector product matches central differences of the gradient: ${label}`, () => {
      const inst = sampleInstance({ ...c, seed: 12 });
      const rng = Rng.fromSeed(6);
      const x = randomPointOnSphere(c.n, rng);
      const v = randomPointOnSphere(c.n, rng);
      const hv = new Float64Array(c.n);
      hessianVectorProduct(inst, x, v, hv);
      const step = c.precision === 'float32' ? 1e-2 : 1e-4;
      const gp = new Float64Array(c.n);
      const gm = new Float64Array(c.n);
      gradient(
        inst,
        x.map((xi, i) => xi + step * v[i]),
        gp,
      );
      gradient(
        inst,
        x.map((xi, i) => xi - step * v[i]),
        gm,
      );
      const fd = gp.map((a, i) => (a - gm[i]) / (2 * step));
      // Same error budget as the gradient check (one order of differentiation less).
      expect(relErr(fd, hv)).toBeLessThan(c.precision === 'float32' ? 1e-2 : 1e-6);
      // The dense Hessian's columns are Hessian–vector products with basis vectors.
      const dense = hessian(inst, x);
      const e = new Float64Array(c.n);
      const col = new Float64Array(c.n);
      for (let j = 0; j < c.n; j++) {
        e.fill(0);
        e[j] = 1;
        hessianVectorProduct(inst, x, e, col);
        const fromDense = Float64Array.from({ length: c.n }, (_, i) => dense[i * c.n + j]);
        // float32: the dense Hessian is widened (float64 arithmetic), the product f32x4.
        expect(relErr(fromDense, col)).toBeLessThan(kernelTolerance(c.precision, c.n) * 10);
      }
    });
  }

  it('fast p = 3 and p = 4 kernels equal the generic odometer kernel', () => {
    for (const [n, p] of [
      [40, 3],
      [22, 4],
    ]) {
      for (const precision of ['float64', 'float32'] as const) {
        const inst = sampleInstance({ n, p, delta2: 1, deltap: 1, seed: 3, precision });
        const rng = Rng.fromSeed(9);
        const x = randomPointOnSphere(n, rng);
        const v = randomPointOnSphere(n, rng);
        const t = inst.tensor!;
        const [a, b] = [new Float64Array(n), new Float64Array(n)];
        const fa = packedGradient(t, n, p, x, 0.7, a);
        const fb = packedGradientGeneric(t, n, p, x, 0.7, b);
        const fc = packedContract(t, n, p, x);
        const fd = packedContractGeneric(t, n, p, x);
        // Different summation order only (float32: f32x4 sums against float64 ones), relative
        // to Σ|terms|: the generic kernels on |T|, |x|, |v| (float64, plain arrays).
        const rel = kernelTolerance(precision, n);
        const absT = Float64Array.from(t, Math.abs);
        const [ax, av] = [x.map(Math.abs), v.map(Math.abs)];
        const [ga, hva] = [new Float64Array(n), new Float64Array(n)];
        const ea = packedGradientGeneric(absT, n, p, ax, 0.7, ga);
        packedHessianVectorProductGeneric(absT, n, p, ax, av, 1.3, hva);
        expect(Math.abs(fc - fd)).toBeLessThan(rel * (1 + ea));
        expect(Math.abs(fc - fa)).toBeLessThan(2 * rel * (1 + ea));
        expect(Math.abs(fa - fb)).toBeLessThan(rel * (1 + ea));
        for (let i = 0; i < n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(rel * ga[i]);
        a.fill(0);
        b.fill(0);
        packedHessianVectorProduct(t, n, p, x, v, -1.3, a);
        packedHessianVectorProductGeneric(t, n, p, x, v, -1.3, b);
        for (let i = 0; i < n; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(rel * hva[i]);
      }
    }
  });

  it('is homogeneous: x·∇H = 2 H_matrix + p H_tensor (Euler)', () => {
    const n = 30;
    const x = randomPointOnSphere(n, Rng.fromSeed(1));
    const g = new Float64Array(n);
    const both = sampleInstance({ n, p: 4, delta2: 0.8, deltap: 1.5, seed: 2 });
    const matrixOnly = { ...both, tensor: null };
    const tensorOnly = { ...both, matrix: null };
    const h2 = energy(matrixOnly, x);
    const hp = energy(tensorOnly, x);
    expect(Math.abs(gradient(both, x, g) - (h2 + hp))).toBeLessThan(1e-12 * (1 + Math.abs(h2 + hp)));
    // Euler's theorem for homogeneous polynomials, exact up to rounding.
    expect(Math.abs(dot(x, g) - (2 * h2 + 4 * hp))).toBeLessThan(1e-10 * (1 + Math.abs(h2) + Math.abs(hp)));
  });

  it('float32 tensor gives the energy of the rounded float64 instance', () => {
    const a = sampleInstance({ n: 25, p: 3, delta2: 1, deltap: 1, seed: 4, precision: 'float64' });
    const b = sampleInstance({ n: 25, p: 3, delta2: 1, deltap: 1, seed: 4, precision: 'float32' });
    // Both tensors WebAssembly-backed like sampled ones, so both run the same kernel.
    const tensor = allocatePackedTensor(25, 3, a.tensor!.length, 'float64');
    tensor.set(Float64Array.from(a.tensor!, Math.fround));
    const rounded = { ...a, tensor };
    const x = randomPointOnSphere(25, Rng.fromSeed(8));
    // Identical numbers, identical (float64) arithmetic with the float32 tensor widened.
    const widened = allocatePackedTensor(25, 3, b.tensor!.length, 'float32', { float32: 'widened' });
    widened.set(b.tensor!);
    expect(energy({ ...b, tensor: widened }, x)).toBe(energy(rounded, x));
    // and the default f32x4 sums within (n + 4)·u32·Σ|terms| of it.
    const size = termSizes(b, x).energy;
    expect(Math.abs(energy(b, x) - energy(rounded, x))).toBeLessThan(kernelTolerance('float32', 25) * size);
  });
});

describe('Riemannian gradient and Hessian (THEORY §2)', () => {
  const n = 24;
  const inst = sampleInstance({ n, p: 3, delta2: 0.9, deltap: 1.2, seed: 21 });
  const rng = Rng.fromSeed(22);
  const x = randomPointOnSphere(n, rng);
  const v = randomPointOnSphere(n, rng);
  const g = new Float64Array(n);
  const h = gradient(inst, x, g);
  const mu = lagrangeMultiplier(x, g);

  it('Riemannian gradient is the tangent projection of ∇H, μ = −x·∇H/N', () => {
    const rg = new Float64Array(n);
    const res = riemannianGradient(inst, x, rg);
    expect(res.energy).toBe(h);
    expect(res.mu).toBe(mu);
    const projected = g.map((gi, i) => gi - (dot(x, g) / n) * x[i]);
    // Pure rounding on O(1) vectors.
    expect(relErr(rg, projected)).toBeLessThan(1e-13);
    expect(Math.abs(dot(rg, x))).toBeLessThan(1e-11);
  });

  it('Riemannian gradient is the derivative of H along sphere geodesics', () => {
    // Independent check: H(R(t)) with R(t) = √N (x + t u)/|x + t u| for a tangent u; d/dt at 0 = u·grad_R.
    const u = v.map((vi, i) => vi - (dot(v, x) / n) * x[i]);
    const retract = (t: number) => {
      const y = x.map((xi, i) => xi + t * u[i]);
      const s = Math.sqrt(n / dot(y, y));
      return y.map((yi) => yi * s);
    };
    const step = 1e-5;
    const fd = (energy(inst, retract(step)) - energy(inst, retract(-step))) / (2 * step);
    const rg = new Float64Array(n);
    riemannianGradient(inst, x, rg);
    // Central difference error ~step²·|∂³| + 1e-16·|H|/step ≈ 1e-10 on an O(1) quantity.
    expect(Math.abs(fd - dot(u, rg))).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
  });

  it('Riemannian Hessian–vector product is P(∇²H + μI)P v and the dense matrix matches its columns', () => {
    const out = new Float64Array(n);
    riemannianHessianVectorProduct(inst, x, mu, v, out);
    const pv = v.map((vi, i) => vi - (dot(v, x) / n) * x[i]);
    const hv = new Float64Array(n);
    hessianVectorProduct(inst, x, pv, hv);
    const w = hv.map((a, i) => a + mu * pv[i]);
    const expected = w.map((wi, i) => wi - (dot(w, x) / n) * x[i]);
    expect(relErr(out, expected)).toBeLessThan(1e-13);
    expect(Math.abs(dot(out, x))).toBeLessThan(1e-10);

    const dense = riemannianHessian(inst, x);
    const e = new Float64Array(n);
    const col = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      riemannianHessianVectorProduct(inst, x, mu, e, col);
      const fromDense = Float64Array.from({ length: n }, (_, i) => dense[i * n + j]);
      // Two orders of the same O(N²) arithmetic.
      expect(relErr(fromDense, col)).toBeLessThan(1e-11);
    }
    // Symmetric, and x is an exact null vector.
    for (let i = 0; i < n; i++)
      for (let j = 0; j < i; j++) expect(Math.abs(dense[i * n + j] - dense[j * n + i])).toBeLessThan(1e-12);
    const dx = Float64Array.from({ length: n }, (_, i) => dot(dense.subarray(i * n, (i + 1) * n), x));
    expect(norm(dx)).toBeLessThan(1e-10);
  });

  it('sphereObjective exposes the same Euclidean gradient and Hessian–vector product', () => {
    const obj = sphereObjective(inst);
    expect(obj.n).toBe(n);
    const g2 = new Float64Array(n);
    expect(obj.gradient(x, g2)).toBe(h);
    expect(Array.from(g2)).toEqual(Array.from(g));
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    obj.hessianVectorProduct(x, v, a);
    hessianVectorProduct(inst, x, v, b);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('rejects vectors of the wrong length', () => {
    expect(() => energy(inst, new Float64Array(n - 1))).toThrow(RangeError);
    expect(() => gradient(inst, x, new Float64Array(n + 1))).toThrow(RangeError);
  });
});

/** Elementary symmetric polynomials e_0..e_k of the entries of `z` (exact DP, no packing involved). */
function elementarySymmetric(z: Float64Array, k: number): Float64Array {
  const e = new Float64Array(k + 1);
  e[0] = 1;
  for (const zi of z) for (let r = k; r >= 1; r--) e[r] += zi * e[r - 1];
  return e;
}

/**
 * Exact law of H(x) given x* and x, over the noise (THEORY §1): H is Gaussian with
 * mean −e2(z)/(Δ2 N) − (p−1)! e_p(z)/(Δp N^{p−1}), z_i = x*_i x_i, and variance
 * e2(w)/(Δ2 N) + (p−1)! e_p(w)/(Δp N^{p−1}), w_i = x_i². For large N these become
 * −N f(m) and N f(1) (THEORY §1.1), up to O(1) corrections from the excluded repeated indices.
 */
function exactEnergyLaw(
  signal: Float64Array,
  x: Float64Array,
  p: number,
  delta2: number,
  deltap: number,
): { mean: number; variance: number } {
  const n = x.length;
  let fact = 1;
  for (let k = 2; k < p; k++) fact *= k;
  const ez = elementarySymmetric(
    signal.map((s, i) => s * x[i]),
    p,
  );
  const ew = elementarySymmetric(
    x.map((v) => v * v),
    p,
  );
  const a2 = delta2 === Number.POSITIVE_INFINITY ? 0 : 1 / (delta2 * n);
  const ap = deltap === Number.POSITIVE_INFINITY ? 0 : fact / (deltap * n ** (p - 1));
  return { mean: -a2 * ez[2] - ap * ez[p], variance: a2 * ew[2] + ap * ew[p] };
}

describe('statistics of H at a given overlap (THEORY §1.1)', () => {
  const settings = [
    { n: 24, p: 3, delta2: 0.7, deltap: 1.5, m: 0.5 },
    { n: 16, p: 4, delta2: 1.2, deltap: 0.8, m: 0.8 },
    { n: 20, p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1, m: 0 },
  ];
  for (const s of settings) {
    it(`standardised energies over many instances are N(0,1): p=${s.p} N=${s.n} Δ2=${s.delta2} Δp=${s.deltap} m=${s.m}`, () => {
      const samples = 3000;
      const rng = Rng.fromSeed(77);
      let sum = 0;
      let sum2 = 0;
      for (let r = 0; r < samples; r++) {
        const inst = sampleInstance({ n: s.n, p: s.p, delta2: s.delta2, deltap: s.deltap, seed: 1000 + r });
        const x = pointAtOverlap(inst.signal, s.m, rng);
        const law = exactEnergyLaw(inst.signal, x, s.p, s.delta2, s.deltap);
        const zscore = (energy(inst, x) - law.mean) / Math.sqrt(law.variance);
        sum += zscore;
        sum2 += zscore * zscore;
      }
      const mean = sum / samples;
      const second = sum2 / samples;
      // Standard errors of the mean (1/√S) and of the second moment (√(2/S)) of N(0,1) samples; 4 of them.
      expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(samples));
      expect(Math.abs(second - 1)).toBeLessThan(4 * Math.sqrt(2 / samples));
    });
  }

  it('the exact finite-N law tends to −N f(m) and N f(1) with O(1/N) relative corrections', () => {
    const p = 3;
    const delta2 = 0.7;
    const deltap = 1.5;
    const m = 0.5;
    const f = spikedCovariance({ p, delta2, deltap });
    const rng = Rng.fromSeed(5);
    for (const n of [100, 1000, 10000]) {
      const signal = randomPointOnSphere(n, rng);
      const x = pointAtOverlap(signal, m, rng);
      const law = exactEnergyLaw(signal, x, p, delta2, deltap);
      // The dropped diagonal terms are sums of O(1) fourth moments (≈3 per coordinate) over
      // N coordinates against O(N²) sums: relative size ≲ 3·C(p,2)/(N m²) ≤ 36/N here.
      expect(Math.abs(law.mean / (-n * f.f(m)) - 1)).toBeLessThan(36 / n);
      expect(Math.abs(law.variance / (n * f.f(1)) - 1)).toBeLessThan(36 / n);
    }
  });
});
