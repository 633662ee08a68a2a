import { describe, expect, it } from 'vitest';
import { packedContract, packedGradient, packedHessian, packedHessianVectorProduct } from './contractions.ts';
import { binomial } from './packed.ts';
import {
  allocatePackedTensor,
  isAcceleratedTensor,
  type PackedTensor,
  type TensorKernelOptions,
} from './tensorWasm.ts';

/** Deterministic pseudo-random entries in [−1, 1] (no Rng needed for kernel tests). */
const entry = (i: number) => Math.sin(12.9898 * i + 78.233) * 0.999;

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** All four kernels on one tensor; outputs start non-zero to check they accumulate. */
function evaluate(t: PackedTensor, n: number, p: number, x: Float64Array, v: Float64Array) {
  return evaluateWith(t, n, p, x, v, [0.25, -0.5, 1]);
}

function evaluateWith(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  v: Float64Array,
  [g0, hv0, h0]: number[],
) {
  const g = new Float64Array(n).fill(g0);
  const hv = new Float64Array(n).fill(hv0);
  const h = new Float64Array(n * n).fill(h0);
  const energy = packedContract(t, n, p, x);
  const fromGradient = packedGradient(t, n, p, x, 0.7, g);
  packedHessianVectorProduct(t, n, p, x, v, -1.3, hv);
  packedHessian(t, n, p, x, 0.9, h);
  return { energy, fromGradient, g, hv, h };
}

function vectors(n: number) {
  const x = new Float64Array(n).map((_, i) => Math.cos(0.7 * i + 0.1));
  const v = new Float64Array(n).map((_, i) => Math.sin(0.3 * i + 1));
  return { x, v };
}

/**
 * The backends, one suite for all (TensorFlow.js style): the WebAssembly kernels in
 * float64, float32 in f32x4 arithmetic (the default) and float32 widened to float64,
 * and the JS kernels (`backend: 'js'`, what runs without WebAssembly SIMD).
 */
const backends: {
  name: string;
  precision: 'float64' | 'float32';
  options: TensorKernelOptions;
  /** Whether the arithmetic rounds to float32 (f32x4 stretches) rather than float64. */
  f32Arithmetic: boolean;
}[] = [
  { name: 'wasm float64', precision: 'float64', options: {}, f32Arithmetic: false },
  { name: 'wasm float32 f32x4', precision: 'float32', options: {}, f32Arithmetic: true },
  {
    name: 'wasm float32 widened',
    precision: 'float32',
    options: { float32: 'widened' },
    f32Arithmetic: false,
  },
  { name: 'JS float64', precision: 'float64', options: { backend: 'js' }, f32Arithmetic: false },
  { name: 'JS float32', precision: 'float32', options: { backend: 'js' }, f32Arithmetic: false },
];

const U32 = 2 ** -24;

/**
 * Kernel error bound from the sum of |terms| (`abs`, the same kernel on |T|, |x|, |v|).
 * f32x4: every float32 sum runs over ≤ n terms (one stretch, or one block of the scratch),
 * and x, v, the row coefficient and each product are rounded once more: first-order
 * error ≤ (n + 4)·u32·Σ|terms| (Higham, recursive summation); the rest is float64.
 * float64 arithmetic (either side): sums over ≤ C(n,p) terms, ≤ (len + 4)·u64·Σ|terms| each.
 * `stored`: the float32 rounding of the entries themselves (closed forms only), u32·Σ|terms|.
 * `terms`: float32 terms per sum, n; 2n for the Hessian–vector product, whose paired-block
 * kernel (blocks ≥ 160) adds both blocks' terms into one float32 scratch.
 */
function bound(f32: boolean, n: number, len: number, abs: number, stored: boolean, terms = n): number {
  return ((f32 ? (terms + 4) * U32 : 0) + (stored ? U32 : 0) + 2 * (len + 4) * 2 ** -53) * abs;
}

function absolute(t: PackedTensor, n: number, p: number, x: Float64Array, v: Float64Array) {
  const abs = Float64Array.from(t, Math.abs);
  // The outputs start at 0.25, −0.5, 1 (see `evaluate`): their sizes count among the terms.
  return evaluateWith(abs, n, p, x.map(Math.abs), v.map(Math.abs), [0.25, 0.5, 1]);
}

function expectWithin(a: ArrayLike<number>, b: ArrayLike<number>, tol: (i: number) => number): void {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / tol(i));
  expect(worst).toBeLessThanOrEqual(1);
}

describe.each(backends)('tensor kernels: $name', ({ precision, options, f32Arithmetic, name }) => {
  const wasm = options.backend !== 'js';
  // n = 5…41 (and 163, 164) makes the stretches (length n−j−1) hit every residue mod 8, so
  // the vector loops end at every offset (f32x4: past the stretch into the padding); p = 5, 6
  // go through several prefix blocks.
  const cases: [number, number][] = [
    [3, 3],
    [5, 3],
    [23, 3],
    [41, 3],
    // n ≥ 160 takes the paired dense-Hessian kernel; odd n ends on a lone block.
    [163, 3],
    [164, 3],
    [4, 4],
    [13, 4],
    [11, 5],
    [9, 6],
  ];
  if (wasm)
    for (const [n, p] of cases)
      it(`equal the JS kernels to rounding: n=${n} p=${p}`, () => {
        const len = binomial(n, p);
        const fast = allocatePackedTensor(n, p, len, precision, options);
        for (let i = 0; i < len; i++) fast[i] = entry(i);
        expect(isAcceleratedTensor(fast, n, p)).toBe(true);
        // The same entries (float32-rounded alike) in a plain array take the JS path.
        const plain = precision === 'float32' ? Float32Array.from(fast) : Float64Array.from(fast);
        expect(isAcceleratedTensor(plain, n, p)).toBe(false);
        const { x, v } = vectors(n);
        const a = evaluate(fast, n, p, x, v);
        const b = evaluate(plain, n, p, x, v);
        const m = absolute(plain, n, p, x, v);
        // Σ|terms| of each output (the kernels' own scales 0.7, −1.3, 0.9 included).
        const tol = (abs: number) => bound(f32Arithmetic, n, len, abs, false);
        expect(Math.abs(a.energy - b.energy)).toBeLessThanOrEqual(tol(m.energy));
        expect(Math.abs(a.fromGradient - b.energy)).toBeLessThanOrEqual(tol(m.energy));
        expectWithin(a.g, b.g, (i) => tol(m.g[i]));
        expectWithin(a.hv, b.hv, (i) => bound(f32Arithmetic, n, len, m.hv[i], false, 2 * n));
        // f32x4: the dense Hessian sums into a float32 H, each entry over ≤ n terms (same bound).
        expectWithin(a.h, b.h, (i) => tol(m.h[i]));
        // and the comparison is not vacuous: the kernels did add something
        expect(maxDiff(a.g, new Float64Array(n).fill(0.25))).toBeGreaterThan(1e-3);
        // Repeated calls agree bit for bit (the f32x4 scratch is left zero after each call).
        const again = evaluate(fast, n, p, x, v);
        expect(again.g).toEqual(a.g);
        expect(again.hv).toEqual(a.hv);
        expect(again.h).toEqual(a.h);
      });

  /**
   * Rank-one tensor T_{i1…ip} = a_{i1}⋯a_{ip}: F(x) = e_p(y), y_i = a_i x_i, the
   * elementary symmetric polynomial; ∂_i F = a_i e_{p−1}(y without i) and
   * ∂_i∂_j F = a_i a_j e_{p−2}(y without i, j) (closed forms, computed below from
   * the generating polynomial Π(1 + y_i t), independently of the packed layout).
   */
  function elementary(y: ArrayLike<number>, skip: number[], k: number): number {
    const e = new Float64Array(k + 1);
    e[0] = 1;
    for (let i = 0; i < y.length; i++) {
      if (skip.includes(i)) continue;
      for (let r = k; r >= 1; r--) e[r] += y[i] * e[r - 1];
    }
    return e[k];
  }

  for (const [n, p] of [
    [30, 3],
    [171, 3],
    [17, 4],
    [12, 5],
  ] as const)
    it(`match the closed forms of a rank-one tensor: n=${n} p=${p}`, () => {
      const a = new Float64Array(n).map((_, i) => 0.5 + 0.5 * Math.cos(i));
      const len = binomial(n, p);
      const t = allocatePackedTensor(n, p, len, precision, options);
      expect(isAcceleratedTensor(t, n, p)).toBe(wasm);
      // Fill in packed (lexicographic) order with an odometer over increasing tuples.
      const idx = Array.from({ length: p }, (_, r) => r);
      for (let pos = 0; pos < len; pos++) {
        t[pos] = idx.reduce((c, i) => c * a[i], 1);
        let r = p - 1;
        while (r >= 0 && idx[r] === n - p + r) r--;
        if (r < 0) break;
        idx[r]++;
        for (let s = r + 1; s < p; s++) idx[s] = idx[s - 1] + 1;
      }
      const { x, v } = vectors(n);
      const y = x.map((xi, i) => xi * a[i]);
      const ya = y.map(Math.abs);
      const g = new Float64Array(n);
      const h = new Float64Array(n * n);
      const hv = new Float64Array(n);
      const f = packedGradient(t, n, p, x, 1, g);
      packedHessian(t, n, p, x, 1, h);
      packedHessianVectorProduct(t, n, p, x, v, 1, hv);
      // Σ|terms| of each closed form is the same form in |y| (a ≥ 0); float32 storage adds
      // one rounding per entry.
      const stored = precision === 'float32';
      const tol = (abs: number) => bound(f32Arithmetic, n, len, abs, stored);
      const eAbs = elementary(ya, [], p);
      expect(Math.abs(f - elementary(y, [], p))).toBeLessThanOrEqual(tol(eAbs));
      expect(Math.abs(packedContract(t, n, p, x) - elementary(y, [], p))).toBeLessThanOrEqual(tol(eAbs));
      for (let i = 0; i < n; i++) {
        const gi = a[i] * elementary(y, [i], p - 1);
        expect(Math.abs(g[i] - gi)).toBeLessThanOrEqual(tol(a[i] * elementary(ya, [i], p - 1)));
        let hvi = 0;
        let hvAbs = 0;
        for (let j = 0; j < n; j++) {
          if (i === j) {
            expect(h[i * n + j]).toBe(0);
            continue;
          }
          const exact = a[i] * a[j] * elementary(y, [i, j], p - 2);
          const abs = a[i] * a[j] * elementary(ya, [i, j], p - 2);
          expect(Math.abs(h[i * n + j] - exact)).toBeLessThanOrEqual(tol(abs));
          hvi += exact * v[j];
          hvAbs += abs * Math.abs(v[j]);
        }
        expect(Math.abs(hv[i] - hvi)).toBeLessThanOrEqual(bound(f32Arithmetic, n, len, hvAbs, stored, 2 * n));
      }
    });

  it(`allocates ${wasm ? 'a WebAssembly-backed' : 'a plain'} ${precision} array (${name})`, () => {
    const t = allocatePackedTensor(10, 3, binomial(10, 3), precision, options);
    expect(t).toBeInstanceOf(precision === 'float32' ? Float32Array : Float64Array);
    expect(isAcceleratedTensor(t, 10, 3)).toBe(wasm);
  });
});

describe('WebAssembly tensor kernels', () => {
  it('only tensors allocated for the same (n, p) take the fast path', () => {
    const t = allocatePackedTensor(10, 3, binomial(10, 3), 'float64');
    expect(isAcceleratedTensor(t, 10, 3)).toBe(true);
    expect(isAcceleratedTensor(t, 10, 4)).toBe(false);
    expect(isAcceleratedTensor(t.subarray(0), 10, 3)).toBe(false);
    expect(allocatePackedTensor(10, 3, binomial(10, 3), 'float32')).toBeInstanceOf(Float32Array);
  });

  it('f32x4 arithmetic is float32 rounding, not float64 (so the bound above is what is tested)', () => {
    const n = 41;
    const len = binomial(n, 3);
    const simd = allocatePackedTensor(n, 3, len, 'float32');
    const widened = allocatePackedTensor(n, 3, len, 'float32', { float32: 'widened' });
    for (let i = 0; i < len; i++) simd[i] = widened[i] = entry(i);
    const { x, v } = vectors(n);
    const a = evaluate(simd, n, 3, x, v);
    const b = evaluate(widened, n, 3, x, v);
    // Some output must differ by more than float64 rounding (≈ 1e-13 here).
    expect(maxDiff(a.g, b.g)).toBeGreaterThan(1e-9);
  });
});
