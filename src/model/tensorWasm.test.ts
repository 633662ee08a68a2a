import { describe, expect, it } from 'vitest';
import { packedContract, packedGradient, packedHessian, packedHessianVectorProduct } from './contractions.ts';
import { binomial } from './packed.ts';
import { allocatePackedTensor, isAcceleratedTensor, type PackedTensor } from './tensorWasm.ts';

/** Deterministic pseudo-random entries in [−1, 1] (no Rng needed for kernel tests). */
const entry = (i: number) => Math.sin(12.9898 * i + 78.233) * 0.999;

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** All four kernels on one tensor; outputs start non-zero to check they accumulate. */
function evaluate(t: PackedTensor, n: number, p: number, x: Float64Array, v: Float64Array) {
  const g = new Float64Array(n).fill(0.25);
  const hv = new Float64Array(n).fill(-0.5);
  const h = new Float64Array(n * n).fill(1);
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

describe('WebAssembly tensor kernels', () => {
  // n = 5…41 (and 163, 164) makes the stretches (length n−j−1) hit every residue mod 4, so the SIMD main
  // loop and the scalar tail both run; p = 5, 6 go through several prefix blocks.
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
  for (const [n, p] of cases)
    for (const precision of ['float64', 'float32'] as const) {
      it(`equal the JS kernels to rounding: n=${n} p=${p} ${precision}`, () => {
        const len = binomial(n, p);
        const fast = allocatePackedTensor(n, p, len, precision);
        for (let i = 0; i < len; i++) fast[i] = entry(i);
        expect(isAcceleratedTensor(fast, n, p)).toBe(true);
        // The same entries (float32-rounded alike) in a plain array take the JS path.
        const plain = precision === 'float32' ? Float32Array.from(fast) : Float64Array.from(fast);
        expect(isAcceleratedTensor(plain, n, p)).toBe(false);
        const { x, v } = vectors(n);
        const a = evaluate(fast, n, p, x, v);
        const b = evaluate(plain, n, p, x, v);
        // Both sides accumulate in float64 over at most C(n,p) ≤ 7.2e5 terms of size ≤ 1,
        // summed in different orders: the difference is a few hundred ulps of the sum
        // of |terms| (≤ len), i.e. below 1e-13·len.
        const tol = 1e-13 * len;
        expect(Math.abs(a.energy - b.energy)).toBeLessThan(tol);
        expect(Math.abs(a.fromGradient - b.energy)).toBeLessThan(tol);
        expect(maxDiff(a.g, b.g)).toBeLessThan(tol);
        expect(maxDiff(a.hv, b.hv)).toBeLessThan(tol);
        expect(maxDiff(a.h, b.h)).toBeLessThan(tol);
        // and the comparison is not vacuous: the kernels did add something
        expect(maxDiff(a.g, new Float64Array(n).fill(0.25))).toBeGreaterThan(1e-3);
      });
    }

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
    [17, 4],
    [12, 5],
  ] as const)
    it(`match the closed forms of a rank-one tensor: n=${n} p=${p}`, () => {
      const a = new Float64Array(n).map((_, i) => 0.5 + 0.5 * Math.cos(i));
      const len = binomial(n, p);
      const t = allocatePackedTensor(n, p, len, 'float64');
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
      const g = new Float64Array(n);
      const h = new Float64Array(n * n);
      const hv = new Float64Array(n);
      const f = packedGradient(t, n, p, x, 1, g);
      packedHessian(t, n, p, x, 1, h);
      packedHessianVectorProduct(t, n, p, x, v, 1, hv);
      // Terms are O(1) and there are C(n,p) ≤ 1e4 of them: 1e-11 leaves room for the
      // different summation orders of the two sides.
      const tol = 1e-11;
      expect(f).toBeCloseTo(elementary(y, [], p), 10);
      expect(Math.abs(packedContract(t, n, p, x) - elementary(y, [], p))).toBeLessThan(tol);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(g[i] - a[i] * elementary(y, [i], p - 1))).toBeLessThan(tol);
        let hvi = 0;
        for (let j = 0; j < n; j++) {
          const exact = i === j ? 0 : a[i] * a[j] * elementary(y, [i, j], p - 2);
          expect(Math.abs(h[i * n + j] - exact)).toBeLessThan(tol);
          hvi += exact * v[j];
        }
        expect(Math.abs(hv[i] - hvi)).toBeLessThan(tol);
      }
    });

  it('only tensors allocated for the same (n, p) take the fast path', () => {
    const t = allocatePackedTensor(10, 3, binomial(10, 3), 'float64');
    expect(isAcceleratedTensor(t, 10, 3)).toBe(true);
    expect(isAcceleratedTensor(t, 10, 4)).toBe(false);
    expect(isAcceleratedTensor(t.subarray(0), 10, 3)).toBe(false);
    expect(allocatePackedTensor(10, 3, binomial(10, 3), 'float32')).toBeInstanceOf(Float32Array);
  });
});
