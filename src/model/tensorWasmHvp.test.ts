import { describe, expect, it } from 'vitest';
import { packedGradient, packedHessianVectorProduct } from './contractions.ts';
import { binomial } from './packed.ts';
import {
  allocatePackedTensor,
  type HvpKernel,
  type TensorKernelOptions,
  wasmGradient,
  wasmHessianVectorProduct,
} from './tensorWasm.ts';

const entry = (i: number) => Math.sin(12.9898 * i + 78.233) * 0.999;

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('paired-block Hessian–vector kernel (hvpPair)', () => {
  // Odd and even n (a lone last block or not), stretches of every length mod 4, and p = 4, 5
  // (many blocks of different dimensions through the prefix loop).
  const cases: [number, number][] = [
    [3, 3],
    [4, 3],
    [5, 3],
    [22, 3],
    [41, 3],
    [164, 3],
    [13, 4],
    [11, 5],
  ];
  /** One tensor of `entry` values: its kernels (`run`), the JS kernel's result and Σ|terms|. */
  function setup(n: number, p: number, precision: 'float64' | 'float32', options: TensorKernelOptions) {
    const len = binomial(n, p);
    const t = allocatePackedTensor(n, p, len, precision, options);
    for (let i = 0; i < len; i++) t[i] = entry(i);
    const plain = precision === 'float32' ? Float32Array.from(t) : Float64Array.from(t);
    const x = new Float64Array(n).map((_, i) => Math.cos(0.7 * i + 0.1));
    const v = new Float64Array(n).map((_, i) => Math.sin(0.3 * i + 1));
    const run = (k: HvpKernel) => {
      const out = new Float64Array(n).fill(-0.5);
      expect(wasmHessianVectorProduct(t, n, p, x, v, -1.3, out, k)).toBe(true);
      return out;
    };
    const js = new Float64Array(n).fill(-0.5);
    packedHessianVectorProduct(plain, n, p, x, v, -1.3, js);
    // Σ|terms| per output: the JS kernel on |T|, |x|, |v| (plus the initial |−0.5|).
    const abs = new Float64Array(n).fill(0.5);
    packedHessianVectorProduct(plain.map(Math.abs), n, p, x.map(Math.abs), v.map(Math.abs), 1.3, abs);
    expect(maxDiff(js, new Float64Array(n).fill(-0.5))).toBeGreaterThan(1e-3);
    return { len, run, js, abs };
  }

  for (const [n, p] of cases)
    for (const precision of ['float64', 'float32'] as const)
      it(`equals the one-row kernel and the JS kernel: n=${n} p=${p} ${precision}`, () => {
        // float32 widened: the same float64 arithmetic as float64.
        const { len, run, js } = setup(n, p, precision, { float32: 'widened' });
        // Same float64 sums in different orders over ≤ C(n,p) ≤ 7.3e5 terms of size ≤ 1.3:
        // a few hundred ulps of the sum of |terms|, below 1e-13·len.
        const tol = 1e-13 * len;
        expect(maxDiff(run('hvpPair'), js)).toBeLessThan(tol);
        expect(maxDiff(run('hvpPair'), run('hvp'))).toBeLessThan(tol);
      });

  // f32x4 (the default float32 arithmetic): float32 sums, so agreement to float32 rounding.
  for (const [n, p] of cases)
    it(`f32x4: equals the one-row kernel and the JS kernel to float32 rounding: n=${n} p=${p}`, () => {
      const { run, js, abs } = setup(n, p, 'float32', {});
      // Each float32 sum runs over ≤ 2n terms (both blocks' into one scratch entry), and x,
      // v, the coefficient and the product round once more: error ≤ (2n + 4)·u32·Σ|terms|
      // (recursive summation, first order); the float64 rest is far below.
      const pair = run('hvpPair');
      const one = run('hvp');
      for (let i = 0; i < n; i++) {
        const tol = (2 * n + 4) * 2 ** -24 * abs[i];
        expect(Math.abs(pair[i] - js[i])).toBeLessThanOrEqual(tol);
        expect(Math.abs(pair[i] - one[i])).toBeLessThanOrEqual(2 * tol);
      }
    });

  it('equals central finite differences of the gradient (exact for a cubic F up to rounding)', () => {
    for (const precision of ['float64', 'float32'] as const) {
      const n = 61;
      const len = binomial(n, 3);
      const t = allocatePackedTensor(n, 3, len, precision, { float32: 'widened' });
      for (let i = 0; i < len; i++) t[i] = entry(i);
      const x = new Float64Array(n).map((_, i) => Math.cos(0.7 * i + 0.1));
      const v = new Float64Array(n).map((_, i) => Math.sin(0.3 * i + 1));
      const h = 1e-3;
      const grad = (sign: number) => {
        const g = new Float64Array(n);
        const y = x.map((xi, i) => xi + sign * h * v[i]);
        expect(wasmGradient(t, n, 3, y, 1, g)).not.toBeUndefined();
        return g;
      };
      const gp = grad(1);
      const gm = grad(-1);
      const fd = gp.map((g, i) => (g - gm[i]) / (2 * h));
      const hv = new Float64Array(n);
      wasmHessianVectorProduct(t, n, 3, x, v, 1, hv, 'hvpPair');
      // ∇F is quadratic in x, so the central difference has no truncation error: what is
      // left is rounding, ≈ 1e-16·|∇F| (≤ C(n,2) ≈ 1.8e3 terms of size ≤ 1) / h ≈ 2e-10.
      expect(maxDiff(fd, hv)).toBeLessThan(1e-8);
      expect(maxDiff(hv, new Float64Array(n))).toBeGreaterThan(1);
      // and the JS gradient agrees (independent path for the finite differences)
      const gj = new Float64Array(n);
      packedGradient(
        Float64Array.from(t),
        n,
        3,
        x.map((xi, i) => xi + h * v[i]),
        1,
        gj,
      );
      expect(maxDiff(gj, gp)).toBeLessThan(1e-10);
    }
  });
});
