import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { symmetricEigen, symmetricEigenvalues } from './eigen.ts';
import { residualAndOrthogonality } from './eigenTesting.ts';
import { accumulateQt, tridiagonalize } from './householder.ts';
import { householderWorkspace } from './householderWasm.ts';
import { rotationWorkspace } from './rotationWasm.ts';

const EPS = 2 ** -52;

/** The three test families: GOE-like, clustered (eigenvalues in 3 tight groups), graded. */
function testMatrix(kind: 'random' | 'clustered' | 'graded', n: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const x = rng.normal() / Math.sqrt(n);
      A[i * n + j] = x;
      A[j * n + i] = x;
    }
  if (kind === 'graded')
    // D A D with D = diag(10^(−8 i/n)): entries span 16 orders of magnitude.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] *= 10 ** ((-8 * (i + j)) / n);
  if (kind === 'clustered') {
    // Q diag(λ) Qᵀ with λ ∈ {−1, 0, 2} + 1e-10·noise, Q a product of 3 reflectors.
    const lambda = Array.from({ length: n }, (_, i) => [-1, 0, 2][i % 3] + 1e-10 * rng.normal());
    A.fill(0);
    for (let i = 0; i < n; i++) A[i * n + i] = lambda[i];
    for (let r = 0; r < 3; r++) {
      const u = Array.from({ length: n }, () => rng.normal());
      const uu = u.reduce((s, x) => s + x * x, 0);
      // A ← H A H, H = I − 2 u uᵀ/uᵀu
      const Au = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Au[i] += A[i * n + j] * u[j];
      const uAu = u.reduce((s, x, i) => s + x * Au[i], 0);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          A[i * n + j] += (-2 * (Au[i] * u[j] + u[i] * Au[j])) / uu + (4 * uAu * u[i] * u[j]) / (uu * uu);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i];
    }
  }
  return A;
}

function maxAbs(A: Float64Array): number {
  let m = 0;
  for (const a of A) m = Math.max(m, Math.abs(a));
  return m;
}

describe('WebAssembly SIMD tridiagonalisation against the JavaScript path', () => {
  it('is available here (Node ≥ 20 has WebAssembly SIMD), so the comparisons below test it', () => {
    expect(householderWorkspace(10)).not.toBeNull();
  });

  it('gives the same tridiagonal matrix to rounding and leaves the lower triangle untouched', () => {
    for (const n of [2, 3, 4, 7, 50, 51]) {
      const A = testMatrix('random', n, n);
      const ws = householderWorkspace(n)!;
      ws.a.set(A);
      const [d1, e1, t1, d2, e2, t2] = Array.from({ length: 6 }, () => new Float64Array(n));
      tridiagonalize(n, ws.a, d1, e1, t1, ws);
      const b = Float64Array.from(A);
      tridiagonalize(n, b, d2, e2, t2);
      // The matrix updates are the same operations; only the dot products B·v sum in a
      // different order (two lanes), which perturbs each step by O(n ε ‖A‖).
      for (let k = 0; k < n; k++) {
        expect(Math.abs(d1[k] - d2[k])).toBeLessThan(100 * n * EPS);
        expect(Math.abs(Math.abs(e1[k]) - Math.abs(e2[k]))).toBeLessThan(100 * n * EPS);
      }
      // The padded SIMD loop rewrites lower-triangle entries with their own value.
      for (let i = 1; i < n; i++) for (let j = 0; j < i; j++) expect(ws.a[i * n + j]).toBe(A[i * n + j]);
    }
  });

  it('accumulates Qᵀ in the SIMD kernel as in JavaScript, to rounding (odd and even row lengths)', () => {
    for (const n of [2, 3, 4, 5, 8, 9, 36, 37]) {
      const a = testMatrix('random', n, 3 * n);
      const [d, e, tau] = Array.from({ length: 3 }, () => new Float64Array(n));
      tridiagonalize(n, a, d, e, tau);
      const ws = rotationWorkspace(n, 1)!;
      const fast = accumulateQt(n, a, tau, ws);
      expect(fast.buffer).toBe(ws.w.buffer);
      const js = accumulateQt(n, a, tau);
      // Same reflectors; only the dot products sum in a different order: O(n ε) per
      // entry of an orthogonal matrix, 10 n ε is a safe bound.
      for (let i = 0; i < n * n; i++) expect(Math.abs(fast[i] - js[i])).toBeLessThan(10 * n * EPS);
    }
  });

  it('reuses its WebAssembly memory across calls of different sizes without carrying state', () => {
    // The kernels keep their memory between calls and only clear what they rely on;
    // a call after larger and smaller ones must repeat the first result bit for bit.
    const sizes = [41, 90, 7, 41, 2, 90];
    const first = new Map<number, { values: Float64Array; vectors: Float64Array; only: Float64Array }>();
    for (const n of sizes) {
      const A = testMatrix('random', n, n);
      const only = symmetricEigenvalues(n, A);
      const { values, vectors } = symmetricEigen(n, A);
      const seen = first.get(n);
      if (seen === undefined) first.set(n, { values, vectors, only });
      else {
        expect(only).toEqual(seen.only);
        expect(values).toEqual(seen.values);
        expect(vectors).toEqual(seen.vectors);
      }
    }
  });

  for (const kind of ['random', 'clustered', 'graded'] as const)
    it(`${kind} matrices: eigenvalues agree to 1e-12·max|A|, vectors orthonormal with small residuals`, () => {
      for (const n of [33, 120]) {
        const A = testMatrix(kind, n, 7 * n);
        const norm = maxAbs(A);
        const js = symmetricEigenvalues(n, A, { kernel: 'js' });
        const fast = symmetricEigenvalues(n, A);
        // Both paths are backward stable (perturbation O(n ε ‖A‖) ≈ 3e-14·‖A‖ at n = 120);
        // 1e-12 leaves a 30× margin and still catches any real error in the kernel.
        for (let k = 0; k < n; k++) expect(Math.abs(fast[k] - js[k])).toBeLessThan(1e-12 * norm);
        const { values, vectors: V } = symmetricEigen(n, A);
        for (let k = 0; k < n; k++) expect(Math.abs(values[k] - js[k])).toBeLessThan(1e-12 * norm);
        const { residual, orth } = residualAndOrthogonality(n, A, values, V);
        // Backward stability: ‖A v − λ v‖ and |VᵀV − I| are O(n ε) (×‖A‖ for the residual);
        // 100 n ε ≈ 3e-12 at n = 120 is a generous bound that an unorthogonal basis violates.
        expect(residual).toBeLessThan(100 * n * EPS * norm);
        expect(orth).toBeLessThan(100 * n * EPS);
      }
    });
});
