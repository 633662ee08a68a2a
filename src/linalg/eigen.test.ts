import fc from 'fast-check';
import { EVD, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { symmetricEigen, symmetricEigenvalues } from './eigen.ts';
import { residualAndOrthogonality } from './eigenTesting.ts';
import { NonConvergenceError } from './tridiagonal.ts';

const EPS = 2 ** -52;

/** Symmetric matrix with N(0, 1) entries above the diagonal (seeded). */
function randomSymmetric(n: number, seed: number, scale = 1): Float64Array {
  const rng = Rng.fromSeed(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const x = scale * rng.normal();
      A[i * n + j] = x;
      A[j * n + i] = x;
    }
  return A;
}

/**
 * GOE normalised so the semicircle has radius 2 (THEORY §4.1 with σ = 1):
 * off-diagonal variance 1/N, diagonal 2/N.
 */
function goe(n: number, seed: number): Float64Array {
  const A = randomSymmetric(n, seed, 1 / Math.sqrt(n));
  for (let i = 0; i < n; i++) A[i * n + i] *= Math.SQRT2;
  return A;
}

function frobenius(A: Float64Array): number {
  let s = 0;
  for (const a of A) s += a * a;
  return Math.sqrt(s);
}

describe('symmetricEigenvalues / symmetricEigen against ml-matrix EVD (JAMA tred2/tql2)', () => {
  it('agree on random symmetric matrices; A v = λ v, VᵀV = I, trace = Σλ, ascending (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), (n, seed) => {
        const A = randomSymmetric(n, seed);
        const before = Float64Array.from(A);
        const values = symmetricEigenvalues(n, A);
        const { values: values2, vectors } = symmetricEigen(n, A);
        expect(A).toEqual(before); // not destroyed by default
        const oracle = new EVD(
          new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)))),
          {
            assumeSymmetric: true,
          },
        ).realEigenvalues.sort((x, y) => x - y);
        const norm = frobenius(A);
        // Both methods are backward stable: each eigenvalue is within O(n·ε·‖A‖) of
        // the exact one; 10·n·ε·‖A‖_F bounds it with a wide margin.
        const tol = 10 * n * EPS * norm;
        let trace = 0;
        let sum = 0;
        for (let k = 0; k < n; k++) {
          expect(Math.abs(values[k] - oracle[k])).toBeLessThan(tol);
          expect(Math.abs(values2[k] - oracle[k])).toBeLessThan(tol);
          if (k > 0) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
          trace += A[k * n + k];
          sum += values[k];
        }
        expect(Math.abs(trace - sum)).toBeLessThan(tol);
        const { residual, orth } = residualAndOrthogonality(n, A, values2, vectors);
        expect(residual).toBeLessThan(tol);
        // Orthogonality of accumulated Householder/Givens products: O(n·ε).
        expect(orth).toBeLessThan(10 * n * EPS);
      }),
      { numRuns: 40 },
    );
  });

  it('agrees with ml-matrix at N = 150, including the eigenvectors up to sign', () => {
    const n = 150;
    const A = goe(n, 11);
    const { values, vectors } = symmetricEigen(n, A);
    const evd = new EVD(
      new Matrix(Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * n, i * n + n)))),
      {
        assumeSymmetric: true,
      },
    );
    const refValues = evd.realEigenvalues; // JAMA returns them ascending
    const refVectors = evd.eigenvectorMatrix;
    for (let k = 0; k < n; k++) {
      expect(Math.abs(values[k] - refValues[k])).toBeLessThan(10 * n * EPS * 2);
      // GOE eigenvalues are simple with gaps ~ 1/N; an eigenvector is determined to
      // ~ ε·‖A‖/gap ≈ 1e-13, so |⟨v, v_ref⟩| = 1 to 1e-10 is a safe bound.
      let overlap = 0;
      for (let i = 0; i < n; i++) overlap += vectors[i * n + k] * refVectors.get(i, k);
      expect(Math.abs(Math.abs(overlap) - 1)).toBeLessThan(1e-10);
    }
  });
});

describe('closed forms', () => {
  it('diagonal matrix: sorted diagonal exactly, eigenvectors are ± unit vectors with positive sign', () => {
    const d = [4, -2, 7, 0, 1];
    const n = d.length;
    const A = new Float64Array(n * n);
    d.forEach((x, i) => {
      A[i * n + i] = x;
    });
    const { values, vectors } = symmetricEigen(n, A);
    expect(Array.from(values)).toEqual([-2, 0, 1, 4, 7]);
    const position = [1, 3, 4, 0, 2]; // where each sorted value sits on the diagonal
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++) expect(vectors[i * n + k]).toBe(i === position[k] ? 1 : 0);
  });

  it('dense Toeplitz tridiagonal matrix: a + 2b cos(kπ/(n+1)) and sine eigenvectors', () => {
    const n = 60;
    const [a, b] = [1.5, -0.7];
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      A[i * n + i] = a;
      if (i + 1 < n) {
        A[i * n + i + 1] = b;
        A[(i + 1) * n + i] = b;
      }
    }
    const { values, vectors } = symmetricEigen(n, A);
    // b < 0: λ_k = a + 2b cos(kπ/(n+1)) increases with k.
    for (let k = 1; k <= n; k++) {
      const exact = a + 2 * b * Math.cos((k * Math.PI) / (n + 1));
      expect(Math.abs(values[k - 1] - exact)).toBeLessThan(10 * n * EPS * 3);
      let overlap = 0;
      for (let j = 1; j <= n; j++)
        overlap +=
          vectors[(j - 1) * n + k - 1] * Math.sqrt(2 / (n + 1)) * Math.sin((j * k * Math.PI) / (n + 1));
      // Gaps ≥ 2|b|(1 − cos(π/61)) ≈ 1.9e-3: eigenvector error ≲ ε·‖A‖/gap ≈ 1e-12.
      expect(Math.abs(Math.abs(overlap) - 1)).toBeLessThan(1e-10);
    }
  });

  it("Wilkinson's W21+: the nearly double top pair 10.746194182903322 / 10.746194182903393", () => {
    // Tridiagonal, diagonal |10 − i|, off-diagonal 1 (Wilkinson, The Algebraic
    // Eigenvalue Problem, 1965, §5.45): its two largest eigenvalues agree to 14
    // digits, yet their eigenvectors must come out orthogonal.
    const n = 21;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      A[i * n + i] = Math.abs(10 - i);
      if (i + 1 < n) A[i * n + i + 1] = A[(i + 1) * n + i] = 1;
    }
    const { values, vectors } = symmetricEigen(n, A);
    // Published to 15 significant digits; backward error ~ n·ε·‖A‖ ≈ 5e-14.
    expect(Math.abs(values[n - 1] - 10.746194182903393)).toBeLessThan(1e-13);
    expect(Math.abs(values[n - 2] - 10.746194182903322)).toBeLessThan(1e-13);
    const { orth, residual } = residualAndOrthogonality(n, A, values, vectors);
    expect(orth).toBeLessThan(10 * n * EPS);
    expect(residual).toBeLessThan(10 * n * EPS * 11);
  });

  it('rank-one perturbation a·I + c·u uᵀ: a (n−1 times) and a + c|u|², eigenvector u/|u|', () => {
    const n = 50;
    const rng = Rng.fromSeed(5);
    const u = rng.fillNormal(new Float64Array(n));
    const [a, c] = [-0.3, 0.8];
    const A = new Float64Array(n * n);
    let u2 = 0;
    for (let i = 0; i < n; i++) {
      u2 += u[i] * u[i];
      for (let j = 0; j < n; j++) A[i * n + j] = (i === j ? a : 0) + c * u[i] * u[j];
    }
    const { values, vectors } = symmetricEigen(n, A);
    const tol = 10 * n * EPS * (Math.abs(a) + c * u2);
    for (let k = 0; k < n - 1; k++) expect(Math.abs(values[k] - a)).toBeLessThan(tol);
    expect(Math.abs(values[n - 1] - (a + c * u2))).toBeLessThan(tol);
    let overlap = 0;
    for (let i = 0; i < n; i++) overlap += vectors[i * n + n - 1] * u[i];
    expect(Math.abs(Math.abs(overlap) / Math.sqrt(u2) - 1)).toBeLessThan(1e-12);
    // The (n−1)-fold eigenvalue still gets an orthonormal basis of u's complement.
    const { orth, residual } = residualAndOrthogonality(n, A, values, vectors);
    expect(orth).toBeLessThan(10 * n * EPS);
    expect(residual).toBeLessThan(tol);
  });

  it('diagonal plus rank one: every eigenvalue solves the secular equation 1 + c Σ u_i²/(d_i − λ) = 0', () => {
    const n = 40;
    const rng = Rng.fromSeed(8);
    const dg = Float64Array.from({ length: n }, (_, i) => i / n);
    const u = rng.fillNormal(new Float64Array(n), 1 / n);
    const c = 2;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) A[i * n + j] = (i === j ? dg[i] : 0) + c * u[i] * u[j];
    const values = symmetricEigenvalues(n, A);
    for (const lambda of values) {
      // Interlacing keeps λ strictly between poles d_i; compare the secular function's
      // two terms: |1 + c Σ ...| small relative to c Σ |u_i²/(d_i − λ)|, with a
      // backward error of ~ n·ε·‖A‖ magnified by 1/min|d_i − λ|.
      let s = 0;
      let sAbs = 0;
      let minGap = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        s += (u[i] * u[i]) / (dg[i] - lambda);
        sAbs += (u[i] * u[i]) / Math.abs(dg[i] - lambda);
        minGap = Math.min(minGap, Math.abs(dg[i] - lambda));
      }
      expect(Math.abs(1 + c * s)).toBeLessThan((10 * n * EPS * 3 * (1 + c * sAbs)) / minGap);
    }
  });
});

describe('GOE spectrum at N = 400 (THEORY §4.1 with σ = 1)', () => {
  const n = 400;
  const values = symmetricEigenvalues(n, goe(n, 2026));

  it('edges at ±2 within the Tracy–Widom scale N^{-2/3}', () => {
    // λ_max = 2 + N^{-2/3} s with s ~ TW1 (mean −1.21, sd 1.27); |s| < 6 has
    // probability > 0.999. The seed is fixed, so this is deterministic.
    const scale = n ** (-2 / 3);
    expect(Math.abs(values[n - 1] - 2)).toBeLessThan(6 * scale);
    expect(Math.abs(values[0] + 2)).toBeLessThan(6 * scale);
  });

  it('empirical distribution follows the semicircle law', () => {
    // Semicircle CDF F(x) = 1/2 + (x√(4 − x²))/(4π) + asin(x/2)/π on [−2, 2].
    const F = (x: number) => 0.5 + (x * Math.sqrt(4 - x * x)) / (4 * Math.PI) + Math.asin(x / 2) / Math.PI;
    let ks = 0;
    for (let k = 0; k < n; k++) {
      const x = Math.max(-2, Math.min(2, values[k]));
      ks = Math.max(ks, Math.abs(F(x) - k / n), Math.abs(F(x) - (k + 1) / n));
    }
    // GOE eigenvalues are rigid: counting fluctuations are O(log N / N) ≈ 0.015 at
    // N = 400, plus the 1/N step; a wrong radius (e.g. 2√2) gives ks ≈ 0.1.
    expect(ks).toBeLessThan(0.03);
  });
});

describe('BBP outlier of a spiked GOE (THEORY §4.1)', () => {
  it('μ − M − θ v vᵀ has its lowest eigenvalue at μ − θ − 1/θ with squared overlap 1 − 1/θ² on v', () => {
    const n = 300;
    const [mu, theta] = [2, 3];
    const M = goe(n, 99);
    const v = Rng.fromSeed(100).fillNormal(new Float64Array(n));
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        A[i * n + j] = (i === j ? mu : 0) - M[i * n + j] - (theta * v[i] * v[j]) / norm ** 2;
    const { values, vectors } = symmetricEigen(n, A);
    let overlap = 0;
    for (let i = 0; i < n; i++) overlap += (vectors[i * n] * v[i]) / norm;
    // Finite-N fluctuations of the outlier and of the overlap are O(N^{-1/2}) ≈ 0.06;
    // 0.15 is 2.5 of those. The bulk edge would be at μ − 2 = 0, far from 2 − 3 − 1/3.
    expect(Math.abs(values[0] - (mu - theta - 1 / theta))).toBeLessThan(0.15);
    expect(Math.abs(overlap ** 2 - (1 - 1 / theta ** 2))).toBeLessThan(0.15);
    expect(Math.abs(values[1] - (mu - 2))).toBeLessThan(6 * n ** (-2 / 3));
  });
});

describe('scaling, options and errors', () => {
  it('is scale-equivariant to the last bit for power-of-two scalings, even near overflow/underflow', () => {
    const n = 30;
    const A = randomSymmetric(n, 3);
    for (const s of [2 ** 1000, 2 ** -1000, 2 ** -1060]) {
      // At 2^-1060 the inputs are subnormal (rounded): compare with the eigenvalues of
      // the rounded matrix scaled back up, which is exact.
      const scaledA = A.map((x) => x * s);
      const ref = symmetricEigenvalues(
        n,
        scaledA.map((x) => x / s),
      );
      const scaled = symmetricEigenvalues(n, scaledA);
      // Internally both are rescaled by a power of two into [1, 2): identical
      // arithmetic, then one rounding of λ·s on output in both cases.
      for (let k = 0; k < n; k++) expect(scaled[k]).toBe(ref[k] * s);
    }
  });

  it('overwrite: true uses A as workspace and still gives the same values', () => {
    const n = 20;
    const A = randomSymmetric(n, 4);
    const ref = symmetricEigenvalues(n, A);
    const values = symmetricEigenvalues(n, Float64Array.from(A), { overwrite: true });
    expect(values).toEqual(ref);
  });

  it('handles n = 0, 1, 2 and the zero matrix', () => {
    expect(symmetricEigenvalues(0, new Float64Array(0)).length).toBe(0);
    expect(Array.from(symmetricEigen(1, new Float64Array([-3])).values)).toEqual([-3]);
    const { values, vectors } = symmetricEigen(2, new Float64Array([2, 1, 1, 2]));
    expect(Math.abs(values[0] - 1)).toBeLessThan(4 * EPS);
    expect(Math.abs(values[1] - 3)).toBeLessThan(8 * EPS);
    expect(Math.abs(vectors[1] - Math.SQRT1_2)).toBeLessThan(4 * EPS);
    expect(Math.abs(vectors[3] - Math.SQRT1_2)).toBeLessThan(4 * EPS);
    const zero = symmetricEigen(3, new Float64Array(9));
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(Array.from(zero.vectors)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('rejects asymmetric, non-finite and undersized input with clear messages', () => {
    expect(() => symmetricEigenvalues(2, new Float64Array([1, 2, 0, 1]))).toThrow(
      /not symmetric: A\[0, 1\] = 2/,
    );
    expect(() => symmetricEigenvalues(2, new Float64Array([1, Number.NaN, Number.NaN, 1]))).toThrow(
      /A\[0, 1\] = NaN is not finite/,
    );
    expect(() => symmetricEigen(3, new Float64Array(8))).toThrow(/needs 9/);
    expect(() => symmetricEigen(-1, new Float64Array(0))).toThrow(/non-negative integer/);
    // With the check disabled the upper triangle is used: [[1, 2], [2, 1]] → −1, 3.
    const values = symmetricEigenvalues(2, new Float64Array([1, 2, 0, 1]), {
      symmetryTolerance: Number.POSITIVE_INFINITY,
    });
    expect(Math.abs(values[0] + 1)).toBeLessThan(8 * EPS);
    expect(Math.abs(values[1] - 3)).toBeLessThan(8 * EPS);
  });

  it('reports non-convergence as NonConvergenceError', () => {
    expect(() => symmetricEigenvalues(5, randomSymmetric(5, 1), { maxIterations: 0 })).toThrow(
      NonConvergenceError,
    );
  });
});
