import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { symmetricEigen, symmetricEigenvalues } from './eigen.ts';
import { gemm } from './gemmWasm.ts';
import { tridiagonalEigenvaluesPWK } from './pwk.ts';
import { NonConvergenceError, tridiagonalQL } from './tridiagonal.ts';

const EPS = 2 ** -52;

function pwk(d: number[] | Float64Array, e: number[] | Float64Array): Float64Array {
  const dd = Float64Array.from(d);
  const ee = new Float64Array(dd.length);
  ee.set(Float64Array.from(e).subarray(0, dd.length - 1));
  tridiagonalEigenvaluesPWK(dd.length, dd, ee);
  return dd;
}

function ql(d: Float64Array, e: Float64Array): Float64Array {
  const dd = Float64Array.from(d);
  const ee = new Float64Array(d.length);
  ee.set(e.subarray(0, d.length - 1));
  tridiagonalQL(d.length, dd, ee);
  return dd.sort();
}

describe('tridiagonalEigenvaluesPWK (root-free QL/QR, LAPACK dsterf)', () => {
  it('Toeplitz closed form a + 2b cos(kπ/(n+1)), ascending', () => {
    const n = 300;
    const values = pwk(new Float64Array(n).fill(0.5), new Float64Array(n - 1).fill(0.75));
    const exact = Array.from(
      { length: n },
      (_, k) => 0.5 + 1.5 * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    ).sort((x, y) => x - y);
    // backward stable: |error| ≤ c·n·ε·‖T‖ with ‖T‖ ≤ 2; c = 10 leaves room (measured ≈ 1)
    for (let k = 0; k < n; k++) expect(Math.abs(values[k] - exact[k])).toBeLessThan(10 * n * EPS * 2);
  });

  it('random, graded and glued-Wilkinson tridiagonals: the values of implicit QL', () => {
    const rng = Rng.fromSeed(11);
    const cases: [Float64Array, Float64Array][] = [];
    for (const n of [1, 2, 3, 50, 257]) {
      cases.push([
        Float64Array.from({ length: n }, () => rng.normal()),
        Float64Array.from({ length: n }, () => rng.normal()),
      ]);
    }
    const g = 120; // graded over 30 orders of magnitude
    cases.push([
      Float64Array.from({ length: g }, (_, i) => 10 ** (-i / 4)),
      Float64Array.from({ length: g }, (_, i) => 10 ** (-i / 4 - 0.5)),
    ]);
    const w = 21 * 6; // six W21+ glued by 1e-8
    cases.push([
      Float64Array.from({ length: w }, (_, i) => Math.abs((i % 21) - 10)),
      Float64Array.from({ length: w }, (_, i) => (i % 21 === 20 ? 1e-8 : 1)),
    ]);
    for (const [d, e] of cases) {
      const n = d.length;
      let norm = 0;
      for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]) + 2 * Math.abs(e[i]));
      const a = pwk(d, e);
      const b = ql(d, e);
      // both backward stable: within 10·n·ε·‖T‖ of each other (measured ≤ 1·n ε ‖T‖)
      for (let k = 0; k < n; k++) expect(Math.abs(a[k] - b[k])).toBeLessThanOrEqual(10 * n * EPS * norm);
    }
  });

  it('rank-deficient Wishart X Xᵀ/m (where always-QL stalls): zeros and the spectrum of Xᵀ X/m', () => {
    const n = 180;
    const m = 60;
    const rng = Rng.fromSeed(7);
    const X = Float64Array.from({ length: n * m }, () => rng.normal());
    const Xt = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) Xt[j * n + i] = X[i * m + j];
    const W = new Float64Array(n * n);
    gemm(n, n, m, X, 0, m, Xt, 0, n, W, 0, n, false);
    for (let i = 0; i < n * n; i++) W[i] /= m;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) W[i * n + j] = W[j * n + i];
    const small = new Float64Array(m * m);
    gemm(m, m, n, Xt, 0, n, X, 0, m, small, 0, m, false);
    for (let i = 0; i < m * m; i++) small[i] /= m;
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) small[i * m + j] = small[j * m + i];
    const nonzero = symmetricEigen(m, small).values;
    const values = symmetricEigenvalues(n, W);
    let norm = 0;
    for (const x of W) norm += x * x;
    const tol = 10 * n * EPS * Math.sqrt(norm); // backward error bound, ×10 room
    for (let k = 0; k < n; k++)
      expect(Math.abs(values[k] - (k < n - m ? 0 : nonzero[k - (n - m)]))).toBeLessThan(tol);
  });

  it('reports an exhausted sweep budget as NonConvergenceError', () => {
    expect(() =>
      tridiagonalEigenvaluesPWK(4, new Float64Array([1, 2, 3, 4]), new Float64Array([1, 1, 1, 0]), 0),
    ).toThrow(NonConvergenceError);
  });
});
