/**
 * The right-hand side of the published fixed-grid discretisation of THEORY §3 (the CHSCK
 * equations on t_i = i h), on which both fixed-grid schemes are built.
 *
 * Equal-time response convention: inside every history sum R(t_i, t_i) = 0, and after each step
 * R(t_{i+1}, t_i) = 1 (the unit jump of R placed one step after the diagonal). With it the discrete
 * stationary point is the continuum one: in a time-translation-invariant state, summing the R
 * recursion over the lag telescopes to −1 = −μχ + f''(1)χ² with χ = h Σ R, exactly the relation
 * of THEORY §3, so the gradient-flow end state m*, μ*, e* is reproduced at any h. Trapezoid weights
 * (½ at both ends) on every sum, including column 0 (the published program's 3/2 weight there is
 * not reproduced).
 *
 * Storage: C and R as packed lower triangles, row i (the later time) holding columns 0..i from
 * offset i(i+1)/2. All history sums of one evaluation are made in ONE pass over rows r = 0..i of
 * both triangles: row r is dotted with the kernels of row i (giving column j = r's sums over
 * l ≤ r) and at the same time added, scaled by row i's kernel at r, into the accumulators of the
 * earlier columns (their sums over l > j). The stored history is read once, contiguously.
 */
import type { Covariance } from '../model/index.ts';

/** Offset of row i in a packed lower triangle. */
export const rowStart = (i: number): number => (i * (i + 1)) / 2;

/** Scratch and output of {@link evaluateRow}, sized for n + 1 columns. */
export interface RowRhs {
  mu: number;
  energy: number;
  /** dm/dt at t_i. */
  dm: number;
  /** ∂t C(t_i, t_j) and ∂t R(t_i, t_j), j ≤ i (R's column i is never used: R(t_{i+1}, t_i) = 1). */
  readonly dC: Float64Array;
  readonly dR: Float64Array;
  /** Kernels along row i: h w_l R_il f''(C_il) and f'(C_il). */
  readonly a: Float64Array;
  readonly fp: Float64Array;
  /** Accumulators of the sums over l > j for column j. */
  readonly A: Float64Array;
  readonly B: Float64Array;
}

export function allocateRowRhs(columns: number): RowRhs {
  const v = () => new Float64Array(columns);
  return { mu: 0, energy: 0, dm: 0, dC: v(), dR: v(), a: v(), fp: v(), A: v(), B: v() };
}

/**
 * μ_i, e_i and the time derivatives of m, C(t_i, ·), R(t_i, ·) at t_i (THEORY §3), from rows
 * 0..i of C and R (published convention: R_ll = 0) and m_0..m_i, with trapezoid history sums.
 */
export function evaluateRow(
  i: number,
  h: number,
  f: Covariance,
  T: number,
  C: Float64Array,
  R: Float64Array,
  m: Float64Array,
  out: RowRhs,
  /** Weight (in units of h) of the l = 0 term: ½ trapezoid (published Euler), 1 plain sum (map). */
  w0: number,
): void {
  const { a, fp, A, B, dC, dR } = out;
  const ri = rowStart(i);
  let muInt = 0;
  let eInt = 0;
  let mInt = 0;
  // Row i's kernels; l = i carries R_ii = 0, so only l = 0 has a half weight.
  for (let l = 0; l <= i; l++) {
    const c = C[ri + l];
    const d1 = f.df(c);
    const w = l === 0 ? w0 * h : h;
    const r = w * R[ri + l];
    const d2 = f.d2f(c);
    fp[l] = d1;
    a[l] = r * d2;
    muInt += r * (d1 + c * d2);
    eInt += r * d1;
    mInt += a[l] * m[l];
    A[l] = 0;
    B[l] = 0;
  }
  const mi = m[i];
  const dfm = f.df(mi);
  const mu = T + mi * dfm + muInt;
  out.mu = mu;
  out.energy = -f.f(mi) - eInt;
  out.dm = -mu * mi + dfm + mInt;
  for (let r = 0; r <= i; r++) {
    const o = rowStart(r);
    const ar = a[r];
    // Column j = r: Σ_{l ≤ r} a_l C(t_r, t_l) and Σ'_{n ≤ r} R(t_r, t_n) f'(C(t_i, t_n)).
    let dotA = 0;
    let dotB = 0;
    // Unrolled by two: the loop is the O(n³) of the solver.
    let k = 0;
    for (; k + 1 < r; k += 2) {
      const c0 = C[o + k];
      const c1 = C[o + k + 1];
      const r0 = R[o + k];
      const r1 = R[o + k + 1];
      dotA += a[k] * c0 + a[k + 1] * c1;
      dotB += r0 * fp[k] + r1 * fp[k + 1];
      // Column j = k < r: the node l = r of Σ_l a_l C(t_j, t_l) (C(t_j, t_r) = C(t_r, t_j)) and
      // of Σ_{j < l < i} a_l R(t_l, t_j).
      A[k] += ar * c0;
      A[k + 1] += ar * c1;
      B[k] += ar * r0;
      B[k + 1] += ar * r1;
    }
    for (; k < r; k++) {
      const c0 = C[o + k];
      const r0 = R[o + k];
      dotA += a[k] * c0;
      dotB += r0 * fp[k];
      A[k] += ar * c0;
      B[k] += ar * r0;
    }
    // l = r term of the C sum (C_rr = 1); R_rr = 0 adds nothing to either.
    A[r] += dotA + ar * C[o + r];
    // Trapezoid on [0, t_r]: half weight at n = 0 (the end n = r carries R_rr = 0).
    const noise = r === 0 ? 0 : h * (dotB - (1 - w0) * R[o] * fp[0]);
    dC[r] = -mu * C[ri + r] + dfm * m[r] + noise;
  }
  for (let j = 0; j <= i; j++) {
    dC[j] += A[j];
    // Σ over j < l < i (both ends vanish: R_jj = R_ii = 0); B[j] holds l = j+1..i, a_i = 0.
    dR[j] = -mu * R[ri + j] + B[j];
  }
}

/**
 * ⟨F(t_{i−1}) x(t_i)⟩ of the discrete map: the drift at t_{i−1} (the right-hand side of ∂t C in
 * THEORY §3) correlated with the LATER point t_i, which the two-step scheme needs for the new
 * column C(t_{i+1}, t_i). `prev` holds row i−1's kernels and μ_{i−1} (from {@link evaluateRow}).
 * The memory sum reads row i of C (C(t_l, t_i) = C_il), the noise sum row i of R against
 * f'(C(t_{i−1}, t_n)) (the n = i term carries R_ii = 0). The thermal noise is left to the caller.
 */
export function driftAhead(
  i: number,
  h: number,
  f: Covariance,
  C: Float64Array,
  R: Float64Array,
  m: Float64Array,
  prev: RowRhs,
  w0: number,
): number {
  const ri = rowStart(i);
  let memory = 0;
  let noise = 0;
  for (let l = 0; l < i; l++) {
    memory += prev.a[l] * C[ri + l];
    noise += R[ri + l] * prev.fp[l];
  }
  noise -= (1 - w0) * R[ri] * prev.fp[0];
  return -prev.mu * C[ri + i - 1] + f.df(m[i - 1]) * m[i] + memory + h * noise;
}
