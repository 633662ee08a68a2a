/**
 * Back-transformation Z ← Q Z with Q = H_0 H_1 ⋯ H_{n−2} the orthogonal factor of
 * `tridiagonalize` (householder.ts), in blocks of `NB` reflectors in compact WY form
 * (Schreiber & Van Loan, SIAM J. Sci. Stat. Comput. 10 (1989) 53–57; LAPACK
 * dlarft/dlarfb, as dormtr in dsyevd): H_{k0} ⋯ H_{k1−1} = I − Y T Yᵀ with T upper
 * triangular, so each block is three matrix products (`gemmWasm.ts`):
 * W = Yᵀ Z, W ← T W, Z ← Z − Y W. 2n³ flops in all, level-3.
 */
import { type GemmExports, gemm } from './gemmWasm.ts';

/** Reflectors per block. */
export const NB = 32;

/**
 * Z (n×n row-major, in place) ← Q Z. `a` and `tau` are as left by `tridiagonalize`
 * (v_k[k+1] = 1, v_k[j] = a[k·n + j] for j ≥ k+2). `scratch` needs 4·NB·n doubles
 * and `small` 2·NB²; with `kernel` all of z, scratch and small live in its memory.
 */
export function applyQ(
  n: number,
  a: Float64Array,
  tau: Float64Array,
  z: Float64Array,
  scratch: Float64Array,
  small: Float64Array,
  kernel?: GemmExports,
): void {
  const last = n - 2; // reflectors 0 … n−2 (the last ones may be trivial)
  if (last < 0) return;
  for (let k0 = Math.floor(last / NB) * NB; k0 >= 0; k0 -= NB) {
    const nb = Math.min(NB, last + 1 - k0);
    const r0 = k0 + 1;
    const M = n - r0;
    // Yᵀ (nb × M) at p1, Y (M × nb) at p2, W and TW (nb × n) after them.
    const p2 = nb * M;
    const w = p2 + M * nb;
    const tw = w + nb * n;
    for (let r = 0; r < nb; r++) {
      const row = r * M;
      const src = (k0 + r) * n + r0;
      for (let c = 0; c < M; c++) {
        const v = c < r ? 0 : c === r ? 1 : a[src + c];
        scratch[row + c] = v;
        scratch[p2 + c * nb + r] = v;
      }
    }
    // T (dlarft, forward, columnwise): T_ii = τ_i, T[0:i, i] = −τ_i T[0:i, 0:i] (Yᵀ y_i)[0:i].
    const S = small; // Gram matrix Yᵀ Y (nb × nb)
    const T = small.subarray(NB * NB);
    S.fill(0, 0, nb * nb);
    gemm(nb, nb, M, scratch, 0, M, scratch, p2, nb, S, 0, nb, false, kernel);
    T.fill(0, 0, nb * nb);
    for (let i = 0; i < nb; i++) {
      const ti = tau[k0 + i];
      T[i * nb + i] = ti;
      for (let r = 0; r < i; r++) {
        let sum = 0;
        for (let q = r; q < i; q++) sum += T[r * nb + q] * S[q * nb + i];
        T[r * nb + i] = -ti * sum;
      }
    }
    scratch.fill(0, w, tw + nb * n);
    gemm(nb, n, M, scratch, 0, M, z, r0 * n, n, scratch, w, n, false, kernel);
    gemm(nb, n, nb, T, 0, nb, scratch, w, n, scratch, tw, n, false, kernel);
    gemm(M, n, nb, scratch, p2, nb, scratch, tw, n, z, r0 * n, n, true, kernel);
  }
}
