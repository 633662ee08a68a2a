import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { symv } from './blas.ts';
import { symmetricEigen, symmetricEigenvalues } from './eigen.ts';
import { lanczos, type MatVec } from './lanczos.ts';

/** GOE with semicircle radius 2 (THEORY §4.1, σ = 1). */
function goe(n: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const A = new Float64Array(n * n);
  const sd = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const x = (i === j ? Math.SQRT2 : 1) * sd * rng.normal();
      A[i * n + j] = x;
      A[j * n + i] = x;
    }
  return A;
}

const dense =
  (n: number, A: Float64Array): MatVec =>
  (v, out) => {
    symv('upper', n, 1, A, n, 1, 0, v, 1, 0, 0, out, 1, 0);
  };

/** ‖A u − θ u‖ computed explicitly. */
function trueResidual(n: number, A: Float64Array, theta: number, u: Float64Array): number {
  const au = new Float64Array(n);
  dense(n, A)(u, au);
  let r = 0;
  for (let i = 0; i < n; i++) r += (au[i] - theta * u[i]) ** 2;
  return Math.sqrt(r);
}

describe('lanczos against the full decomposition', () => {
  it('finds the extreme eigenpairs of a GOE matrix (N = 300)', () => {
    const n = 300;
    const A = goe(n, 1);
    const { values, vectors } = symmetricEigen(n, A);
    const res = lanczos(n, dense(n, A), { which: 'both', count: 2, rng: Rng.fromSeed(2) });
    expect(res.converged).toBe(true);
    expect(res.matvecs).toBe(res.steps);
    expect(res.steps).toBeLessThan(n); // it stopped early on the tolerance
    // tolerance 1e-10·‖T‖ on the residual bounds |θ − λ| by ~2e-10; the Ritz value
    // of an isolated extreme eigenvalue is in fact accurate to residual²/gap.
    for (let k = 0; k < 2; k++) {
      expect(Math.abs(res.lowest[k].value - values[k])).toBeLessThan(1e-9);
      expect(Math.abs(res.highest[k].value - values[n - 1 - k])).toBeLessThan(1e-9);
    }
    // Ritz vectors: explicit residual matches the β|y| estimate (full
    // reorthogonalisation keeps them equal up to rounding), and the vector agrees
    // with the eigenvector (gap at the edge ≈ 0.03, so error ≲ residual/gap).
    for (const pair of [...res.lowest, ...res.highest]) {
      const u = pair.vector!;
      expect(trueResidual(n, A, pair.value, u)).toBeLessThan(pair.residual + 1e-12);
      expect(pair.residual).toBeLessThan(1e-10 * 2.1);
    }
    let overlap = 0;
    for (let i = 0; i < n; i++) overlap += res.lowest[0].vector![i] * vectors[i * n];
    expect(Math.abs(overlap)).toBeGreaterThan(1 - 1e-8);
  });

  it('Ritz values interlace: lowest ≥ λ_min and highest ≤ λ_max for any step count (property)', () => {
    const n = 80;
    const A = goe(n, 7);
    const values = symmetricEigenvalues(n, A);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1e6 }), (k, seed) => {
        const res = lanczos(n, dense(n, A), {
          which: 'both',
          maxSteps: k,
          tolerance: 0,
          rng: Rng.fromSeed(seed),
          vectors: false,
        });
        expect(res.steps).toBe(k);
        expect(res.lowest[0].vector).toBeNull();
        // Cauchy interlacing for the Rayleigh–Ritz projection; 1e-12 absorbs rounding.
        expect(res.lowest[0].value).toBeGreaterThanOrEqual(values[0] - 1e-12);
        expect(res.highest[0].value).toBeLessThanOrEqual(values[n - 1] + 1e-12);
      }),
      { numRuns: 25 },
    );
  });

  it('n steps on an n×n operator reproduce the whole spectrum (invariant Krylov space)', () => {
    const n = 40;
    const A = goe(n, 3);
    const values = symmetricEigenvalues(n, A);
    const res = lanczos(n, dense(n, A), { which: 'both', count: n / 2, maxSteps: n, tolerance: 0 });
    expect(res.steps).toBe(n);
    expect(res.converged).toBe(true);
    const all = [...res.lowest.map((p) => p.value), ...res.highest.map((p) => p.value).reverse()];
    // Full reorthogonalisation keeps the basis orthonormal, so T_n is similar to A
    // up to rounding: every eigenvalue to ~n·ε·‖A‖.
    for (let k = 0; k < n; k++) expect(Math.abs(all[k] - values[k])).toBeLessThan(1e-12);
  });

  it('stops after one step when started on an eigenvector', () => {
    const n = 30;
    const diag = Float64Array.from({ length: n }, (_, i) => i - 5);
    const matvec: MatVec = (v, out) => {
      for (let i = 0; i < n; i++) out[i] = diag[i] * v[i];
    };
    const start = new Float64Array(n);
    start[0] = -2;
    const res = lanczos(n, matvec, { start });
    expect(res.steps).toBe(1);
    expect(res.matvecs).toBe(1);
    expect(res.converged).toBe(true);
    expect(res.lowest[0].value).toBe(-5);
    const u = res.lowest[0].vector!;
    expect(u[0]).toBe(1); // sign convention: largest entry positive
    expect(Math.abs(u[1])).toBe(0);
  });
});

describe('multiple eigenvalues', () => {
  it('reports a double lowest eigenvalue once, then the next distinct one', () => {
    // diag(0, 0, 1, 2, …, 28): the Krylov space of one start vector meets the
    // eigenspace of 0 in a single direction.
    const n = 30;
    const diag = Float64Array.from({ length: n }, (_, i) => Math.max(0, i - 1));
    const matvec: MatVec = (v, out) => {
      for (let i = 0; i < n; i++) out[i] = diag[i] * v[i];
    };
    const res = lanczos(n, matvec, { count: 2, rng: Rng.fromSeed(4) });
    expect(res.converged).toBe(true);
    // The Krylov space has dimension ≤ 29 (29 distinct eigenvalues): it is exhausted.
    expect(res.steps).toBeLessThanOrEqual(n - 1);
    expect(Math.abs(res.lowest[0].value)).toBeLessThan(1e-12);
    expect(Math.abs(res.lowest[1].value - 1)).toBeLessThan(1e-12);
  });
});

describe('deflation (the normal direction of the sphere, THEORY §2)', () => {
  it('with deflate: x the spurious zero mode of P M P is excluded', () => {
    // Riemannian-Hessian-like operator P (M + μ I) P with P = I − x xᵀ/N and μ = 2.5
    // shifting the GOE bulk to [0.5, 4.5]: the full operator has an extra eigenvalue
    // 0 on x, below the tangent spectrum.
    const n = 200;
    const M = goe(n, 5);
    const x = Rng.fromSeed(6).fillNormal(new Float64Array(n));
    const nx2 = x.reduce((s, v) => s + v * v, 0);
    const mu = 2.5;
    const project = (v: Float64Array) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i] * v[i];
      for (let i = 0; i < n; i++) v[i] -= (s / nx2) * x[i];
    };
    const tmp = new Float64Array(n);
    const hessian: MatVec = (v, out) => {
      tmp.set(v);
      project(tmp);
      symv('upper', n, 1, M, n, 1, 0, tmp, 1, 0, 0, out, 1, 0);
      for (let i = 0; i < n; i++) out[i] += mu * tmp[i];
      project(out);
    };
    // Independent reference: the dense P(M + μI)P + c·x xᵀ/|x|² with c = 100 moves
    // the normal mode to 100 and leaves the tangent eigenvalues unchanged.
    const H = new Float64Array(n * n);
    const col = new Float64Array(n);
    const e = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      e.fill(0);
      e[j] = 1;
      hessian(e, col);
      for (let i = 0; i < n; i++) H[i * n + j] = col[i] + (100 * x[i] * x[j]) / nx2;
    }
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) H[i * n + j] = H[j * n + i] = 0.5 * (H[i * n + j] + H[j * n + i]);
    const tangent = symmetricEigenvalues(n, H);
    expect(tangent[0]).toBeGreaterThan(0.3); // the tangent spectrum starts near μ − 2

    const without = lanczos(n, hessian, { rng: Rng.fromSeed(9) });
    expect(Math.abs(without.lowest[0].value)).toBeLessThan(1e-9); // the spurious mode
    const res = lanczos(n, hessian, { rng: Rng.fromSeed(9), deflate: x });
    expect(res.converged).toBe(true);
    // Same residual-tolerance argument as above: 1e-9 on the eigenvalue.
    expect(Math.abs(res.lowest[0].value - tangent[0])).toBeLessThan(1e-9);
    // The Ritz vector lives in the tangent space.
    let ux = 0;
    for (let i = 0; i < n; i++) ux += res.lowest[0].vector![i] * x[i];
    expect(Math.abs(ux) / Math.sqrt(nx2)).toBeLessThan(1e-12);
  });

  it('several deflation vectors, dependent ones ignored; maxSteps capped by the remaining dimension', () => {
    const n = 10;
    const diag = Float64Array.from({ length: n }, (_, i) => i);
    const matvec: MatVec = (v, out) => {
      for (let i = 0; i < n; i++) out[i] = diag[i] * v[i];
    };
    const e0 = new Float64Array(n);
    e0[0] = 3;
    const e1 = new Float64Array(n);
    e1[1] = 1;
    const both = new Float64Array(n);
    both[0] = 1;
    both[1] = 1;
    // Deflating span{e0, e1} removes eigenvalues 0 and 1; the lowest left is 2.
    const res = lanczos(n, matvec, { deflate: [e0, e1, both], which: 'both', maxSteps: 50 });
    expect(res.steps).toBeLessThanOrEqual(n - 2);
    expect(Math.abs(res.lowest[0].value - 2)).toBeLessThan(1e-12);
    expect(Math.abs(res.highest[0].value - 9)).toBeLessThan(1e-12);
  });
});

describe('lanczos input checks', () => {
  const id: MatVec = (v, out) => out.set(v);
  it('rejects bad arguments with clear messages', () => {
    expect(() => lanczos(0, id)).toThrow(/positive integer/);
    expect(() => lanczos(3, id, { start: new Float64Array(2) })).toThrow(/start has length 2/);
    expect(() => lanczos(3, id, { start: new Float64Array(3) })).toThrow(/start vector is zero/);
    expect(() => lanczos(2, id, { deflate: [new Float64Array([1, 0]), new Float64Array([0, 1])] })).toThrow(
      /whole space/,
    );
    expect(() => lanczos(3, id, { count: 0 })).toThrow(/count/);
    expect(() => lanczos(3, id, { maxSteps: 0 })).toThrow(/maxSteps/);
    expect(() => lanczos(3, id, { which: 'low' as 'lowest' })).toThrow(/which must be/);
    expect(() => lanczos(3, id, { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => lanczos(3, (_v, out) => out.fill(Number.NaN))).toThrow(/non-finite/);
  });
});
