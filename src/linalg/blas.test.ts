import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { axpy, copy, dot, gemv, nrm2, scal, symv } from './blas.ts';

const f64 = (xs: number[]) => new Float64Array(xs);

describe('level-1 kernels', () => {
  it('dot: hand-checked values, strides, offsets, negative strides', () => {
    expect(dot(3, f64([1, 2, 3]), 1, 0, f64([4, 5, 6]), 1, 0)).toBe(32);
    expect(dot(0, f64([1]), 1, 0, f64([1]), 1, 0)).toBe(0);
    // x = [2, 4] (stride 2 from offset 1), y = [7, 5] (stride −1 from offset 2)
    expect(dot(2, f64([9, 2, 9, 4]), 2, 1, f64([0, 5, 7]), -1, 2)).toBe(2 * 7 + 4 * 5);
    // Odd length through the unrolled unit-stride path.
    expect(dot(5, f64([1, 1, 1, 1, 1]), 1, 0, f64([1, 2, 3, 4, 5]), 1, 0)).toBe(15);
  });

  it('axpy, scal, copy: hand-checked values with strides', () => {
    expect(Array.from(axpy(2, 3, f64([1, 2]), 1, 0, f64([1, 1]), 1, 0))).toEqual([4, 7]);
    expect(Array.from(axpy(2, 2, f64([1, 0, 2]), 2, 0, f64([0, 10, 20]), 1, 1))).toEqual([0, 12, 24]);
    expect(Array.from(scal(2, 0.5, f64([2, 9, 4]), 2, 0))).toEqual([1, 9, 2]);
    expect(Array.from(copy(3, f64([1, 2, 3]), -1, 2, new Float64Array(3), 1, 0))).toEqual([3, 2, 1]);
  });

  it('nrm2 neither overflows nor underflows', () => {
    expect(nrm2(2, f64([3, 4]), 1, 0)).toBe(5);
    // A naive Σx² is Infinity here and 0 for the tiny case; the exact answers are 5·10^±300.
    expect(nrm2(2, f64([3e300, 4e300]), 1, 0) / 5e300).toBeCloseTo(1, 14);
    expect(nrm2(2, f64([3e-300, 4e-300]), 1, 0) / 5e-300).toBeCloseTo(1, 14);
    expect(nrm2(3, f64([0, 0, 0]), 1, 0)).toBe(0);
    expect(nrm2(0, f64([1]), 1, 0)).toBe(0);
    expect(nrm2(2, f64([1, Number.NaN]), 1, 0)).toBeNaN();
    expect(nrm2(2, f64([1, Number.POSITIVE_INFINITY]), 1, 0)).toBe(Number.POSITIVE_INFINITY);
  });

  it('nrm2 equals √(dot) on random vectors (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const x = Rng.fromSeed(seed).fillNormal(new Float64Array(n));
        // Both are sums of n rounded squares: relative difference ≲ n·ε.
        expect(Math.abs(nrm2(n, x, 1, 0) - Math.sqrt(dot(n, x, 1, 0, x, 1, 0)))).toBeLessThan(
          1e-14 * n * nrm2(n, x, 1, 0),
        );
      }),
      { numRuns: 30 },
    );
  });
});

/** Naive reference y = α op(A) x + β y on plain arrays (A row-major m×n). */
function naiveGemv(
  trans: boolean,
  m: number,
  n: number,
  alpha: number,
  A: number[],
  x: number[],
  beta: number,
  y: number[],
) {
  const rows = trans ? n : m;
  const cols = trans ? m : n;
  return Array.from({ length: rows }, (_, i) => {
    let s = 0;
    for (let j = 0; j < cols; j++) s += (trans ? A[j * n + i] : A[i * n + j]) * x[j];
    return alpha * s + beta * y[i];
  });
}

describe('gemv', () => {
  it('hand-checked product and transpose', () => {
    const A = f64([1, 2, 3, 4, 5, 6]); // 2×3 row-major
    const y = new Float64Array(2);
    gemv('no-transpose', 2, 3, 1, A, 3, 1, 0, f64([1, 1, 1]), 1, 0, 0, y, 1, 0);
    expect(Array.from(y)).toEqual([6, 15]);
    const z = f64([1, 1, 1]);
    gemv('transpose', 2, 3, 2, A, 3, 1, 0, f64([1, -1]), 1, 0, 1, z, 1, 0);
    expect(Array.from(z)).toEqual([1 + 2 * (1 - 4), 1 + 2 * (2 - 5), 1 + 2 * (3 - 6)]);
  });

  it('beta = 0 overwrites y without reading it (NaN does not propagate)', () => {
    const y = f64([Number.NaN, Number.NaN]);
    gemv('no-transpose', 2, 2, 1, f64([1, 0, 0, 1]), 2, 1, 0, f64([5, 6]), 1, 0, 0, y, 1, 0);
    expect(Array.from(y)).toEqual([5, 6]);
  });

  it('matches the naive product for both layouts and both transposes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (m, n, trans, columnMajor, seed) => {
          const rng = Rng.fromSeed(seed);
          const A = Array.from({ length: m * n }, () => rng.normal());
          const rows = trans ? n : m;
          const cols = trans ? m : n;
          const x = Array.from({ length: cols }, () => rng.normal());
          const y = Array.from({ length: rows }, () => rng.normal());
          const expected = naiveGemv(trans, m, n, 0.7, A, x, -1.3, y);
          // Same matrix stored column-major: element (i, j) at j·m + i.
          const stored = columnMajor
            ? Float64Array.from({ length: m * n }, (_, k) => A[(k % m) * n + Math.floor(k / m)])
            : Float64Array.from(A);
          const [s1, s2] = columnMajor ? [1, m] : [n, 1];
          // y with stride 2 and offset 1 to exercise the strided path.
          const ys = new Float64Array(2 * rows + 1);
          y.forEach((v, i) => {
            ys[1 + 2 * i] = v;
          });
          gemv(
            trans ? 'transpose' : 'no-transpose',
            m,
            n,
            0.7,
            stored,
            s1,
            s2,
            0,
            f64(x),
            1,
            0,
            -1.3,
            ys,
            2,
            1,
          );
          // Sums of ≤ 12 products of O(1) normals: rounding ≲ 12·ε·O(10).
          for (let i = 0; i < rows; i++) expect(Math.abs(ys[1 + 2 * i] - expected[i])).toBeLessThan(1e-13);
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('symv', () => {
  it('reads only the requested triangle', () => {
    // [[2, 1], [1, 3]] with garbage in the unused triangle.
    const upper = f64([2, 1, 99, 3]);
    const lower = f64([2, 99, 1, 3]);
    const y1 = new Float64Array(2);
    const y2 = new Float64Array(2);
    symv('upper', 2, 1, upper, 2, 1, 0, f64([1, 1]), 1, 0, 0, y1, 1, 0);
    symv('lower', 2, 1, lower, 2, 1, 0, f64([1, 1]), 1, 0, 0, y2, 1, 0);
    expect(Array.from(y1)).toEqual([3, 4]);
    expect(Array.from(y2)).toEqual([3, 4]);
  });

  it('equals gemv on the full symmetric matrix (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const rng = Rng.fromSeed(seed);
        const A = new Float64Array(n * n);
        for (let i = 0; i < n; i++)
          for (let j = i; j < n; j++) {
            A[i * n + j] = rng.normal();
            A[j * n + i] = A[i * n + j];
          }
        const x = rng.fillNormal(new Float64Array(n));
        const y0 = rng.fillNormal(new Float64Array(n));
        const ref = gemv('no-transpose', n, n, 1.5, A, n, 1, 0, x, 1, 0, 0.5, Float64Array.from(y0), 1, 0);
        for (const uplo of ['upper', 'lower'] as const) {
          const y = symv(uplo, n, 1.5, A, n, 1, 0, x, 1, 0, 0.5, Float64Array.from(y0), 1, 0);
          // Same products summed in a different order: ≲ 20·ε·O(10).
          for (let i = 0; i < n; i++) expect(Math.abs(y[i] - ref[i])).toBeLessThan(1e-12);
        }
      }),
      { numRuns: 40 },
    );
  });
});
