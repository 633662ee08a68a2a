/**
 * Level-1 and level-2 BLAS kernels over `Float64Array`, in the "ndarray" calling
 * convention of stdlib-js: every vector argument is `(x, strideX, offsetX)`, so
 * element k of x is `x[offsetX + k·strideX]` (strides may be negative, and
 * select subviews of a larger buffer without copying), and every matrix is
 * `(A, strideA1, strideA2, offsetA)` with element (i, j) at
 * `A[offsetA + i·strideA1 + j·strideA2]`. A dense row-major M×N matrix is
 * `(A, N, 1, 0)`; its transpose without copying is `(A, 1, N, 0)`.
 *
 * Semantics follow the reference BLAS (ddot, daxpy, dscal, dnrm2, dcopy, dgemv,
 * dsymv): n ≤ 0 is a no-op, and `beta = 0` means y is overwritten without being
 * read (a NaN already in y does not propagate).
 */

/** Which triangle of a symmetric matrix is stored and read. */
export type Uplo = 'upper' | 'lower';
/** Whether a general matrix is used as is or transposed. */
export type Transpose = 'no-transpose' | 'transpose';

/**
 * Dot product Σ_k x_k y_k.
 * @example
 * dot(3, new Float64Array([1, 2, 3]), 1, 0, new Float64Array([4, 5, 6]), 1, 0); // 32
 */
export function dot(
  n: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): number {
  let s = 0;
  if (strideX === 1 && strideY === 1) {
    // Two accumulators shorten the chain of dependent additions.
    let s1 = 0;
    let k = 0;
    for (; k + 1 < n; k += 2) {
      s += x[offsetX + k] * y[offsetY + k];
      s1 += x[offsetX + k + 1] * y[offsetY + k + 1];
    }
    if (k < n) s += x[offsetX + k] * y[offsetY + k];
    return s + s1;
  }
  for (let k = 0, ix = offsetX, iy = offsetY; k < n; k++, ix += strideX, iy += strideY) s += x[ix] * y[iy];
  return s;
}

/**
 * y ← α x + y.
 * @example
 * const y = new Float64Array([1, 1]);
 * axpy(2, 3, new Float64Array([1, 2]), 1, 0, y, 1, 0); // y is [4, 7]
 */
export function axpy(
  n: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  if (alpha === 0) return y;
  for (let k = 0, ix = offsetX, iy = offsetY; k < n; k++, ix += strideX, iy += strideY)
    y[iy] += alpha * x[ix];
  return y;
}

/**
 * x ← α x.
 * @example
 * scal(2, 0.5, new Float64Array([2, 4]), 1, 0); // [1, 2]
 */
export function scal(
  n: number,
  alpha: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
): Float64Array {
  for (let k = 0, ix = offsetX; k < n; k++, ix += strideX) x[ix] *= alpha;
  return x;
}

/**
 * y ← x.
 * @example
 * copy(2, new Float64Array([1, 2]), 1, 0, new Float64Array(2), 1, 0); // [1, 2]
 */
export function copy(
  n: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  for (let k = 0, ix = offsetX, iy = offsetY; k < n; k++, ix += strideX, iy += strideY) y[iy] = x[ix];
  return y;
}

// A plain sum of squares below this may have lost digits to underflow, so we rescale;
// above it, any squares that underflowed are negligible relative to the sum.
const SUM_SQUARES_MIN = 2 ** -1000;

/**
 * Euclidean norm √(Σ x_k²) without overflow or harmful underflow: the plain sum of
 * squares is used when it is safely representable, otherwise the vector is scaled by
 * its largest magnitude first (the idea of LAPACK dnrm2, done in two passes).
 * @example
 * nrm2(2, new Float64Array([3e300, 4e300]), 1, 0); // 5e300 (a naive Σx² overflows)
 */
export function nrm2(n: number, x: Float64Array, strideX: number, offsetX: number): number {
  if (n <= 0) return 0;
  let ss = 0;
  for (let k = 0, ix = offsetX; k < n; k++, ix += strideX) ss += x[ix] * x[ix];
  if (ss < Number.POSITIVE_INFINITY && ss > SUM_SQUARES_MIN) return Math.sqrt(ss);
  let scale = 0;
  for (let k = 0, ix = offsetX; k < n; k++, ix += strideX) {
    const a = Math.abs(x[ix]);
    if (a > scale || Number.isNaN(a)) scale = a;
  }
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  const inv = 1 / scale;
  ss = 0;
  for (let k = 0, ix = offsetX; k < n; k++, ix += strideX) {
    const t = x[ix] * inv;
    ss += t * t;
  }
  return scale * Math.sqrt(ss);
}

/** y ← β y, with β = 0 overwriting (reference BLAS semantics). */
function scaleY(n: number, beta: number, y: Float64Array, strideY: number, offsetY: number): void {
  if (beta === 1) return;
  if (beta === 0) for (let k = 0, iy = offsetY; k < n; k++, iy += strideY) y[iy] = 0;
  else for (let k = 0, iy = offsetY; k < n; k++, iy += strideY) y[iy] *= beta;
}

/**
 * General matrix–vector product y ← α op(A) x + β y with A an M×N matrix,
 * op(A) = A ('no-transpose': x has N entries, y has M) or Aᵀ ('transpose': x has M,
 * y has N). For a row-major A pass strides (N, 1).
 * @example
 * // [[1, 2], [3, 4]] · [1, 1] = [3, 7]
 * const y = new Float64Array(2);
 * gemv('no-transpose', 2, 2, 1, new Float64Array([1, 2, 3, 4]), 2, 1, 0, new Float64Array([1, 1]), 1, 0, 0, y, 1, 0);
 * // y is [3, 7]
 */
export function gemv(
  trans: Transpose,
  m: number,
  n: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  if (m <= 0 || n <= 0) return y;
  const rows = trans === 'no-transpose' ? m : n;
  const cols = trans === 'no-transpose' ? n : m;
  // View op(A) as a rows×cols matrix with strides (s1, s2).
  const s1 = trans === 'no-transpose' ? strideA1 : strideA2;
  const s2 = trans === 'no-transpose' ? strideA2 : strideA1;
  scaleY(rows, beta, y, strideY, offsetY);
  if (alpha === 0) return y;
  if (Math.abs(s2) <= Math.abs(s1)) {
    // Inner index runs along memory: one dot product per output entry.
    if (s2 === 1 && strideX === 1) {
      for (let i = 0, iy = offsetY, ia = offsetA; i < rows; i++, iy += strideY, ia += s1)
        y[iy] += alpha * dot(cols, A, 1, ia, x, 1, offsetX);
      return y;
    }
    for (let i = 0, iy = offsetY, ia = offsetA; i < rows; i++, iy += strideY, ia += s1) {
      let s = 0;
      for (let j = 0, jx = offsetX, a = ia; j < cols; j++, jx += strideX, a += s2) s += A[a] * x[jx];
      y[iy] += alpha * s;
    }
  } else {
    // Columns are contiguous: accumulate y += (α x_j) · column j.
    for (let j = 0, jx = offsetX, ja = offsetA; j < cols; j++, jx += strideX, ja += s2) {
      const t = alpha * x[jx];
      if (t === 0) continue;
      for (let i = 0, iy = offsetY, a = ja; i < rows; i++, iy += strideY, a += s1) y[iy] += t * A[a];
    }
  }
  return y;
}

/**
 * Symmetric matrix–vector product y ← α A x + β y, reading only the `uplo` triangle
 * of the N×N matrix A (diagonal included); the other triangle is never touched.
 * One pass over the stored triangle: each off-diagonal a_ij contributes to y_i and y_j.
 * @example
 * // Upper triangle of [[2, 1], [1, 3]]; the 99 below the diagonal is ignored.
 * const y = new Float64Array(2);
 * symv('upper', 2, 1, new Float64Array([2, 1, 99, 3]), 2, 1, 0, new Float64Array([1, 1]), 1, 0, 0, y, 1, 0);
 * // y is [3, 4]
 */
export function symv(
  uplo: Uplo,
  n: number,
  alpha: number,
  A: Float64Array,
  strideA1: number,
  strideA2: number,
  offsetA: number,
  x: Float64Array,
  strideX: number,
  offsetX: number,
  beta: number,
  y: Float64Array,
  strideY: number,
  offsetY: number,
): Float64Array {
  if (n <= 0) return y;
  scaleY(n, beta, y, strideY, offsetY);
  if (alpha === 0) return y;
  // Upper: for row i, entries j > i; lower: entries j < i. Both walk row i along strideA2.
  for (let i = 0, ix = offsetX, iy = offsetY; i < n; i++, ix += strideX, iy += strideY) {
    const ax = alpha * x[ix];
    const rowStart = offsetA + i * strideA1;
    let s = A[rowStart + i * strideA2] * x[ix];
    const jFrom = uplo === 'upper' ? i + 1 : 0;
    const jTo = uplo === 'upper' ? n : i;
    for (let j = jFrom, a = rowStart + jFrom * strideA2; j < jTo; j++, a += strideA2) {
      const aij = A[a];
      s += aij * x[offsetX + j * strideX];
      y[offsetY + j * strideY] += aij * ax;
    }
    y[iy] += alpha * s;
  }
  return y;
}
