/**
 * Full eigendecomposition of a dense real symmetric matrix: Householder reduction
 * to tridiagonal form (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 8.3.1;
 * LAPACK dsytd2's symmetric-storage rank-2 update), then implicit QL with Wilkinson
 * shift (EISPACK tql1/tql2, see tridiagonal.ts). Used for the spectrum of the
 * Riemannian Hessian at finite N (THEORY §2) and its large-N picture, a shifted
 * GOE bulk plus a BBP outlier (THEORY §4.1).
 *
 * Storage: an N×N matrix is a row-major `Float64Array` of length ≥ N², entry (i, j)
 * at `A[i·N + j]`. Only the upper triangle (j ≥ i) is used for the computation; the
 * lower one is only read to check symmetry.
 *
 * Cost: the reduction costs 4N³/3 flops and is done in one fused pass over the
 * stored triangle per column (the rank-2 update of step k and the symmetric
 * matrix–vector product of step k+1 share the sweep), so the matrix streams through
 * cache once per step; that sweep, the accumulation of Q and the replay of the QL
 * rotations run in WebAssembly SIMD where available (householderWasm.ts,
 * rotationWasm.ts), else in JavaScript. Eigenvalues alone add O(N²); eigenvectors
 * add 4N³/3 for accumulating the reflections and about 6–7N³ for the QL rotations (≈1.1 N² of
 * them for a GOE matrix, about two sweeps per eigenvalue).
 */

import { applyQ, NB } from './backTransform.ts';
import { tridiagonalDivideConquer } from './divideConquer.ts';
import { divideWorkspace, eigenWorkspace } from './eigenWasm.ts';
import type { GemmExports } from './gemmWasm.ts';
import { accumulateQt, tridiagonalize } from './householder.ts';
import { type HouseholderWorkspace, householderWorkspace } from './householderWasm.ts';
import { tridiagonalEigenvaluesPWK } from './pwk.ts';
import type { RotationWorkspace } from './rotationWasm.ts';
import type { SecularWasm } from './secular.ts';
import { NonConvergenceError, RotationLog, tridiagonalQL } from './tridiagonal.ts';

export { NonConvergenceError };

/**
 * Rotations buffered before they are applied to the eigenvector matrix (1 MB): small,
 * because first touches of fresh memory cost here about 3 ms per MB, more than the
 * extra passes over the matrix that more frequent flushes take.
 */
const ROTATION_BUFFER = 1 << 16;

/** Options of `symmetricEigenvalues` and `symmetricEigen`. */
export interface SymmetricEigenOptions {
  /**
   * Use A as workspace (saves one N×N copy on the JavaScript path; the WebAssembly
   * path always copies A into its own memory); A may be destroyed. Default false: A
   * is left untouched.
   */
  readonly overwrite?: boolean;
  /**
   * Largest allowed |A_ij − A_ji| relative to max|A|, checked before the
   * decomposition. Default 1e-8 (rounding-level asymmetry passes; a genuinely
   * non-symmetric input, or only one triangle filled, throws). `Infinity` skips the
   * check; the upper triangle is then what gets decomposed.
   */
  readonly symmetryTolerance?: number;
  /** QL sweeps allowed per eigenvalue (default 30, as in EISPACK). */
  readonly maxIterations?: number;
  /**
   * 'auto' (default): the tridiagonalisation's inner sweep runs in WebAssembly SIMD
   * where available; 'js': plain JavaScript throughout. Both give the same results
   * to rounding.
   */
  readonly kernel?: 'auto' | 'js';
  /**
   * Tridiagonal eigenvector solver of `symmetricEigen`: 'divide' (default) divide
   * and conquer with a blocked back-transformation (divideConquer.ts,
   * backTransform.ts; LAPACK dsyevd's method), or 'ql' implicit QL with the
   * rotations applied to Qᵀ (EISPACK tql2). Both are backward stable.
   */
  readonly solver?: 'divide' | 'ql';
}

/** Eigenvalues and eigenvectors of a symmetric matrix. */
export interface SymmetricEigenResult {
  /** The N eigenvalues, ascending. */
  readonly values: Float64Array;
  /**
   * Orthonormal eigenvectors as an N×N row-major matrix V with `A V = V diag(values)`:
   * column k, i.e. `vectors[i·N + k]` for i = 0..N−1, is the eigenvector of
   * `values[k]`. Sign convention: each eigenvector's entry of largest magnitude (the
   * first one on ties) is positive, so results are reproducible.
   */
  readonly vectors: Float64Array;
}

/**
 * Validate, copy (unless overwriting) and scale A by an exact power of two so that
 * max|A| is in [1, 2): keeps the QL shifts and rotations away from overflow and
 * underflow whatever the units. Returns the workspace and the scale to undo.
 */
function prepare(
  caller: string,
  n: number,
  A: Float64Array,
  options: SymmetricEigenOptions,
  kind: 'values' | 'ql' | 'divide' = 'values',
): {
  work: Float64Array;
  scale: number;
  wasm: HouseholderWorkspace | null;
  rot: RotationWorkspace | undefined;
  dc?: DivideBuffers;
} {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${caller}: n must be a non-negative integer, got ${n}`);
  if (A.length < n * n)
    throw new RangeError(`${caller}: A has ${A.length} entries, an ${n}×${n} matrix needs ${n * n}`);
  const tolerance = options.symmetryTolerance ?? 1e-8;
  const checkSymmetry = tolerance < Number.POSITIVE_INFINITY;
  // One pass for max|A|, finiteness and (when checked) max|A_ij − A_ji|.
  const { maxAbs, asymmetry } = checkSymmetry ? scanTiles(n, A) : { maxAbs: maxAbsOf(n, A), asymmetry: 0 };
  if (!(maxAbs <= Number.MAX_VALUE)) {
    const i = A.subarray(0, n * n).findIndex((x) => !Number.isFinite(x));
    throw new RangeError(`${caller}: A[${Math.floor(i / n)}, ${i % n}] = ${A[i]} is not finite`);
  }
  if (checkSymmetry && asymmetry > tolerance * maxAbs) {
    const [i, j] = symmetryViolation(n, A, tolerance * maxAbs) as [number, number];
    throw new RangeError(
      `${caller}: A is not symmetric: A[${i}, ${j}] = ${A[i * n + j]} but A[${j}, ${i}] = ${A[j * n + i]} ` +
        `(tolerance ${tolerance} × max|A|); symmetrise it, or pass symmetryTolerance: Infinity to use the upper triangle`,
    );
  }
  // WebAssembly workspaces (one memory for everything when vectors are wanted).
  let wasm: HouseholderWorkspace | null = null;
  let rot: RotationWorkspace | undefined;
  let dc: DivideBuffers | undefined;
  if (options.kernel !== 'js' && kind === 'divide') {
    const ws = divideWorkspace(n);
    if (ws !== null) {
      wasm = ws.house;
      dc = { z: ws.z, g: ws.g, u: ws.u, kernel: ws.gemm, secular: ws.secular };
    }
  } else if (options.kernel !== 'js' && kind === 'ql') {
    const both = eigenWorkspace(n, ROTATION_BUFFER);
    wasm = both?.house ?? null;
    rot = both?.rot;
  } else if (options.kernel !== 'js') wasm = householderWorkspace(n);
  const exponent = maxAbs > 0 ? Math.floor(Math.log2(maxAbs)) : 0;
  // 2^-exponent is exact; split in two factors so neither over- nor underflows.
  const half = Math.trunc(exponent / 2);
  const f1 = 2 ** -half;
  const f2 = 2 ** -(exponent - half);
  let work: Float64Array;
  if (wasm !== null) work = wasm.a;
  else work = options.overwrite ? A : new Float64Array(n * n);
  // Copy and scale in one pass (in place when overwriting).
  if (exponent !== 0) for (let i = 0; i < n * n; i++) work[i] = A[i] * f1 * f2;
  else if (work !== A) work.set(A.subarray(0, n * n));
  if (kind === 'divide' && dc === undefined)
    dc = {
      z: new Float64Array(n * n),
      g: new Float64Array(Math.max(n * n, 4 * NB * n)),
      u: new Float64Array(Math.max(n * n, 2 * NB * NB)),
    };
  return { work, scale: exponent, wasm, rot, dc };
}

/** The divide-and-conquer buffers (eigenWasm.ts `divideWorkspace`, or plain arrays). */
interface DivideBuffers {
  readonly z: Float64Array;
  readonly g: Float64Array;
  readonly u: Float64Array;
  readonly kernel?: GemmExports;
  readonly secular?: SecularWasm;
}

/** max|A_ij| (NaN or ∞ if an entry is not finite). */
function maxAbsOf(n: number, A: Float64Array): number {
  let maxAbs = 0;
  for (let i = 0; i < n * n; i++) {
    const a = Math.abs(A[i]);
    if (a > maxAbs) maxAbs = a;
    else if (Number.isNaN(a)) return a;
  }
  return maxAbs;
}

/**
 * max|A_ij| (NaN or ∞ if an entry is not finite) and max|A_ij − A_ji|, in 32×32 tiles
 * of pairs (i, j), (j, i) so that the column reads stay in cache.
 */
function scanTiles(n: number, A: Float64Array): { maxAbs: number; asymmetry: number } {
  const T = 32;
  let maxAbs = 0;
  let asymmetry = 0;
  let finite = true;
  for (let i0 = 0; i0 < n; i0 += T)
    for (let j0 = i0; j0 < n; j0 += T) {
      const i1 = Math.min(n, i0 + T);
      const j1 = Math.min(n, j0 + T);
      for (let i = i0; i < i1; i++)
        for (let j = Math.max(j0, i); j < j1; j++) {
          const a = A[i * n + j];
          const b = A[j * n + i];
          const m = Math.max(Math.abs(a), Math.abs(b));
          if (m > maxAbs) maxAbs = m;
          else if (!(m <= maxAbs)) finite = false; // NaN
          const d = Math.abs(a - b);
          if (d > asymmetry) asymmetry = d;
        }
    }
  return { maxAbs: finite ? maxAbs : Number.NaN, asymmetry };
}

/** The first (row-major order) (i, j), i < j, with |A_ij − A_ji| > bound, or null. */
function symmetryViolation(n: number, A: Float64Array, bound: number): [number, number] | null {
  const T = 32;
  let found: [number, number] | null = null;
  for (let i0 = 0; i0 < n; i0 += T)
    for (let j0 = i0; j0 < n; j0 += T)
      for (let i = i0; i < Math.min(n, i0 + T); i++)
        for (let j = Math.max(j0, i + 1); j < Math.min(n, j0 + T); j++)
          if (
            Math.abs(A[i * n + j] - A[j * n + i]) > bound &&
            (found === null || i * n + j < found[0] * n + found[1])
          )
            found = [i, j];
  return found;
}

/** Multiply by 2^exponent exactly (two factors, as in `prepare`). */
function unscale(values: Float64Array, exponent: number): void {
  if (exponent === 0) return;
  const half = Math.trunc(exponent / 2);
  const f1 = 2 ** half;
  const f2 = 2 ** (exponent - half);
  for (let i = 0; i < values.length; i++) values[i] = values[i] * f1 * f2;
}

/**
 * Eigenvalues of a real symmetric N×N matrix, ascending.
 *
 * Householder tridiagonalisation + implicit QL (values only, no eigenvector work:
 * about 3× cheaper than `symmetricEigen`). A is not modified unless
 * `options.overwrite` is set.
 *
 * @throws RangeError on bad sizes, non-finite entries or an asymmetric A.
 * @throws NonConvergenceError if QL exceeds its sweep budget (not seen in practice).
 * @example
 * symmetricEigenvalues(2, new Float64Array([2, 1, 1, 2])); // [1.0000000000000002, 3]
 */
export function symmetricEigenvalues(
  n: number,
  A: Float64Array,
  options: SymmetricEigenOptions = {},
): Float64Array {
  const { work, scale, wasm } = prepare('symmetricEigenvalues', n, A, options);
  const d = new Float64Array(n);
  if (n === 0) return d;
  const e = new Float64Array(n);
  tridiagonalize(n, work, d, e, new Float64Array(n), wasm);
  tridiagonalEigenvaluesPWK(n, d, e, options.maxIterations);
  unscale(d, scale);
  return d;
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of a real symmetric N×N
 * matrix. `vectors` is N×N row-major with the eigenvector of `values[k]` in column k
 * (`vectors[i·N + k]`), normalised to unit length with its largest-magnitude entry
 * positive. Within a degenerate eigenvalue the basis is orthonormal but otherwise
 * arbitrary.
 *
 * @throws RangeError on bad sizes, non-finite entries or an asymmetric A.
 * @throws NonConvergenceError if QL exceeds its sweep budget.
 * @example
 * const { values, vectors } = symmetricEigen(2, new Float64Array([2, 1, 1, 2]));
 * // values ≈ [1, 3]; vectors = [[0.7071…, 0.7071…], [−0.7071…, 0.7071…]]:
 * // column 0 = [1, −1]/√2, column 1 = [1, 1]/√2
 */
export function symmetricEigen(
  n: number,
  A: Float64Array,
  options: SymmetricEigenOptions = {},
): SymmetricEigenResult {
  const solver = options.solver ?? 'divide';
  const { work, scale, wasm, rot, dc } = prepare('symmetricEigen', n, A, options, solver);
  const d = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Float64Array(0) };
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  tridiagonalize(n, work, d, e, tau, wasm);
  if (dc !== undefined) {
    // T = Z Λ Zᵀ by divide and conquer (columns of Z), then Q Z in blocks.
    dc.z.fill(0);
    const order = tridiagonalDivideConquer(n, d, e, dc, options.maxIterations);
    applyQ(n, work, tau, dc.z, dc.g, dc.u, dc.kernel);
    const vectors = columnsWithSign(n, dc.z, order);
    unscale(d, scale);
    return { values: d, vectors };
  }
  // W starts as Qᵀ; QL's rotations turn it into Zᵀ Qᵀ = (Q Z)ᵀ, whose row l is the
  // eigenvector of d[l]. They are buffered and applied eight columns at a time
  // (RotationLog.applyTo), which is 1.6× faster than rotating whole rows at once.
  // With WebAssembly, W and the rotation buffer live in the kernels' memory.
  const w = accumulateQt(n, work, tau, rot);
  const log = new RotationLog(ROTATION_BUFFER, (full) => {
    full.applyTo(w, n, 0, n, rot);
    full.clear();
  });
  tridiagonalQL(n, d, e, undefined, 0, options.maxIterations, log);
  log.applyTo(w, n, 0, n, rot);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const row = order[k] * n;
    values[k] = d[order[k]];
    let big = 0;
    let sign = 1;
    for (let i = 0; i < n; i++) {
      const x = w[row + i];
      if (Math.abs(x) > big) {
        big = Math.abs(x);
        sign = x < 0 ? -1 : 1;
      }
    }
    for (let i = 0; i < n; i++) vectors[i * n + k] = sign * w[row + i];
  }
  unscale(values, scale);
  return { values, vectors };
}

/**
 * The columns `order[k]` of the row-major n×n z as columns k of a new matrix, each
 * with the sign that makes its largest-magnitude entry (the first on ties) positive.
 */
function columnsWithSign(n: number, z: Float64Array, order: Int32Array): Float64Array {
  const big = new Float64Array(n);
  const sign = new Float64Array(n).fill(1);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < n; k++) {
      const x = z[i * n + order[k]];
      if (Math.abs(x) > big[k]) {
        big[k] = Math.abs(x);
        sign[k] = x < 0 ? -1 : 1;
      }
    }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) out[i * n + k] = sign[k] * z[i * n + order[k]];
  return out;
}
