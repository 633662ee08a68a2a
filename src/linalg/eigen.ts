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
 * cache once per step. Eigenvalues alone add O(N²); eigenvectors add 4N³/3 for
 * accumulating the reflections and about 6–7N³ for the QL rotations (≈1.1 N² of
 * them for a GOE matrix, about two sweeps per eigenvalue).
 */
import { NonConvergenceError, RotationLog, tridiagonalQL } from './tridiagonal.ts';

export { NonConvergenceError };

/** Options of `symmetricEigenvalues` and `symmetricEigen`. */
export interface SymmetricEigenOptions {
  /**
   * Use A as workspace (saves one N×N copy); A is destroyed. Default false: A is
   * left untouched.
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
): { work: Float64Array; scale: number } {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${caller}: n must be a non-negative integer, got ${n}`);
  if (A.length < n * n)
    throw new RangeError(`${caller}: A has ${A.length} entries, an ${n}×${n} matrix needs ${n * n}`);
  let maxAbs = 0;
  for (let i = 0; i < n * n; i++) {
    const a = Math.abs(A[i]);
    if (!(a <= Number.MAX_VALUE))
      throw new RangeError(`${caller}: A[${Math.floor(i / n)}, ${i % n}] = ${A[i]} is not finite`);
    if (a > maxAbs) maxAbs = a;
  }
  const tolerance = options.symmetryTolerance ?? 1e-8;
  if (tolerance < Number.POSITIVE_INFINITY) {
    const bound = tolerance * maxAbs;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        if (Math.abs(A[i * n + j] - A[j * n + i]) > bound)
          throw new RangeError(
            `${caller}: A is not symmetric: A[${i}, ${j}] = ${A[i * n + j]} but A[${j}, ${i}] = ${A[j * n + i]} ` +
              `(tolerance ${tolerance} × max|A|); symmetrise it, or pass symmetryTolerance: Infinity to use the upper triangle`,
          );
  }
  const work = options.overwrite ? A : Float64Array.from(A.subarray(0, n * n));
  const exponent = maxAbs > 0 ? Math.floor(Math.log2(maxAbs)) : 0;
  // 2^-exponent is exact; split in two factors so neither over- nor underflows.
  const half = Math.trunc(exponent / 2);
  const f1 = 2 ** -half;
  const f2 = 2 ** -(exponent - half);
  if (exponent !== 0) for (let i = 0; i < n * n; i++) work[i] = work[i] * f1 * f2;
  return { work, scale: exponent };
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
 * Householder tridiagonalisation of the symmetric matrix whose upper triangle is in
 * `a` (row-major n×n), in place: on return `d` is the diagonal and `e[k]` the
 * off-diagonal (k, k+1) of T = Qᵀ A Q with Q = H_0 H_1 ⋯ H_{n−3},
 * H_k = I − τ_k v_k v_kᵀ. v_k is zero before index k+1, v_k[k+1] = 1, and its
 * entries k+2..n−1 are stored in row k of `a` (a[k, k+2..]), τ_k in `tau[k]`.
 *
 * Step k (Golub & Van Loan Alg. 8.3.1): the reflector maps row k right of the
 * diagonal (= column k below it) onto a multiple of e_{k+1}; the trailing block B
 * becomes H B H = B − v wᵀ − w vᵀ with p = τ B v, w = p − (τ/2)(pᵀv) v. The update
 * of step k is applied to each row of the trailing block during the same sweep that
 * accumulates B v for step k+1.
 */
function tridiagonalize(
  n: number,
  a: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
): void {
  // Pending rank-2 update (v, w) of the previous step; zero before the first one.
  let vPrev = new Float64Array(n);
  let wPrev = new Float64Array(n);
  let v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 1; k++) {
    const rowK = k * n;
    // Bring row k up to date with the previous step's update (entries j ≥ k).
    {
      const vk = vPrev[k];
      const wk = wPrev[k];
      if (vk !== 0 || wk !== 0) for (let j = k; j < n; j++) a[rowK + j] -= vk * wPrev[j] + wk * vPrev[j];
    }
    d[k] = a[rowK + k];
    // Householder vector of x = a[k, k+1..n-1] (LAPACK dlarfg convention).
    const alpha = a[rowK + k + 1];
    let tail = 0;
    for (let j = k + 2; j < n; j++) tail += a[rowK + j] * a[rowK + j];
    // max|A| < 2 after scaling, so the plain sum of squares is safe here.
    let t = 0;
    v.fill(0, 0, k + 1);
    v[k + 1] = 1;
    if (tail === 0) {
      e[k] = alpha;
      for (let j = k + 2; j < n; j++) v[j] = 0;
    } else {
      const norm = Math.sqrt(alpha * alpha + tail);
      const beta = alpha >= 0 ? -norm : norm;
      t = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      for (let j = k + 2; j < n; j++) {
        const vj = a[rowK + j] * inv;
        a[rowK + j] = vj;
        v[j] = vj;
      }
      e[k] = beta;
    }
    tau[k] = t;
    // Fused sweep over rows i > k: apply the pending update, accumulate p = B v.
    // Rows go in pairs (i, i+1) so that each load of v, vPrev, wPrev and p serves
    // both rows.
    p.fill(0);
    let i = k + 1;
    for (; i + 1 < n; i += 2) {
      const r0 = i * n;
      const r1 = r0 + n;
      const vp0 = vPrev[i];
      const wp0 = wPrev[i];
      const vp1 = vPrev[i + 1];
      const wp1 = wPrev[i + 1];
      const v0 = v[i];
      const v1 = v[i + 1];
      // The 2×2 diagonal block: a_ii, a_{i,i+1}, a_{i+1,i+1}.
      const a00 = a[r0 + i] - 2 * vp0 * wp0;
      const a01 = a[r0 + i + 1] - (vp0 * wp1 + wp0 * vp1);
      const a11 = a[r1 + i + 1] - 2 * vp1 * wp1;
      a[r0 + i] = a00;
      a[r0 + i + 1] = a01;
      a[r1 + i + 1] = a11;
      let s0 = a00 * v0 + a01 * v1;
      let s1 = a01 * v0 + a11 * v1;
      for (let j = i + 2; j < n; j++) {
        const vpj = vPrev[j];
        const wpj = wPrev[j];
        const vj = v[j];
        const b0 = a[r0 + j] - (vp0 * wpj + wp0 * vpj);
        const b1 = a[r1 + j] - (vp1 * wpj + wp1 * vpj);
        a[r0 + j] = b0;
        a[r1 + j] = b1;
        s0 += b0 * vj;
        s1 += b1 * vj;
        p[j] += b0 * v0 + b1 * v1;
      }
      p[i] += s0;
      p[i + 1] += s1;
    }
    if (i < n) {
      // Last row alone (only its diagonal entry).
      const r0 = i * n;
      const aii = a[r0 + i] - 2 * vPrev[i] * wPrev[i];
      a[r0 + i] = aii;
      p[i] += aii * v[i];
    }
    // w = τ p − (τ²/2)(pᵀv) v, and it becomes the pending update.
    let pv = 0;
    for (let j = k + 1; j < n; j++) pv += p[j] * v[j];
    const c = 0.5 * t * t * pv;
    const w = vPrev; // reuse the buffer
    w.fill(0, 0, k + 1);
    for (let j = k + 1; j < n; j++) w[j] = t * p[j] - c * v[j];
    vPrev = v;
    v = wPrev;
    wPrev = w;
  }
  // The sweep of the last step (k = n−2, a trivial reflector) updated a[n−1, n−1].
  d[n - 1] = a[n * n - 1];
  e[n - 1] = 0;
}

/** Rows per block: 32 rows of an n×n matrix stay in L2 cache. */
const BLOCK = 32;
/** Rotations buffered before they are applied to the eigenvector matrix (16 MB). */
const ROTATION_BUFFER = 1 << 20;

/**
 * Qᵀ = H_{n−3} ⋯ H_0 by backward accumulation M ← M H_k, k = n−3 … 0 (4N³/3 flops).
 * Rows of M transform independently (m_i ← m_i − τ (m_i·v) vᵀ), and row i is still
 * e_iᵀ, untouched, for k ≥ i. A block of rows takes all its reflectors while in
 * cache, four rows at a time so each v_j load serves four rows.
 */
function accumulateQt(n: number, a: Float64Array, tau: Float64Array): Float64Array {
  const w = new Float64Array(n * n);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let i = r0; i < r1; i++) w[i * n + i] = 1;
    for (let k = Math.min(n - 3, r1 - 2); k >= 0; k--) {
      const tk = tau[k];
      if (tk === 0) continue;
      // v[k+1] = 1, v[j] = a[k, j] for j ≥ k+2.
      const rowK = k * n;
      let i = Math.max(r0, k + 1);
      for (; i + 4 <= r1; i += 4) {
        const p0 = i * n;
        const p1 = p0 + n;
        const p2 = p1 + n;
        const p3 = p2 + n;
        let t0 = w[p0 + k + 1];
        let t1 = w[p1 + k + 1];
        let t2 = w[p2 + k + 1];
        let t3 = w[p3 + k + 1];
        for (let j = k + 2; j < n; j++) {
          const vj = a[rowK + j];
          t0 += w[p0 + j] * vj;
          t1 += w[p1 + j] * vj;
          t2 += w[p2 + j] * vj;
          t3 += w[p3 + j] * vj;
        }
        t0 *= tk;
        t1 *= tk;
        t2 *= tk;
        t3 *= tk;
        w[p0 + k + 1] -= t0;
        w[p1 + k + 1] -= t1;
        w[p2 + k + 1] -= t2;
        w[p3 + k + 1] -= t3;
        for (let j = k + 2; j < n; j++) {
          const vj = a[rowK + j];
          w[p0 + j] -= t0 * vj;
          w[p1 + j] -= t1 * vj;
          w[p2 + j] -= t2 * vj;
          w[p3 + j] -= t3 * vj;
        }
      }
      for (; i < r1; i++) {
        const row = i * n;
        let t = w[row + k + 1];
        for (let j = k + 2; j < n; j++) t += w[row + j] * a[rowK + j];
        t *= tk;
        w[row + k + 1] -= t;
        for (let j = k + 2; j < n; j++) w[row + j] -= t * a[rowK + j];
      }
    }
  }
  return w;
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
  const { work, scale } = prepare('symmetricEigenvalues', n, A, options);
  const d = new Float64Array(n);
  if (n === 0) return d;
  const e = new Float64Array(n);
  tridiagonalize(n, work, d, e, new Float64Array(n));
  tridiagonalQL(n, d, e, undefined, 0, options.maxIterations);
  d.sort();
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
  const { work, scale } = prepare('symmetricEigen', n, A, options);
  const d = new Float64Array(n);
  if (n === 0) return { values: d, vectors: new Float64Array(0) };
  const e = new Float64Array(n);
  const tau = new Float64Array(n);
  tridiagonalize(n, work, d, e, tau);
  // W starts as Qᵀ; QL's rotations turn it into Zᵀ Qᵀ = (Q Z)ᵀ, whose row l is the
  // eigenvector of d[l]. They are buffered and applied eight columns at a time
  // (RotationLog.applyTo), which is 1.6× faster than rotating whole rows at once.
  const w = accumulateQt(n, work, tau);
  const log = new RotationLog(ROTATION_BUFFER, (full) => {
    full.applyTo(w, n, 0, n);
    full.clear();
  });
  tridiagonalQL(n, d, e, undefined, 0, options.maxIterations, log);
  log.applyTo(w, n, 0, n);
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
