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

/**
 * The plane rotations of a QL run, recorded so they can be applied afterwards to
 * the columns of a matrix eight at a time (see `applyTo`). Rotation r acts on rows
 * (i_r, i_r + 1) as `(w_i, w_{i+1}) ← (c·w_i − s·w_{i+1}, s·w_i + c·w_{i+1})`.
 * Consecutive rotations with i_{r+1} = i_r − 1 (the bulge chase of one QL sweep)
 * form a chain, stored as its top index and its start.
 *
 * Memory is bounded: when `capacity` rotations are recorded, `onFull(this)` is
 * called, which must apply them (e.g. `log.applyTo(w, …)`) and `clear()` the log;
 * without `onFull` the log grows as needed.
 * @example
 * // Eigenvectors of a tridiagonal matrix, rotations replayed on the identity:
 * const d = new Float64Array([2, 2]);
 * const e = new Float64Array([1, 0]);
 * const log = new RotationLog();
 * tridiagonalQL(2, d, e, undefined, 0, 30, log);
 * const zt = new Float64Array([1, 0, 0, 1]);
 * log.applyTo(zt, 2, 0, 2);
 * // d ≈ [1, 3]; zt = [0.7071…, −0.7071…, 0.7071…, 0.7071…]: rows are [1, −1]/√2 and [1, 1]/√2
 */
export class RotationLog {
  private cs: Float64Array;
  private chainTop = new Int32Array(64);
  private chainStart = new Int32Array(64);
  private lastIndex = -2;
  /** Number of rotations recorded. */
  length = 0;
  /** Number of chains recorded. */
  chains = 0;

  constructor(
    readonly capacity = Number.POSITIVE_INFINITY,
    private readonly onFull?: (log: RotationLog) => void,
  ) {
    this.cs = new Float64Array(2 * Math.min(1024, capacity));
  }

  /** Record the rotation (c, s) in plane (i, i+1). */
  push(i: number, c: number, s: number): void {
    if (this.length >= this.capacity && this.onFull !== undefined) {
      this.onFull(this);
      if (this.length !== 0) throw new Error('RotationLog: onFull must clear the log');
    }
    if (2 * this.length + 2 > this.cs.length) this.cs = grow(this.cs);
    if (i !== this.lastIndex - 1 || this.chains === 0) {
      if (this.chains === this.chainTop.length) {
        this.chainTop = grow(this.chainTop);
        this.chainStart = grow(this.chainStart);
      }
      this.chainTop[this.chains] = i;
      this.chainStart[this.chains] = this.length;
      this.chains++;
    }
    this.lastIndex = i;
    this.cs[2 * this.length] = c;
    this.cs[2 * this.length + 1] = s;
    this.length++;
  }

  /** Forget all recorded rotations (keeps the buffers). */
  clear(): void {
    this.length = 0;
    this.chains = 0;
    this.lastIndex = -2;
  }

  /**
   * Apply all recorded rotations, in order, to columns [c0, c1) of the row-major
   * matrix `w` with row stride `stride` (rotations combine rows). If `w` lives in
   * the memory of the `wasm` workspace, blocks of eight columns go through its SIMD
   * kernel (same results, bit for bit).
   *
   * Columns go eight at a time: within a chain, the row just produced by rotation
   * (i, i+1) is the input of the next rotation (i−1, i), so it is carried in eight
   * local variables instead of being stored and reloaded; each rotation then costs
   * one load and one store per entry instead of two of each (about 1.6× faster here,
   * with bit-identical results).
   */
  applyTo(w: Float64Array, stride: number, c0: number, c1: number, wasm?: RotationWorkspace): void {
    const cs = this.cs;
    let k = c0;
    if (wasm !== undefined && wasm.w.buffer === w.buffer && 2 * this.length <= wasm.cs.length) {
      // The same loop in WebAssembly SIMD (rotationWasm.ts), bit-identical.
      wasm.cs.set(cs.subarray(0, 2 * this.length));
      const base = wasm.cs.byteOffset;
      for (; k + 8 <= c1; k += 8)
        for (let q = 0; q < this.chains; q++) {
          const start = this.chainStart[q];
          const end = q + 1 < this.chains ? this.chainStart[q + 1] : this.length;
          if (start === end) continue;
          const p = w.byteOffset + 8 * ((this.chainTop[q] + 1) * stride + k);
          wasm.chain(p, base + 16 * start, base + 16 * end, 8 * stride);
        }
    }
    for (; k + 8 <= c1; k += 8) {
      for (let q = 0; q < this.chains; q++) {
        const end = q + 1 < this.chains ? this.chainStart[q + 1] : this.length;
        let r = this.chainStart[q];
        if (r === end) continue;
        let p = (this.chainTop[q] + 1) * stride + k;
        let x0 = w[p];
        let x1 = w[p + 1];
        let x2 = w[p + 2];
        let x3 = w[p + 3];
        let x4 = w[p + 4];
        let x5 = w[p + 5];
        let x6 = w[p + 6];
        let x7 = w[p + 7];
        for (; r < end; r++) {
          const c = cs[2 * r];
          const s = cs[2 * r + 1];
          const pi = p - stride;
          let y = w[pi];
          w[p] = s * y + c * x0;
          x0 = c * y - s * x0;
          y = w[pi + 1];
          w[p + 1] = s * y + c * x1;
          x1 = c * y - s * x1;
          y = w[pi + 2];
          w[p + 2] = s * y + c * x2;
          x2 = c * y - s * x2;
          y = w[pi + 3];
          w[p + 3] = s * y + c * x3;
          x3 = c * y - s * x3;
          y = w[pi + 4];
          w[p + 4] = s * y + c * x4;
          x4 = c * y - s * x4;
          y = w[pi + 5];
          w[p + 5] = s * y + c * x5;
          x5 = c * y - s * x5;
          y = w[pi + 6];
          w[p + 6] = s * y + c * x6;
          x6 = c * y - s * x6;
          y = w[pi + 7];
          w[p + 7] = s * y + c * x7;
          x7 = c * y - s * x7;
          p = pi;
        }
        w[p] = x0;
        w[p + 1] = x1;
        w[p + 2] = x2;
        w[p + 3] = x3;
        w[p + 4] = x4;
        w[p + 5] = x5;
        w[p + 6] = x6;
        w[p + 7] = x7;
      }
    }
    // Leftover columns, one rotation at a time.
    for (let q = 0; q < this.chains && k < c1; q++) {
      const end = q + 1 < this.chains ? this.chainStart[q + 1] : this.length;
      let ri = this.chainTop[q] * stride;
      for (let r = this.chainStart[q]; r < end; r++, ri -= stride) {
        const c = cs[2 * r];
        const s = cs[2 * r + 1];
        const rj = ri + stride;
        for (let j = k; j < c1; j++) {
          const wi = w[ri + j];
          const wj = w[rj + j];
          w[rj + j] = s * wi + c * wj;
          w[ri + j] = c * wi - s * wj;
        }
      }
    }
  }
}

function grow<A extends Float64Array | Int32Array>(a: A): A {
  const b = new (a.constructor as { new (n: number): A })(2 * a.length);
  b.set(a);
  return b;
}

import type { RotationWorkspace } from './rotationWasm.ts';

const EPS = 2 ** -52;

/**
 * √(x² + y²) without spurious overflow or underflow: the plain formula (correct to
 * about one ulp) when x² + y² is safely inside the normal range, else Math.hypot.
 * V8's Math.hypot is general (any number of arguments) and several times slower,
 * which made it a third of the values-only QL time.
 */
function hypot2(x: number, y: number): number {
  const s = x * x + y * y;
  return s > 1e-290 && s < 1e290 ? Math.sqrt(s) : Math.hypot(x, y);
}
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
 * @param log if given, every rotation is also recorded there (see `RotationLog`).
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
  log?: RotationLog,
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
      let r = hypot2(g, 1);
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
        r = hypot2(f, g);
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
        log?.push(i, c, s);
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
 * // [0.5857864376269051, 2, 3.414213562373095]
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
