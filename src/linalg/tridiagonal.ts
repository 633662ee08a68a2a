/**
 * Eigenvalues (and optionally eigenvector data) of a real symmetric tridiagonal
 * matrix by the implicit QL algorithm with Wilkinson's shift: Bowdler, Martin,
 * Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices", Numer.
 * Math. 11 (1968), as in EISPACK tql1 (values) / tql2 (vectors); Golub & Van Loan,
 * Matrix Computations, 4th ed., §8.3.5. QL chases the bulge from the bottom up, the
 * right direction for the graded matrices Householder tridiagonalisation produces.
 */

/** Thrown when an iterative eigensolver exceeds its iteration budget. */
export class NonConvergenceError extends Error {
  override readonly name = 'NonConvergenceError';
}

const EPS = 2 ** -52;
/** Smallest positive normal double: off-diagonals below it are set to zero. */
const SAFE_MIN = 2 ** -1022;

/**
 * In-place implicit QL on the symmetric tridiagonal matrix with diagonal `d[0..n-1]`
 * and off-diagonal `e[i]` coupling i and i+1 (`e[n-1]` is ignored). On return `d`
 * holds the eigenvalues, NOT sorted, and `e` is destroyed.
 *
 * If `w` is given it is an n×`cols` row-major matrix whose rows are combined by the
 * same plane rotations: on return `w ← Zᵀ w`, where the columns of Z are the
 * orthonormal eigenvectors of the tridiagonal matrix (column l for `d[l]`). So
 * starting from w = I gives Zᵀ (row l = eigenvector l); starting from the n×1 column
 * e_{n−1} gives the last components of all eigenvectors (what Lanczos needs), at
 * O(n) extra cost per sweep instead of O(n²). Working on rows of Zᵀ keeps every
 * rotation on two contiguous rows.
 *
 * @param maxIterations QL sweeps allowed per eigenvalue (EISPACK's 30 by default;
 *   with the Wilkinson shift convergence is cubic and 1–3 sweeps are typical).
 * @throws NonConvergenceError if some eigenvalue needs more sweeps.
 * @example
 * const d = new Float64Array([2, 2]);
 * const e = new Float64Array([1, 0]);
 * tridiagonalQL(2, d, e); // d is now {1, 3} in some order
 */
export function tridiagonalQL(
  n: number,
  d: Float64Array,
  e: Float64Array,
  w?: Float64Array,
  cols = 0,
  maxIterations = 30,
): void {
  if (n <= 1) return;
  e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      // Find the first negligible off-diagonal at or below l: the block l..m is unreduced.
      let m = l;
      for (; m < n - 1; m++) {
        const em = Math.abs(e[m]);
        if (em <= EPS * (Math.abs(d[m]) + Math.abs(d[m + 1])) || em < SAFE_MIN) {
          e[m] = 0;
          break;
        }
      }
      if (m === l) break; // d[l] has converged
      if (++sweeps > maxIterations)
        throw new NonConvergenceError(
          `implicit QL: eigenvalue ${l} of a ${n}×${n} tridiagonal matrix did not converge in ${maxIterations} sweeps`,
        );
      // Wilkinson shift: the eigenvalue of the top 2×2 block [d_l e_l; e_l d_{l+1}]
      // closer to d_l, written to avoid cancellation.
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      // Chase the bulge upwards with Givens rotations in planes (i, i+1).
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation underflowed: e[i+1] is now exactly zero, so the matrix
          // has split. Undo the pending shift on d[i+1] and restart the search.
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        if (w !== undefined) {
          // Rows i and i+1 of w (rows of Zᵀ) take the rotation.
          const ri = i * cols;
          const rj = ri + cols;
          for (let k = 0; k < cols; k++) {
            const wi = w[ri + k];
            const wj = w[rj + k];
            w[rj + k] = s * wi + c * wj;
            w[ri + k] = c * wi - s * wj;
          }
        }
      }
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * Eigenvalues, ascending, of the symmetric tridiagonal matrix with the given
 * diagonal (length n) and off-diagonal (length ≥ n−1; entry i couples i and i+1).
 * The inputs are not modified.
 * @example
 * // [[2, 1, 0], [1, 2, 1], [0, 1, 2]]: eigenvalues 2 − √2, 2, 2 + √2
 * symmetricTridiagonalEigenvalues(new Float64Array([2, 2, 2]), new Float64Array([1, 1]));
 */
export function symmetricTridiagonalEigenvalues(
  diagonal: Float64Array,
  offDiagonal: Float64Array,
): Float64Array {
  const n = diagonal.length;
  if (n > 1 && offDiagonal.length < n - 1)
    throw new RangeError(`off-diagonal has ${offDiagonal.length} entries, need ${n - 1}`);
  const d = Float64Array.from(diagonal);
  const e = new Float64Array(n);
  e.set(offDiagonal.subarray(0, Math.max(0, n - 1)));
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(d[i]) || !Number.isFinite(e[i]))
      throw new RangeError(`symmetricTridiagonalEigenvalues: non-finite entry at index ${i}`);
  tridiagonalQL(n, d, e);
  return d.sort();
}
