/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by divide and
 * conquer (Cuppen, Numer. Math. 36 (1981) 177–195; with deflation as in Dongarra &
 * Sorensen, SIAM J. Sci. Stat. Comput. 8 (1987) s139, and Gu & Eisenstat's
 * orthogonal eigenvectors, SIAM J. Matrix Anal. Appl. 16 (1995) 172–191; the layout
 * of LAPACK dstedc/dlaed0–dlaed3).
 *
 * T splits at m as diag(T₁, T₂) + |β| v vᵀ, β = T_{m−1,m}, v = e_{m−1} + sign(β) e_m
 * (T₁'s last and T₂'s first diagonal entries lowered by |β|). With T_k = Q_k D_k Q_kᵀ
 * solved recursively, T = Q (D + ρ z zᵀ) Qᵀ with Q = diag(Q₁, Q₂), ρ = 2|β| and
 * z = (last row of Q₁, sign(β)·first row of Q₂)/√2, a unit vector. Deflation drops
 * the components with ρ|z_j| ≤ tol and, for pairs of close poles, rotates one z entry
 * away (tol = 8ε·max(|d|, |z|) as dlaed2); the rest is the secular equation
 * (`secular.ts`) and one matrix product per half, Q₁·U₁ and Q₂·U₂ (`gemmWasm.ts`),
 * which is where the O(N³) work goes. Blocks of at most `LEAF` rows use implicit QL;
 * where QL does not converge (it can stall on a block of rounding-level entries below
 * large ones, see README) the block is split further instead, down to 1×1 if need be.
 */
import { type GemmExports, gemm } from './gemmWasm.ts';
import { type SecularWasm, secularRoots, secularVectors } from './secular.ts';
import { NonConvergenceError, RotationLog, tridiagonalQL } from './tridiagonal.ts';

const EPS = 2 ** -53;
/** Blocks up to this size are solved by QL (LAPACK's SMLSIZ is 25). */
const LEAF = 32;

/** Workspace of `tridiagonalDivideConquer` (all n×n; with `kernel`, in its memory). */
export interface DivideConquerWorkspace {
  /** Eigenvectors, row-major n×n: column k for `d[k]`. Zeroed by the caller. */
  readonly z: Float64Array;
  /** Scratch, n² each. */
  readonly g: Float64Array;
  readonly u: Float64Array;
  readonly kernel?: GemmExports;
  /** The secular equation's sums in WebAssembly (with g in the same memory). */
  readonly secular?: SecularWasm;
}

/**
 * Overwrites `d` with the eigenvalues of the tridiagonal matrix (diagonal `d`,
 * off-diagonal `e[i]` coupling i and i+1; `e` is destroyed), ascending, and fills
 * `ws.z` (which must be zero on entry) with the orthonormal eigenvectors as columns.
 * `order` receives the column of `ws.z` holding the k-th smallest eigenvalue's
 * vector; d is sorted. `leafSize`: blocks solved by QL (tests use it to reach the
 * fallback).
 */
export function tridiagonalDivideConquer(
  n: number,
  d: Float64Array,
  e: Float64Array,
  ws: DivideConquerWorkspace,
  maxIterations = 30,
  leafSize = LEAF,
): Int32Array {
  solve(0, n, n, d, e, ws, maxIterations, leafSize);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x] - d[y]);
  const sorted = Float64Array.from(order, (k) => d[k]);
  d.set(sorted);
  return order;
}

function solve(
  s: number,
  n: number,
  N: number,
  d: Float64Array,
  e: Float64Array,
  ws: DivideConquerWorkspace,
  maxIterations: number,
  leafSize: number,
): void {
  if (n <= leafSize) {
    try {
      leaf(s, n, N, d, e, ws.z, maxIterations);
      return;
    } catch (err) {
      // QL stalled (d, e and z are untouched then): split this block instead.
      if (!(err instanceof NonConvergenceError) || n === 1) throw err;
    }
  }
  const n1 = n >> 1;
  const beta = e[s + n1 - 1];
  d[s + n1 - 1] -= Math.abs(beta);
  d[s + n1] -= Math.abs(beta);
  solve(s, n1, N, d, e, ws, maxIterations, leafSize);
  solve(s + n1, n - n1, N, d, e, ws, maxIterations, leafSize);
  merge(s, n1, n - n1, N, beta, d, ws);
}

/** QL on a small block: eigenvectors into the diagonal block of z. */
function leaf(
  s: number,
  n: number,
  N: number,
  d: Float64Array,
  e: Float64Array,
  z: Float64Array,
  maxIterations: number,
): void {
  const dd = d.slice(s, s + n);
  const ee = new Float64Array(n);
  ee.set(e.subarray(s, s + n - 1));
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w[i * n + i] = 1;
  const log = new RotationLog();
  tridiagonalQL(n, dd, ee, undefined, 0, maxIterations, log);
  log.applyTo(w, n, 0, n);
  // Row l of w is the eigenvector of dd[l]: it becomes column l of the block.
  for (let l = 0; l < n; l++) {
    d[s + l] = dd[l];
    for (let i = 0; i < n; i++) z[(s + i) * N + s + l] = w[l * n + i];
  }
}

function merge(
  s: number,
  n1: number,
  n2: number,
  N: number,
  beta: number,
  d: Float64Array,
  ws: DivideConquerWorkspace,
): void {
  const n = n1 + n2;
  const { z: Z, g: G, u: U, kernel } = ws;
  const base = s * N + s; // Z block (0, 0)
  const rho = 2 * Math.abs(beta);
  const sign = beta < 0 ? -1 : 1;
  const z = new Float64Array(n);
  const dd = d.slice(s, s + n);
  for (let c = 0; c < n1; c++) z[c] = Z[base + (n1 - 1) * N + c] * Math.SQRT1_2;
  for (let c = n1; c < n; c++) z[c] = sign * Z[base + n1 * N + c] * Math.SQRT1_2;
  // Column supports: 1 rows < n1 only, 3 rows ≥ n1 only, 2 both (after a rotation).
  const type = new Uint8Array(n);
  type.fill(1, 0, n1);
  type.fill(3, n1, n);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => dd[x] - dd[y]);
  let zMax = 0;
  let dMax = 0;
  for (let c = 0; c < n; c++) {
    zMax = Math.max(zMax, Math.abs(z[c]));
    dMax = Math.max(dMax, Math.abs(dd[c]));
  }
  const tol = 8 * EPS * Math.max(dMax, zMax);
  // Deflation in ascending order of the poles (dlaed2).
  const kept: number[] = [];
  const deflated: number[] = [];
  let prev = -1;
  for (const c of order) {
    if (rho * Math.abs(z[c]) <= tol) {
      deflated.push(c);
      continue;
    }
    if (prev >= 0) {
      const tau = Math.hypot(z[prev], z[c]);
      const cs = z[c] / tau;
      const sn = -z[prev] / tau;
      if (Math.abs((dd[c] - dd[prev]) * cs * sn) <= tol) {
        // Rotate columns prev and c so that z[prev] = 0: prev deflates.
        for (let i = 0; i < n; i++) {
          const p = base + i * N;
          const x = Z[p + prev];
          const y = Z[p + c];
          Z[p + prev] = cs * x + sn * y;
          Z[p + c] = cs * y - sn * x;
        }
        const t = dd[prev] * cs * cs + dd[c] * sn * sn;
        dd[c] = dd[prev] * sn * sn + dd[c] * cs * cs;
        dd[prev] = t;
        z[c] = tau;
        z[prev] = 0;
        if (type[prev] !== type[c]) type[prev] = type[c] = 2;
        deflated.push(prev);
        prev = c;
        continue;
      }
      kept.push(prev);
    }
    prev = c;
  }
  if (prev >= 0) kept.push(prev);
  const K = kept.length;
  if (K > 0 && rho > 0) {
    // The poles after rotations stay ascending to within tol; sort to be safe.
    kept.sort((x, y) => dd[x] - dd[y]);
    const dl = Float64Array.from(kept, (c) => dd[c]);
    const zl = Float64Array.from(kept, (c) => z[c]);
    const lambda = new Float64Array(K);
    secularRoots(K, dl, zl, rho, lambda, G, ws.secular); // differences in G (K×K)
    // Basis order for the products: top-only, both, bottom-only columns.
    const g = new Int32Array(K);
    let pos = 0;
    let k1 = 0;
    let k3 = 0;
    for (const t of [1, 2, 3])
      for (let j = 0; j < K; j++)
        if (type[kept[j]] === t) {
          g[j] = pos++;
          if (t === 1) k1++;
          if (t === 3) k3++;
        }
    secularVectors(K, dl, zl, G, g, U, new Float64Array(K));
    // G ← [kept columns in basis order | deflated columns], n rows, stride n.
    const src = new Int32Array(n);
    for (let j = 0; j < K; j++) src[g[j]] = kept[j];
    for (let q = 0; q < deflated.length; q++) src[K + q] = deflated[q];
    const deflatedValues = Float64Array.from(deflated, (c) => dd[c]);
    for (let i = 0; i < n; i++) {
      const from = base + i * N;
      const to = i * n;
      for (let q = 0; q < n; q++) G[to + q] = Z[from + src[q]];
    }
    for (let i = 0; i < n; i++) Z.fill(0, base + i * N, base + i * N + K);
    // Top rows: G[0..n1, 0..k1+kb] · U[0..k1+kb, :]; bottom rows: G[n1.., k1..K] · U[k1.., :].
    gemm(n1, K, K - k3, G, 0, n, U, 0, K, Z, base, N, false, kernel);
    gemm(n2, K, K - k1, G, n1 * n + k1, n, U, k1 * K, K, Z, base + n1 * N, N, false, kernel);
    for (let i = 0; i < n; i++) for (let q = K; q < n; q++) Z[base + i * N + q] = G[i * n + q];
    d.set(lambda, s);
    d.set(deflatedValues, s + K);
  } else d.set(dd, s); // everything deflated: Z is already the eigenvector matrix
}
