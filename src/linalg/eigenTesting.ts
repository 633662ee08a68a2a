/** Checks shared by the eigensolver tests (dense O(n³) loops, for small n). */

/** max_k ‖A v_k − λ_k v_k‖ and max |VᵀV − I|. */
export function residualAndOrthogonality(n: number, A: Float64Array, values: Float64Array, V: Float64Array) {
  let residual = 0;
  let orth = 0;
  for (let k = 0; k < n; k++) {
    let r2 = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * V[j * n + k];
      r2 += (s - values[k] * V[i * n + k]) ** 2;
    }
    residual = Math.max(residual, Math.sqrt(r2));
    for (let l = k; l < n; l++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += V[i * n + k] * V[i * n + l];
      orth = Math.max(orth, Math.abs(s - (k === l ? 1 : 0)));
    }
  }
  return { residual, orth };
}
