import { describe, expect, it } from 'vitest';
import {
  NonConvergenceError,
  RotationLog,
  symmetricTridiagonalEigenvalues,
  tridiagonalQL,
} from './tridiagonal.ts';

/** Eigenvalues a + 2b cos(kπ/(n+1)), k = 1..n, of the tridiagonal Toeplitz matrix, ascending. */
function toeplitzEigenvalues(n: number, a: number, b: number): number[] {
  return Array.from({ length: n }, (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1))).sort(
    (x, y) => x - y,
  );
}

describe('symmetricTridiagonalEigenvalues', () => {
  it('tridiagonal Toeplitz closed form a + 2b cos(kπ/(n+1))', () => {
    for (const [n, a, b] of [
      [1, 3, 1],
      [2, 0, 1],
      [10, 2, -1],
      [150, -0.5, 0.25],
    ] as const) {
      const values = symmetricTridiagonalEigenvalues(
        new Float64Array(n).fill(a),
        new Float64Array(n - 1).fill(b),
      );
      const expected = toeplitzEigenvalues(n, a, b);
      // QL is backward stable: |Δλ| ≲ n·ε·‖T‖ ≈ 150·2.2e-16·1 here; 1e-13 leaves margin.
      for (let k = 0; k < n; k++) expect(Math.abs(values[k] - expected[k])).toBeLessThan(1e-13);
    }
  });

  it('diagonal input returns the sorted diagonal exactly; inputs are not modified', () => {
    const d = new Float64Array([3, -1, 2, 0]);
    const e = new Float64Array([0, 0, 0]);
    expect(Array.from(symmetricTridiagonalEigenvalues(d, e))).toEqual([-1, 0, 2, 3]);
    expect(Array.from(d)).toEqual([3, -1, 2, 0]);
  });

  it('splits correctly when an off-diagonal is zero (two independent blocks)', () => {
    // Blocks [[1, 2], [2, 1]] (eigenvalues −1, 3) and [[5, 1], [1, 5]] (4, 6).
    const values = symmetricTridiagonalEigenvalues(
      new Float64Array([1, 1, 5, 5]),
      new Float64Array([2, 0, 1]),
    );
    const expected = [-1, 3, 4, 6];
    for (let k = 0; k < 4; k++) expect(Math.abs(values[k] - expected[k])).toBeLessThan(1e-15 * 8);
  });

  it('rejects bad input', () => {
    expect(() => symmetricTridiagonalEigenvalues(new Float64Array(3), new Float64Array(1))).toThrow(/need 2/);
    expect(() =>
      symmetricTridiagonalEigenvalues(new Float64Array([1, Number.NaN]), new Float64Array(1)),
    ).toThrow(/non-finite/);
  });
});

describe('tridiagonalQL', () => {
  it('rotating the rows of I gives the Toeplitz eigenvectors √(2/(n+1)) sin(jkπ/(n+1))', () => {
    const n = 12;
    const d = new Float64Array(n).fill(2);
    const e = new Float64Array(n).fill(-1);
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) w[i * n + i] = 1;
    tridiagonalQL(n, d, e, w, n);
    for (let l = 0; l < n; l++) {
      // Identify k from the eigenvalue 2 − 2cos(kπ/(n+1)); compare up to sign.
      const k = Math.round((Math.acos((2 - d[l]) / 2) * (n + 1)) / Math.PI);
      let overlap = 0;
      for (let j = 0; j < n; j++)
        overlap += w[l * n + j] * Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * k * Math.PI) / (n + 1));
      // Distinct eigenvalues (gaps ≥ 0.05), so each eigenvector is determined to ~ε/gap.
      expect(Math.abs(Math.abs(overlap) - 1)).toBeLessThan(1e-13);
    }
  });

  it('a single column e_{n−1} yields the last components of the eigenvectors', () => {
    const n = 9;
    const diag = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const off = Float64Array.from({ length: n }, (_, i) => 0.5 + 0.1 * i);
    const [d1, e1] = [Float64Array.from(diag), Float64Array.from(off)];
    const full = new Float64Array(n * n);
    for (let i = 0; i < n; i++) full[i * n + i] = 1;
    tridiagonalQL(n, d1, e1, full, n);
    const [d2, e2] = [Float64Array.from(diag), Float64Array.from(off)];
    const last = new Float64Array(n);
    last[n - 1] = 1;
    tridiagonalQL(n, d2, e2, last, 1);
    // Same rotations in the same order: identical to the last bit.
    for (let l = 0; l < n; l++) {
      expect(d2[l]).toBe(d1[l]);
      expect(last[l]).toBe(full[l * n + n - 1]);
    }
  });

  it('a recorded RotationLog replays the rotations exactly (8-column groups and leftovers)', () => {
    const n = 21; // 21 = 2·8 + 5 columns: both code paths of applyTo
    const diag = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    const off = Float64Array.from({ length: n }, (_, i) => 1 / (1 + i));
    const direct = new Float64Array(n * n);
    for (let i = 0; i < n; i++) direct[i * n + i] = 1;
    const replayed = Float64Array.from(direct);
    const [d1, e1] = [Float64Array.from(diag), Float64Array.from(off)];
    const log = new RotationLog();
    tridiagonalQL(n, d1, e1, direct, n, 30, log);
    expect(log.length).toBeGreaterThan(n - 1); // at least one full sweep per eigenvalue pair
    log.applyTo(replayed, n, 0, n);
    // Same floating-point operations in the same order per entry: bit-identical.
    expect(replayed).toEqual(direct);
  });

  it('a RotationLog with a small capacity flushes through onFull and gives the same result', () => {
    const n = 19;
    const diag = Float64Array.from({ length: n }, (_, i) => Math.sin(2 * i));
    const off = Float64Array.from({ length: n }, (_, i) => 0.3 + Math.cos(i) ** 2);
    const direct = new Float64Array(n * n);
    for (let i = 0; i < n; i++) direct[i * n + i] = 1;
    const flushed = Float64Array.from(direct);
    tridiagonalQL(n, Float64Array.from(diag), Float64Array.from(off), direct, n);
    let flushes = 0;
    // Capacity 7 cuts chains in the middle of sweeps.
    const log = new RotationLog(7, (full) => {
      flushes++;
      full.applyTo(flushed, n, 0, n);
      full.clear();
    });
    tridiagonalQL(n, Float64Array.from(diag), Float64Array.from(off), undefined, 0, 30, log);
    log.applyTo(flushed, n, 0, n);
    expect(flushes).toBeGreaterThan(3);
    expect(flushed).toEqual(direct); // same operations, same order: bit-identical
    const stuck = new RotationLog(2, () => {});
    expect(() =>
      tridiagonalQL(n, Float64Array.from(diag), Float64Array.from(off), undefined, 0, 30, stuck),
    ).toThrow(/onFull must clear/);
  });

  it('throws NonConvergenceError when the sweep budget is exhausted', () => {
    const d = new Float64Array([1, 2, 3]);
    const e = new Float64Array([1, 1, 0]);
    expect(() => tridiagonalQL(3, d, e, undefined, 0, 0)).toThrow(NonConvergenceError);
    expect(() =>
      tridiagonalQL(3, new Float64Array([1, 2, 3]), new Float64Array([1, 1, 0]), undefined, 0, 0),
    ).toThrow(/did not converge in 0 sweeps/);
  });
});
