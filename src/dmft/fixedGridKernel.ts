/**
 * The right-hand side of the published fixed-grid discretisation of THEORY §3 (the CHSCK
 * equations on t_i = i h), on which both fixed-grid schemes are built.
 *
 * Equal-time response convention: inside every history sum R(t_i, t_i) = 0, and after each step
 * R(t_{i+1}, t_i) = 1 (the unit jump of R placed one step after the diagonal). With it the discrete
 * stationary point is the continuum one: in a time-translation-invariant state, summing the R
 * recursion over the lag telescopes to −1 = −μχ + f''(1)χ² with χ = h Σ R, exactly the relation
 * of THEORY §3, so the gradient-flow end state m*, μ*, e* is reproduced at any h (the two-step
 * scheme of fixedGrid.ts sets R(t_{i+1}, t_i) = β₁ instead, with the same property). Weights: the
 * published trapezoid (½ at l = 0; the end l = i carries R_ii = 0) for Euler, plain sums (w0 = 1)
 * for the two-step map; the published program's 3/2 weight on l = 0 of column 0 is not reproduced.
 *
 * Storage: C and R as packed lower triangles, row i (the later time) holding columns 0..i from
 * offset i(i+1)/2. All history sums of one evaluation are made in ONE pass over rows r = 0..i of
 * both triangles (four rows at a time): row r is dotted with the kernels of row i (giving column j = r's sums over
 * l ≤ r) and at the same time added, scaled by row i's kernel at r, into the accumulators of the
 * earlier columns (their sums over l > j). The stored history is read once, contiguously.
 */
import type { Covariance } from '../model/index.ts';
import type { GridCovariance } from './anneal.ts';

/** Offset of row i in a packed lower triangle. */
export const rowStart = (i: number): number => (i * (i + 1)) / 2;

/** Scratch and output of {@link evaluateRow}, sized for n + 1 columns. */
export interface RowRhs {
  mu: number;
  energy: number;
  /** dm/dt at t_i. */
  dm: number;
  /** f'(m_i) (annealed: the signal part f_s'(t_i; m_i), anneal.ts). */
  dfm: number;
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
  return { mu: 0, energy: 0, dm: 0, dfm: 0, dC: v(), dR: v(), a: v(), fp: v(), A: v(), B: v() };
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
  /** The annealing protocol's F(t_i, t_l; ·) and f_s(t_i; ·) in place of f (anneal.ts). */
  annealed?: GridCovariance,
): void {
  const { a, fp, A, B, dC, dR } = out;
  const ri = rowStart(i);
  let muInt = 0;
  let eInt = 0;
  let mInt = 0;
  // Row i's kernels; l = i carries R_ii = 0, so only l = 0 has a half weight.
  for (let l = 0; l <= i; l++) {
    const c = C[ri + l];
    const d1 = annealed ? annealed.df(i, l, c) : f.df(c);
    const w = l === 0 ? w0 * h : h;
    const r = w * R[ri + l];
    const d2 = annealed ? annealed.d2f(i, l, c) : f.d2f(c);
    fp[l] = d1;
    a[l] = r * d2;
    muInt += r * (d1 + c * d2);
    eInt += r * d1;
    mInt += a[l] * m[l];
    A[l] = 0;
    B[l] = 0;
  }
  const mi = m[i];
  const dfm = annealed ? annealed.dSignal(i, mi) : f.df(mi);
  const mu = T + mi * dfm + muInt;
  out.mu = mu;
  out.dfm = dfm;
  out.energy = -(annealed ? annealed.signal(i, mi) : f.f(mi)) - eInt;
  out.dm = -mu * mi + dfm + mInt;
  // Rows are taken four at a time (r … r + 3): each load of a, fp, A, B then serves four rows.
  let r = 0;
  for (; r + 3 <= i; r += 4) {
    const o0 = rowStart(r);
    const o1 = o0 + r + 1;
    const o2 = o1 + r + 2;
    const o3 = o2 + r + 3;
    const ar0 = a[r];
    const ar1 = a[r + 1];
    const ar2 = a[r + 2];
    const ar3 = a[r + 3];
    // Column j = r … r + 3: Σ_{l ≤ j} a_l C(t_j, t_l) and Σ'_{n ≤ j} R(t_j, t_n) f'(C(t_i, t_n)).
    let dA0 = 0;
    let dA1 = 0;
    let dA2 = 0;
    let dA3 = 0;
    let dB0 = 0;
    let dB1 = 0;
    let dB2 = 0;
    let dB3 = 0;
    for (let k = 0; k < r; k++) {
      const c0 = C[o0 + k];
      const c1 = C[o1 + k];
      const c2 = C[o2 + k];
      const c3 = C[o3 + k];
      const q0 = R[o0 + k];
      const q1 = R[o1 + k];
      const q2 = R[o2 + k];
      const q3 = R[o3 + k];
      const ak = a[k];
      const fk = fp[k];
      dA0 += ak * c0;
      dA1 += ak * c1;
      dA2 += ak * c2;
      dA3 += ak * c3;
      dB0 += q0 * fk;
      dB1 += q1 * fk;
      dB2 += q2 * fk;
      dB3 += q3 * fk;
      // Column j = k < r: the nodes l = r … r + 3 of Σ_l a_l C(t_j, t_l) (C(t_j, t_l) = C(t_l, t_j))
      // and of Σ_{j < l < i} a_l R(t_l, t_j).
      A[k] += ar0 * c0 + ar1 * c1 + ar2 * c2 + ar3 * c3;
      B[k] += ar0 * q0 + ar1 * q1 + ar2 * q2 + ar3 * q3;
    }
    dC[r] = dA0;
    dC[r + 1] = dA1;
    dC[r + 2] = dA2;
    dC[r + 3] = dA3;
    dR[r] = dB0;
    dR[r + 1] = dB1;
    dR[r + 2] = dB2;
    dR[r + 3] = dB3;
    for (let q = r; q < r + 4; q++) finishRow(q, r, i, h, w0, mu, dfm, C, R, m, out);
  }
  for (; r <= i; r++) {
    dC[r] = 0;
    dR[r] = 0;
    finishRow(r, 0, i, h, w0, mu, dfm, C, R, m, out);
  }
  for (let j = 0; j <= i; j++) {
    dC[j] += A[j];
    // Σ over j < l < i (both ends vanish: R_jj = R_ii = 0); B[j] holds l = j+1..i, a_i = 0.
    dR[j] = -mu * R[ri + j] + B[j];
  }
}

/**
 * Row q of a block: the columns k = from … q − 1 not covered by the block's common loop (partial
 * dot products of row q already in dC[q], dR[q]), its diagonal, and column q's entry of ∂t C.
 */
function finishRow(
  q: number,
  from: number,
  i: number,
  h: number,
  w0: number,
  mu: number,
  dfm: number,
  C: Float64Array,
  R: Float64Array,
  m: Float64Array,
  out: RowRhs,
): void {
  const { a, fp, A, B, dC, dR } = out;
  const o = rowStart(q);
  const aq = a[q];
  let dotA = dC[q];
  let dotB = dR[q];
  for (let k = from; k < q; k++) {
    const c = C[o + k];
    const r = R[o + k];
    dotA += a[k] * c;
    dotB += r * fp[k];
    A[k] += aq * c;
    B[k] += aq * r;
  }
  // l = q term of the C sum (C_qq = 1); R_qq = 0 adds nothing to either.
  A[q] += dotA + aq;
  // Trapezoid on [0, t_q]: half weight at n = 0 (the end n = q carries R_qq = 0).
  const noise = q === 0 ? 0 : h * (dotB - (1 - w0) * R[o] * fp[0]);
  dC[q] = -mu * C[rowStart(i) + q] + dfm * m[q] + noise;
}

/**
 * ⟨F(t_{i−1}) x(t_i)⟩ of the discrete map: the drift at t_{i−1} (the right-hand side of ∂t C in
 * THEORY §3) correlated with the LATER point t_i, which the two-step scheme needs for the new
 * column C(t_{i+1}, t_i). `prev` holds row i−1's kernels, μ_{i−1} and f'(m_{i−1}) (from {@link evaluateRow}).
 * The memory sum reads row i of C (C(t_l, t_i) = C_il), the noise sum row i of R against
 * f'(C(t_{i−1}, t_n)) (the n = i term carries R_ii = 0). The thermal noise is left to the caller.
 */
export function driftAhead(
  i: number,
  h: number,
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
  return -prev.mu * C[ri + i - 1] + prev.dfm * m[i] + memory + h * noise;
}
