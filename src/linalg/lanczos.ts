/**
 * Extreme eigenpairs of a symmetric linear operator given only as a matrix–vector
 * product: the Lanczos process with full reorthogonalisation (Golub & Van Loan,
 * Matrix Computations, 4th ed., §10.1 and Alg. 10.3.1 with complete
 * reorthogonalisation; Parlett, The Symmetric Eigenvalue Problem, ch. 13), each new
 * vector orthogonalised twice against the whole basis by classical Gram–Schmidt
 * ("twice is enough", Giraud et al. 2005). No restarts: after k steps the Ritz
 * values are the eigenvalues of the k×k tridiagonal T_k, and the residual of a Ritz
 * pair (θ, u = Q y) is exactly β_k |y_k| in exact arithmetic.
 *
 * The intended use is the lowest eigenvalue of the Riemannian Hessian
 * `P (∇²H + μ I) P` at a point x of the sphere (THEORY §2), which should be compared
 * with the large-N prediction of THEORY §4.1 (bulk edge μ − 2√f''(1), or the BBP
 * outlier). That operator has a spurious eigenvalue 0 on the normal direction x;
 * pass `deflate: x` and the Krylov space is kept orthogonal to x, so that only the
 * N−1 dimensional tangent space is explored.
 */
import { Rng } from '../random/index.ts';
import { axpy, dot, nrm2, scal } from './blas.ts';
import { tridiagonalQL } from './tridiagonal.ts';

/** Matrix-free symmetric operator: writes A·v into `out` (length N); must not modify `v`. */
export type MatVec = (v: Float64Array, out: Float64Array) => void;

/** Options of `lanczos`. */
export interface LanczosOptions {
  /** Which end(s) of the spectrum to converge: default `'lowest'`. */
  readonly which?: 'lowest' | 'highest' | 'both';
  /**
   * Number of eigenpairs wanted at each requested end (default 1). Lanczos from one
   * start vector sees each distinct eigenvalue once: a multiple eigenvalue is
   * reported once, and the next pair is the next distinct eigenvalue.
   */
  readonly count?: number;
  /**
   * Maximum number of Lanczos steps (= matrix–vector products), default
   * min(300, dimension of the search space). The basis needs steps × N doubles.
   */
  readonly maxSteps?: number;
  /**
   * Stop when every wanted Ritz pair has residual ‖A u − θ u‖ ≤ tolerance · ‖T_k‖
   * (‖T_k‖ = largest |Ritz value|, a lower bound of ‖A‖). Each such θ is then
   * within that residual of an eigenvalue of A. Default 1e-10; 0 runs all
   * `maxSteps` steps.
   */
  readonly tolerance?: number;
  /** Start vector (any nonzero vector; it is projected and normalised, not modified). */
  readonly start?: Float64Array;
  /** Source of the random start vector when `start` is absent; default `Rng.fromSeed(0)`. */
  readonly rng?: Rng;
  /**
   * Vector(s) the Krylov space is kept orthogonal to (need not be normalised or
   * mutually orthogonal). Example: `deflate: x` for the Riemannian Hessian at x on
   * the sphere, whose operator has the spurious eigenvalue 0 along x. The results
   * are then the extreme eigenpairs of P A P on the orthogonal complement of these
   * vectors (P its orthogonal projector; each product A v is projected again, so A
   * need not preserve the complement).
   */
  readonly deflate?: Float64Array | readonly Float64Array[];
  /** Compute Ritz vectors (default true). */
  readonly vectors?: boolean;
}

/** One converged (or best available) Ritz pair. */
export interface RitzPair {
  /** Ritz value θ, the eigenvalue estimate. */
  readonly value: number;
  /** Unit Ritz vector u (length N), or null when `vectors: false`. */
  readonly vector: Float64Array | null;
  /** Residual bound ‖A u − θ u‖ = β_k |y_k| from the recurrence. */
  readonly residual: number;
}

/** Result of `lanczos`. */
export interface LanczosResult {
  /** The `count` lowest Ritz pairs, ascending (empty if `which = 'highest'`). */
  readonly lowest: RitzPair[];
  /** The `count` highest Ritz pairs, descending (empty if `which = 'lowest'`). */
  readonly highest: RitzPair[];
  /** Lanczos steps taken (size of the final tridiagonal matrix). */
  readonly steps: number;
  /** Calls of `matvec`. */
  readonly matvecs: number;
  /**
   * True when every wanted pair met the tolerance, or the Krylov space became
   * invariant (then the Ritz values are exact eigenvalues of A; if the start vector
   * had no component on the extreme eigenvector, that eigenvalue is not found).
   */
  readonly converged: boolean;
}

/** Orthonormal basis of the deflation vectors (Gram–Schmidt twice; dependent ones dropped). */
function orthonormalise(n: number, vectors: readonly Float64Array[]): Float64Array[] {
  const basis: Float64Array[] = [];
  for (const raw of vectors) {
    if (raw.length !== n)
      throw new RangeError(`lanczos: deflation vector has length ${raw.length}, expected ${n}`);
    const q = Float64Array.from(raw);
    const norm0 = nrm2(n, q, 1, 0);
    for (let pass = 0; pass < 2; pass++)
      for (const b of basis) axpy(n, -dot(n, b, 1, 0, q, 1, 0), b, 1, 0, q, 1, 0);
    const norm = nrm2(n, q, 1, 0);
    if (norm > 1e-10 * norm0) basis.push(scal(n, 1 / norm, q, 1, 0));
  }
  return basis;
}

/** w ← w − Σ_b (b·w) b over the given orthonormal vectors, twice. */
function orthogonalise(n: number, w: Float64Array, against: readonly Float64Array[], count: number): void {
  for (let pass = 0; pass < 2; pass++)
    for (let i = 0; i < count; i++) {
      const b = against[i];
      axpy(n, -dot(n, b, 1, 0, w, 1, 0), b, 1, 0, w, 1, 0);
    }
}

/**
 * Extreme eigenvalues and Ritz vectors of a symmetric operator by Lanczos with full
 * reorthogonalisation. Cost: one `matvec` per step plus O(k·N) for
 * reorthogonalisation at step k and O(k²) for the convergence test.
 *
 * @example
 * // Lowest eigenvalue of diag(0, 1, …, 99): 0.
 * const n = 100;
 * const res = lanczos(n, (v, out) => { for (let i = 0; i < n; i++) out[i] = i * v[i]; });
 * res.lowest[0].value; // ≈ 0 (to about 1e-10 · 99)
 */
export function lanczos(n: number, matvec: MatVec, options: LanczosOptions = {}): LanczosResult {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`lanczos: n must be a positive integer, got ${n}`);
  const which = options.which ?? 'lowest';
  if (which !== 'lowest' && which !== 'highest' && which !== 'both')
    throw new RangeError(`lanczos: which must be 'lowest', 'highest' or 'both', got '${which}'`);
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`lanczos: count must be a positive integer`);
  const tolerance = options.tolerance ?? 1e-10;
  if (!(tolerance >= 0)) throw new RangeError(`lanczos: tolerance must be ≥ 0, got ${tolerance}`);
  const deflateList =
    options.deflate === undefined
      ? []
      : options.deflate instanceof Float64Array
        ? [options.deflate]
        : options.deflate;
  const deflation = orthonormalise(n, deflateList);
  const dimension = n - deflation.length;
  if (dimension < 1) throw new RangeError('lanczos: the deflation vectors span the whole space');
  const maxSteps = Math.min(options.maxSteps ?? 300, dimension);
  if (!Number.isInteger(maxSteps) || maxSteps < 1)
    throw new RangeError(`lanczos: maxSteps must be a positive integer`);
  const wantVectors = options.vectors ?? true;

  // Start vector: given or Gaussian, projected off the deflation space, normalised.
  const q0 = new Float64Array(n);
  if (options.start !== undefined) {
    if (options.start.length !== n)
      throw new RangeError(`lanczos: start has length ${options.start.length}, expected ${n}`);
    q0.set(options.start);
  } else (options.rng ?? Rng.fromSeed(0)).fillNormal(q0);
  orthogonalise(n, q0, deflation, deflation.length);
  const norm0 = nrm2(n, q0, 1, 0);
  if (!(norm0 > 0 && Number.isFinite(norm0)))
    throw new RangeError(
      'lanczos: start vector is zero (or non-finite) after removing the deflation directions',
    );
  scal(n, 1 / norm0, q0, 1, 0);

  const basis: Float64Array[] = [q0];
  const alpha: number[] = [];
  const beta: number[] = [];
  const input = new Float64Array(n);
  let matvecs = 0;
  let converged = false;
  // Steps before `count` Ritz values exist at each wanted end.
  const needed = which === 'both' ? 2 * count : count;
  // Scratch for the tridiagonal eigenproblem.
  const d = new Float64Array(maxSteps);
  const e = new Float64Array(maxSteps);
  const last = new Float64Array(maxSteps);

  for (let k = 0; k < maxSteps; k++) {
    const q = basis[k];
    input.set(q);
    const w = new Float64Array(n);
    matvec(input, w);
    matvecs++;
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(w[i]))
        throw new RangeError(`lanczos: matvec returned a non-finite entry at index ${i}`);
    const a = dot(n, q, 1, 0, w, 1, 0);
    alpha.push(a);
    // Three-term recurrence, then full reorthogonalisation against the basis and
    // the deflation space (the operator may leak into it through rounding).
    axpy(n, -a, q, 1, 0, w, 1, 0);
    if (k > 0) axpy(n, -beta[k - 1], basis[k - 1], 1, 0, w, 1, 0);
    orthogonalise(n, w, deflation, deflation.length);
    orthogonalise(n, w, basis, k + 1);
    const b = nrm2(n, w, 1, 0);
    beta.push(b);
    const steps = k + 1;

    // Ritz values and last eigenvector components of T_k.
    const ritz = ritzData(steps, alpha, beta, d, e, last);
    const scale = Math.max(Math.abs(ritz.values[0]), Math.abs(ritz.values[steps - 1]), Number.MIN_VALUE);
    // An (almost) zero β_k: the Krylov space is invariant and T_k's eigenvalues are
    // eigenvalues of A.
    if (b <= 1e-14 * scale || steps === dimension) {
      converged = true;
      break;
    }
    const wanted = wantedIndices(steps, which, count);
    converged = steps >= needed && wanted.every((j) => b * Math.abs(ritz.last[j]) <= tolerance * scale);
    if (converged && tolerance > 0) break;
    if (steps < maxSteps) basis.push(scal(n, 1 / b, w, 1, 0));
  }
  return finish(n, basis, alpha, beta, which, count, wantVectors, matvecs, converged);
}

/** Eigenvalues of T_k, ascending, and the last components of the matching eigenvectors. */
function ritzData(
  k: number,
  alpha: readonly number[],
  beta: readonly number[],
  d: Float64Array,
  e: Float64Array,
  last: Float64Array,
): { values: Float64Array; last: Float64Array } {
  for (let i = 0; i < k; i++) {
    d[i] = alpha[i];
    e[i] = i < k - 1 ? beta[i] : 0;
    last[i] = i === k - 1 ? 1 : 0;
  }
  tridiagonalQL(k, d, e, last, 1);
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const values = Float64Array.from(order, (j) => d[j]);
  return { values, last: Float64Array.from(order, (j) => last[j]) };
}

/** Positions (in ascending order of Ritz values) of the wanted Ritz values. */
function wantedIndices(k: number, which: 'lowest' | 'highest' | 'both', count: number): number[] {
  const c = Math.min(count, k);
  const low = which === 'highest' ? [] : Array.from({ length: c }, (_, i) => i);
  const high = which === 'lowest' ? [] : Array.from({ length: c }, (_, i) => k - 1 - i);
  return [...new Set([...low, ...high])];
}

function finish(
  n: number,
  basis: readonly Float64Array[],
  alpha: readonly number[],
  beta: readonly number[],
  which: 'lowest' | 'highest' | 'both',
  count: number,
  wantVectors: boolean,
  matvecs: number,
  converged: boolean,
): LanczosResult {
  const k = alpha.length;
  // Full eigendecomposition of T_k: rows of zt are its eigenvectors.
  const d = Float64Array.from(alpha);
  const e = new Float64Array(k);
  for (let i = 0; i < k - 1; i++) e[i] = beta[i];
  const zt = new Float64Array(k * k);
  for (let i = 0; i < k; i++) zt[i * k + i] = 1;
  tridiagonalQL(k, d, e, zt, k);
  const order = Array.from({ length: k }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const bk = beta[k - 1];
  const pair = (j: number): RitzPair => {
    const row = j * k;
    let vector: Float64Array | null = null;
    if (wantVectors) {
      const u = new Float64Array(n);
      for (let i = 0; i < k; i++) axpy(n, zt[row + i], basis[i], 1, 0, u, 1, 0);
      // Renormalise (the basis is orthonormal to rounding) and fix the sign so the
      // largest-magnitude entry is positive, as in symmetricEigen.
      let big = 0;
      let sign = 1;
      for (let i = 0; i < n; i++)
        if (Math.abs(u[i]) > big) {
          big = Math.abs(u[i]);
          sign = u[i] < 0 ? -1 : 1;
        }
      scal(n, sign / nrm2(n, u, 1, 0), u, 1, 0);
      vector = u;
    }
    return { value: d[j], vector, residual: Math.abs(bk * zt[row + k - 1]) };
  };
  const c = Math.min(count, k);
  const lowest = which === 'highest' ? [] : order.slice(0, c).map(pair);
  const highest =
    which === 'lowest'
      ? []
      : order
          .slice(k - c)
          .reverse()
          .map(pair);
  return { lowest, highest, steps: k, matvecs, converged };
}
