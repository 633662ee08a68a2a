import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { tridiagonalDivideConquer } from './divideConquer.ts';
import { symmetricEigen } from './eigen.ts';
import { gemm } from './gemmWasm.ts';
import { tridiagonalEigenvaluesPWK } from './pwk.ts';
import { NonConvergenceError, tridiagonalQL } from './tridiagonal.ts';

const EPS = 2 ** -52;

/** Eigen-decomposition of the tridiagonal (d, e) by divide and conquer, plain arrays. */
function dc(d: Float64Array, e: Float64Array, leafSize?: number) {
  const n = d.length;
  const values = Float64Array.from(d);
  const ws = { z: new Float64Array(n * n), g: new Float64Array(n * n), u: new Float64Array(n * n) };
  const order = tridiagonalDivideConquer(n, values, Float64Array.from(e), ws, 30, leafSize);
  const V = new Float64Array(n * n); // column k = eigenvector of values[k]
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) V[i * n + k] = ws.z[i * n + order[k]];
  return { values, V };
}

/** Ascending eigenvalues of (d, e) by implicit QL (the existing solver, an oracle). */
function qlValues(d: Float64Array, e: Float64Array): Float64Array {
  const dd = Float64Array.from(d);
  const ee = new Float64Array(d.length);
  ee.set(e.subarray(0, d.length - 1));
  tridiagonalQL(d.length, dd, ee);
  return dd.sort();
}

/** Ascending eigenvalues of (d, e) by PWK QL/QR (converges where QL stalls). */
function pwkValues(d: Float64Array, e: Float64Array): Float64Array {
  const dd = Float64Array.from(d);
  const ee = new Float64Array(d.length);
  ee.set(e.subarray(0, d.length - 1));
  tridiagonalEigenvaluesPWK(d.length, dd, ee);
  return dd;
}

/**
 * max_k ‖T v_k − λ_k v_k‖ and max |VᵀV − I| for the tridiagonal T = (d, e), with
 * V's columns the eigenvectors (O(n²) and O(n³) loops, small n).
 */
function tridiagonalChecks(d: Float64Array, e: Float64Array, values: Float64Array, V: Float64Array) {
  const n = d.length;
  let residual = 0;
  for (let k = 0; k < n; k++) {
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let t = d[i] * V[i * n + k];
      if (i > 0) t += e[i - 1] * V[(i - 1) * n + k];
      if (i < n - 1) t += e[i] * V[(i + 1) * n + k];
      r2 += (t - values[k] * V[i * n + k]) ** 2;
    }
    residual = Math.max(residual, Math.sqrt(r2));
  }
  const gram = new Float64Array(n * n);
  gemm(n, n, n, transpose(n, V), 0, n, V, 0, n, gram, 0, n, false);
  let orth = 0;
  for (let k = 0; k < n; k++)
    for (let l = 0; l < n; l++) orth = Math.max(orth, Math.abs(gram[k * n + l] - (k === l ? 1 : 0)));
  return { residual, orth };
}

/** Transpose of a row-major rows×cols matrix (square by default). */
function transpose(rows: number, A: Float64Array, cols = rows): Float64Array {
  const T = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) T[j * rows + i] = A[i * cols + j];
  return T;
}

/** ‖T‖ bound: max row sum of |T|. */
function normBound(d: Float64Array, e: Float64Array): number {
  let m = 0;
  for (let i = 0; i < d.length; i++)
    m = Math.max(
      m,
      Math.abs(d[i]) + (i > 0 ? Math.abs(e[i - 1]) : 0) + (i < d.length - 1 ? Math.abs(e[i]) : 0),
    );
  return m;
}

/**
 * Backward stability (Gu & Eisenstat): residuals and loss of orthogonality are
 * O(n ε ‖T‖) and O(n ε); the factor 10 leaves room for the constants of the
 * recursion (measured: below 1·n ε on every case here).
 */
function expectStable(d: Float64Array, e: Float64Array, values: Float64Array, V: Float64Array) {
  const n = d.length;
  const { residual, orth } = tridiagonalChecks(d, e, values, V);
  expect(residual).toBeLessThan(10 * n * EPS * normBound(d, e));
  expect(orth).toBeLessThan(10 * n * EPS);
}

describe('tridiagonalDivideConquer against closed forms and QL', () => {
  it('Toeplitz tridiagonal: λ_k = a + 2b cos(kπ/(n+1)), v_k(j) = √(2/(n+1)) sin(jkπ/(n+1))', () => {
    const n = 200; // three levels of merges above the QL leaves
    const a = 0.3;
    const b = -1.1;
    const { values, V } = dc(new Float64Array(n).fill(a), new Float64Array(n - 1).fill(b));
    const exact = Array.from(
      { length: n },
      (_, k) => a + 2 * b * Math.cos(((k + 1) * Math.PI) / (n + 1)),
    ).sort((x, y) => x - y);
    // Eigenvalues: backward error n ε ‖T‖ (‖T‖ ≤ |a| + 2|b|), factor 10 of room.
    for (let k = 0; k < n; k++) expect(Math.abs(values[k] - exact[k])).toBeLessThan(10 * n * EPS * 2.5);
    // Eigenvectors: gaps are ≥ 2|b|(1 − cos(π/(n+1))) ≈ 5e-4 here, so each vector is
    // determined to n ε ‖T‖ / gap ≈ 1e-10 (Davis–Kahan); compared up to sign.
    for (let k = 0; k < n; k += 17) {
      // values ascending with b < 0: value k has the mode index k+1
      const mode = k + 1;
      let dotv = 0;
      for (let j = 0; j < n; j++)
        dotv += V[j * n + k] * Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * mode * Math.PI) / (n + 1));
      expect(1 - Math.abs(dotv)).toBeLessThan(1e-9);
    }
  });

  it('random tridiagonal matrices: the values of QL, stable vectors (n = 33, 64, 150, 301)', () => {
    for (const n of [33, 64, 150, 301]) {
      const rng = Rng.fromSeed(n);
      const d = Float64Array.from({ length: n }, () => rng.normal());
      const e = Float64Array.from({ length: n - 1 }, () => rng.normal());
      const { values, V } = dc(d, e);
      const oracle = qlValues(d, e);
      for (let k = 0; k < n; k++)
        expect(Math.abs(values[k] - oracle[k])).toBeLessThan(10 * n * EPS * normBound(d, e));
      expectStable(d, e, values, V);
    }
  });

  it('glued Wilkinson matrices W21+ (clusters of near-equal eigenvalues, heavy deflation)', () => {
    // Ten copies of W21+ (d = |i − 10|, e = 1) joined by off-diagonals 1e-8: each
    // eigenvalue of W21+ appears ten times, split by about 1e-8 (Parlett's test of
    // orthogonality for clustered spectra).
    const copies = 10;
    const n = 21 * copies;
    const d = new Float64Array(n);
    const e = new Float64Array(n - 1);
    for (let c = 0; c < copies; c++)
      for (let i = 0; i < 21; i++) {
        d[21 * c + i] = Math.abs(i - 10);
        if (21 * c + i < n - 1) e[21 * c + i] = i === 20 ? 1e-8 : 1;
      }
    const { values, V } = dc(d, e);
    const oracle = qlValues(d, e);
    for (let k = 0; k < n; k++)
      expect(Math.abs(values[k] - oracle[k])).toBeLessThan(10 * n * EPS * normBound(d, e));
    expectStable(d, e, values, V);
  });

  it('exactly repeated eigenvalues and zero couplings (everything deflates)', () => {
    const n = 96;
    // d = 1, 2, 1, 2, …, e = 0 except a few: a direct sum of 1×1 and 2×2 blocks.
    const d = Float64Array.from({ length: n }, (_, i) => 1 + (i % 2));
    const e = Float64Array.from({ length: n - 1 }, (_, i) => (i % 7 === 3 ? 0.5 : 0));
    const { values, V } = dc(d, e);
    const oracle = qlValues(d, e);
    for (let k = 0; k < n; k++) expect(Math.abs(values[k] - oracle[k])).toBeLessThan(10 * n * EPS * 3);
    expectStable(d, e, values, V);
    // A matrix with constant diagonal and tiny couplings: one tight cluster.
    const d2 = new Float64Array(n).fill(2);
    const e2 = Float64Array.from({ length: n - 1 }, (_, i) => 1e-14 * Math.cos(i));
    const r2 = dc(d2, e2);
    expectStable(d2, e2, r2.values, r2.V);
  });

  it('a leaf where QL stalls (large block over a rounding-level one) is split further', () => {
    // Such matrices make always-upward QL exhaust its sweeps (the null space of a
    // rank-deficient matrix looks like this); draw until one does, then solve it with
    // the whole matrix as one leaf, so that only the fallback can succeed.
    const rng = Rng.fromSeed(3);
    const n = 120;
    for (let trial = 0; ; trial++) {
      expect(trial).toBeLessThan(100); // about a third of the draws stall (measured)
      const big = Math.floor(n * (0.2 + 0.6 * rng.uniform()));
      const d = Float64Array.from({ length: n }, (_, i) =>
        i < big ? 1 + rng.normal() : 1e-16 * rng.normal(),
      );
      const e = Float64Array.from({ length: n - 1 }, (_, i) =>
        i < big - 1 ? rng.normal() : i === big - 1 ? 1e-6 : 1e-15 * rng.normal(),
      );
      let stalls = false;
      try {
        qlValues(d, e);
      } catch (err) {
        expect(err).toBeInstanceOf(NonConvergenceError);
        stalls = true;
      }
      if (!stalls) continue;
      const { values, V } = dc(d, e, n);
      const oracle = pwkValues(d, e);
      for (let k = 0; k < n; k++)
        expect(Math.abs(values[k] - oracle[k])).toBeLessThan(10 * n * EPS * normBound(d, e));
      expectStable(d, e, values, V);
      return;
    }
  });

  it('graded matrix (off-diagonals spanning 30 orders of magnitude)', () => {
    const n = 120;
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** (-i / 4));
    const e = Float64Array.from({ length: n - 1 }, (_, i) => 10 ** (-i / 4 - 0.5));
    const { values, V } = dc(d, e);
    const oracle = qlValues(d, e);
    for (let k = 0; k < n; k++)
      expect(Math.abs(values[k] - oracle[k])).toBeLessThan(10 * n * EPS * normBound(d, e));
    expectStable(d, e, values, V);
  });
});

/** A Q diag(λ) Qᵀ with Q a product of random reflectors (exact spectrum λ up to rounding). */
function withSpectrum(lambda: number[], seed: number): Float64Array {
  const n = lambda.length;
  const rng = Rng.fromSeed(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) A[i * n + i] = lambda[i];
  for (let r = 0; r < 3; r++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    let vv = 0;
    for (const x of v) vv += x * x;
    // A ← H A H, H = I − 2 v vᵀ / vᵀv
    const Av = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Av[i] += A[i * n + j] * v[j];
    let vAv = 0;
    for (let i = 0; i < n; i++) vAv += v[i] * Av[i];
    const c = 2 / vv;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        A[i * n + j] += c * c * vAv * v[i] * v[j] - c * (v[i] * Av[j] + Av[i] * v[j]);
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i] = (A[i * n + j] + A[j * n + i]) / 2;
  return A;
}

/**
 * symmetricEigen (WebAssembly and JavaScript kernels) on A: eigenvalue k within tol
 * of expected(k), the two kernels within tol of each other, ‖A v − λ v‖ ≤ tol
 * entrywise and |VᵀV − I| ≤ 10 n ε.
 */
function checkDecomposition(n: number, A: Float64Array, tol: number, expected: (k: number) => number) {
  const fast = symmetricEigen(n, A);
  const js = symmetricEigen(n, A, { kernel: 'js' });
  for (let k = 0; k < n; k++) {
    expect(Math.abs(fast.values[k] - expected(k))).toBeLessThan(tol);
    expect(Math.abs(fast.values[k] - js.values[k])).toBeLessThan(tol);
  }
  for (const { values, vectors } of [fast, js]) {
    const { residual, orth } = denseChecks(n, A, values, vectors);
    expect(residual).toBeLessThan(tol);
    expect(orth).toBeLessThan(10 * n * EPS);
  }
}

/** max |A V − V Λ| entrywise and max |VᵀV − I| (products through `gemm`). */
function denseChecks(n: number, A: Float64Array, values: Float64Array, vectors: Float64Array) {
  const AV = new Float64Array(n * n);
  gemm(n, n, n, A, 0, n, vectors, 0, n, AV, 0, n, false);
  let residual = 0;
  for (let i = 0; i < n * n; i++) residual = Math.max(residual, Math.abs(AV[i] - values[i % n] * vectors[i]));
  const gram = new Float64Array(n * n);
  gemm(n, n, n, transpose(n, vectors), 0, n, vectors, 0, n, gram, 0, n, false);
  let orth = 0;
  for (let k = 0; k < n; k++)
    for (let l = 0; l < n; l++) orth = Math.max(orth, Math.abs(gram[k * n + l] - (k === l ? 1 : 0)));
  return { residual, orth };
}

describe("symmetricEigen with divide and conquer against the QL solver ('ql')", () => {
  it('GOE (values of QL) and rank-deficient Wishart (values of Xᵀ X/m, zeros): stable, WebAssembly = JavaScript to rounding', () => {
    const n = 180;
    const rng = Rng.fromSeed(7);
    const goe = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = i; j < n; j++)
        goe[i * n + j] = goe[j * n + i] = ((i === j ? Math.SQRT2 : 1) * rng.normal()) / Math.sqrt(n);
    // Wishart X Xᵀ/m with m = 60 < n: rank 60, so 120 exact zero eigenvalues (deflation).
    const m = 60;
    const X = Float64Array.from({ length: n * m }, () => rng.normal());
    const wishart = new Float64Array(n * n);
    gemm(n, n, m, X, 0, m, transpose(n, X, m), 0, n, wishart, 0, n, false);
    for (let i = 0; i < n * n; i++) wishart[i] /= m;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) wishart[i * n + j] = wishart[j * n + i];
    let norm = 0;
    for (const a of goe) norm += a * a;
    norm = Math.sqrt(norm);
    // Backward stable methods: eigenvalues within n ε ‖A‖_F of each other (×10 room).
    const tol = 10 * n * EPS * norm;
    const ql = symmetricEigen(n, goe, { solver: 'ql' });
    checkDecomposition(n, goe, tol, (k) => ql.values[k]);
    // Wishart: the non-zero spectrum of X Xᵀ/m is that of Xᵀ X/m (m×m), the rest is 0.
    // (QL does not converge on the rank-deficient tridiagonal here: its rounding-level
    // block of 120 near-zero entries; divide and conquer deflates it.)
    const small = new Float64Array(m * m);
    gemm(m, m, n, transpose(n, X, m), 0, n, X, 0, m, small, 0, m, false);
    for (let i = 0; i < m * m; i++) small[i] /= m;
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) small[i * m + j] = small[j * m + i];
    const nonzero = symmetricEigen(m, small, { solver: 'ql' }).values;
    let wNorm = 0;
    for (const a of wishart) wNorm += a * a;
    checkDecomposition(n, wishart, 10 * n * EPS * Math.sqrt(wNorm), (k) =>
      k < n - m ? 0 : nonzero[k - (n - m)],
    );
  });

  it('prescribed spectrum with multiplicities (1 ×40, 2 ×40, 3 + 1e-9 k ×40): values exact to n ε ‖A‖', () => {
    const lambda = [
      ...Array.from({ length: 40 }, () => 1),
      ...Array.from({ length: 40 }, () => 2),
      ...Array.from({ length: 40 }, (_, k) => 3 + 1e-9 * k),
    ];
    const n = lambda.length;
    const A = withSpectrum(lambda, 3);
    const { values, vectors } = symmetricEigen(n, A);
    const sorted = [...lambda].sort((x, y) => x - y);
    // ‖A‖₂ = 3; the construction itself rounds at about 10 ε ‖A‖ per entry.
    for (let k = 0; k < n; k++) expect(Math.abs(values[k] - sorted[k])).toBeLessThan(10 * n * EPS * 3);
    const gram = new Float64Array(n * n);
    gemm(n, n, n, transpose(n, vectors), 0, n, vectors, 0, n, gram, 0, n, false);
    for (let k = 0; k < n; k++)
      for (let l = 0; l < n; l++)
        expect(Math.abs(gram[k * n + l] - (k === l ? 1 : 0))).toBeLessThan(10 * n * EPS);
  });
});

describe('symmetricEigen: structured and scaled inputs (both kernels)', () => {
  it('random ×1e±200, diagonal with repeats, multiple of I, I + u uᵀ, 3×3 blocks, zero, low rank: residual ≤ n ε ‖A‖, |VᵀV − I| ≤ n ε (×10)', () => {
    const rng = Rng.fromSeed(99);
    const kinds = ['random', 'tiny', 'huge', 'diag', 'ident', 'rank1', 'blocks', 'zero', 'lowrank'] as const;
    for (const n of [33, 70, 129])
      for (const kind of kinds) {
        const A = new Float64Array(n * n);
        const set = (i: number, j: number, x: number) => {
          A[i * n + j] = x;
          A[j * n + i] = x;
        };
        const scale = kind === 'tiny' ? 1e-200 : kind === 'huge' ? 1e200 : 1;
        if (kind === 'random' || kind === 'tiny' || kind === 'huge')
          for (let i = 0; i < n; i++) for (let j = i; j < n; j++) set(i, j, scale * rng.normal());
        else if (kind === 'diag') for (let i = 0; i < n; i++) set(i, i, Math.floor(3 * rng.uniform()));
        else if (kind === 'ident') for (let i = 0; i < n; i++) set(i, i, 2.5);
        else if (kind === 'rank1') {
          const u = Array.from({ length: n }, () => rng.normal());
          for (let i = 0; i < n; i++) for (let j = i; j < n; j++) set(i, j, u[i] * u[j] + (i === j ? 1 : 0));
        } else if (kind === 'blocks')
          for (let b = 0; b + 3 <= n; b += 3) {
            for (let q = 0; q < 3; q++) set(b + q, b + q, 1);
            set(b, b + 1, 0.5);
            set(b + 1, b + 2, 0.5);
          }
        else if (kind === 'lowrank') {
          const m = Math.floor(n / 5);
          const X = Float64Array.from({ length: n * m }, () => rng.normal());
          gemm(n, n, m, X, 0, m, transpose(n, X, m), 0, n, A, 0, n, false);
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
        }
        let norm = 0;
        for (const a of A) norm = Math.max(norm, Math.abs(a));
        for (const kernel of ['auto', 'js'] as const) {
          const { values, vectors } = symmetricEigen(n, A, { kernel });
          const { residual, orth } = denseChecks(n, A, values, vectors);
          // backward stability (measured over 600 such cases: ≤ 0.9 n ε max|A|)
          expect(residual).toBeLessThanOrEqual(10 * n * EPS * norm);
          expect(orth).toBeLessThan(10 * n * EPS);
        }
      }
  });
});
