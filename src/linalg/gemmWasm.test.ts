import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { type GemmExports, gemm, gemmBodies } from './gemmWasm.ts';
import { lazyKernel } from './wasmKernel.ts';

const EPS = 2 ** -52;
const instantiate = lazyKernel<GemmExports>(gemmBodies);

describe('gemm: WebAssembly tiles against the JavaScript loop', () => {
  it('C ± A·B agree to rounding for every remainder of rows and columns, and strided blocks', () => {
    const rng = Rng.fromSeed(5);
    for (const [m, n, k] of [
      [1, 1, 1],
      [3, 5, 7],
      [4, 4, 4],
      [9, 6, 300],
      [17, 33, 258],
      [64, 70, 513],
    ]) {
      const lda = k + 3; // blocks inside larger matrices
      const ldb = n + 2;
      const ldc = n + 1;
      const bytes = 8 * (m * lda + k * ldb + 2 * m * ldc + 16);
      const inst = instantiate(bytes);
      if (inst === null) return; // no WebAssembly SIMD: nothing to compare
      const A = new Float64Array(inst.buffer, 0, m * lda).map(() => rng.normal());
      const B = new Float64Array(inst.buffer, 8 * m * lda, k * ldb).map(() => rng.normal());
      const C = new Float64Array(inst.buffer, 8 * (m * lda + k * ldb), m * ldc).map(() => rng.normal());
      const C0 = Float64Array.from(C);
      for (const sub of [false, true]) {
        C.set(C0);
        const js = Float64Array.from(C0);
        gemm(m, n, k, A, 1, lda, B, 2, ldb, C, 0, ldc, sub, inst.kernel);
        gemm(m, n, k, A, 1, lda, B, 2, ldb, js, 0, ldc, sub);
        for (let i = 0; i < m; i++)
          for (let j = 0; j < ldc; j++) {
            if (j >= n) {
              expect(C[i * ldc + j]).toBe(C0[i * ldc + j]); // outside the block: untouched
              continue;
            }
            // Both sum the same k products in a different grouping: the difference is
            // bounded by 2k ε Σ_l |a_il b_lj| (standard dot-product error bound).
            let bound = 0;
            for (let l = 0; l < k; l++) bound += Math.abs(A[1 + i * lda + l] * B[2 + l * ldb + j]);
            expect(Math.abs(C[i * ldc + j] - js[i * ldc + j])).toBeLessThanOrEqual(
              2 * k * EPS * bound + EPS * Math.abs(js[i * ldc + j]),
            );
          }
        // and the JavaScript loop against a plain triple loop, exactly as written
        for (let i = 0; i < m; i += 7)
          for (let j = 0; j < n; j += 5) {
            let s = 0;
            for (let l = 0; l < k; l++) s += A[1 + i * lda + l] * B[2 + l * ldb + j];
            expect(js[i * ldc + j]).toBeCloseTo(C0[i * ldc + j] + (sub ? -s : s), 10);
          }
      }
    }
  });
});
