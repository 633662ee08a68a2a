/**
 * The near-diagonal band of the adaptive grid (THEORY §3): the points within NC steps of the
 * diagonal are not solved but carried along it from the previous row (`RowSolver` in
 * adaptiveGridRow.ts copies them). At T > 0 the copies are aged by the drift measured on the first
 * solved lag (`ageBand`); at T = 0 χ is carried by its exact drift along the diagonal
 * (`diagonalDrift`) and C follows 1 − C ∝ τ² anchored on the first solved lag (`quadraticBand`).
 * Measurements: src/dmft/README.md, "The near-diagonal band ages" and "The band along the diagonal".
 */
import { type Grid, rowStart } from './adaptiveGridStore.ts';

/** Rows between the three samples of the band's drift (`ageBand`). */
const DRIFT_ROWS = 8;

/**
 * Ages the copied band of row i: a copy along the diagonal keeps C(t, t − τ) and χ(t, t − τ)
 * at fixed lag τ = k·h as they were one step earlier, but while aging they drift in t at fixed
 * τ (THEORY §3), and the copies pile up that drift until the next doubling refreshes them (the
 * escape-time bias of issue 10). Adds h ∂t at fixed lag, measured on the first solved lag
 * L = (band + 1)·h by a second-order backward difference over rows i − 1, i − 1 − K,
 * i − 1 − 2K (K rows apart, which damps the feedback of the band on that lag), and carried to
 * the band by D(kh) = (k/L) D(L) (D vanishes at τ = 0, where C = 1, χ = 0 exactly).
 */
export function ageBand(G: Grid, i: number, NC: number): void {
  const { t, C, X, Ch, Xh, Cv, Xv } = G;
  const h = G.h;
  const L = NC + 1;
  const K = DRIFT_ROWS;
  const r1 = i - 1;
  const r2 = r1 - K;
  const r3 = r1 - 2 * K;
  // Measured only on rows solved since the last doubling or thinning (a change of grid shifts
  // the quadrature error of the solved lag by a one-off step that is no drift) and on the
  // uniform recent part of the grid; otherwise the last measurement is used.
  if (r3 >= G.ageFrom && r3 - L >= 0 && Math.abs(t[r1] - t[r3 - L] - (2 * K + L) * h) <= 1e-9 * t[r1]) {
    const q1 = rowStart(r1);
    const q2 = rowStart(r2);
    const q3 = rowStart(r3);
    const scale = 2 * K * L * h * h;
    G.ageC = (3 * C[q1 + r1 - L] - 4 * C[q2 + r2 - L] + C[q3 + r3 - L]) / scale;
    G.ageX = (3 * X[q1 + r1 - L] - 4 * X[q2 + r2 - L] + X[q3 + r3 - L]) / scale;
    G.ageAt = t[r1];
  }
  // A measurement held for longer than a doubling of the time decays like the aging drift
  // itself: C(t, t − τ) depends on τ/t (THEORY §3), so ∂t C/τ at fixed τ falls at least like
  // 1/t². Held at its value instead, it grew the band past C = 1 over the thousands of steps
  // of a capped step (the far history is thinned every window/2 steps, too often to measure
  // again; README "Long plateaus"). Within a doubling it is held as before (flagship escape
  // time 425.99; decaying from the start: 425.09, further from the reference 433.3).
  const decay = G.ageAt > 0 && t[i] > 2 * G.ageAt ? ((2 * G.ageAt) / t[i]) ** 2 : 1;
  // Drift over one step at lag k·h: (k h)·h × the drift per unit time and unit lag.
  const dC = G.ageC * decay * h * h;
  const dX = G.ageX * decay * h * h;
  if (dC === 0 && dX === 0) return;
  const oi = rowStart(i);
  for (let j = i - NC; j < i; j++) {
    const k = i - j;
    C[oi + j] += k * dC;
    X[oi + j] += k * dX;
    // Horizontal averages over [t_{i−1}, t_i] at column j: half a step less drift.
    Ch[oi + j] += (k - 0.5) * dC;
    Xh[oi + j] += (k - 0.5) * dX;
  }
  for (let l = i - NC + 1; l <= i; l++) {
    // Vertical averages over [t_{l−1}, t_l]: the lag at the interval's midpoint.
    const k = i - l + 0.5;
    Cv[oi + l] += k * dC;
    Xv[oi + l] += k * dX;
  }
}

/**
 * Carries the χ band of row i along the diagonal by its exact drift (T = 0). The Dyson
 * equation of R read in its first and in its second time argument (THEORY §3) gives, at fixed
 * lag u,
 *
 *   d/dt R(t, t − u) = (μ(t − u) − μ(t)) R(t, t − u)
 *                      + ∫_{t−u}^t R(t,s) R(s,t−u) [f''(C(t,s)) − f''(C(s,t−u))] ds.
 *
 * The second term vanishes where the strip is time-translation invariant (the integrand is odd
 * under s → 2t − u − s) and is otherwise of order f'''(1)(1 − C) × (aging part) ≪ the first at
 * T = 0, where 1 − C ≈ τ²|ẋ|²/2 ≤ 1e-2 over the band: it is left out. So
 * d/dt χ(t, t − u) = ∫_{t−u}^t (μ(s) − μ(t)) R(t,s) ds, a Stieltjes sum over the intervals of
 * row i − 1 with the carriers' mass split (header of adaptiveGrid.ts), added over one step.
 */
export function diagonalDrift(G: Grid, i: number, NC: number): void {
  const { X, Xh, Xv } = G;
  const mu = G.mu;
  const h = G.h;
  const r = i - 1;
  const or = rowStart(r);
  // d[k]: drift of χ at lag k steps, per unit time.
  const d = new Float64Array(NC + 1);
  d[0] = 0;
  for (let k = 1; k <= NC; k++) {
    const l = r - k + 1;
    const xv = Xv[or + l];
    d[k] = d[k - 1] + (X[or + l - 1] - xv) * (mu[l - 1] - mu[r]) + (xv - X[or + l]) * (mu[l] - mu[r]);
  }
  const oi = rowStart(i);
  for (let j = i - NC; j < i; j++) {
    const k = i - j;
    X[oi + j] += h * d[k];
    Xh[oi + j] += 0.5 * h * (d[k - 1] + d[k]);
  }
  for (let l = i - NC + 1; l <= i; l++) Xv[oi + l] += 0.5 * h * (d[i - l] + d[i - l + 1]);
}

/**
 * The C band of row i at T = 0: 1 − C(t, t − τ) = |x(t) − x(t − τ)|²/2N ≈
 * τ²|ẋ(t)|²/2 for τ ≪ t (THEORY §3, GF: ẋ ⊥ x), anchored on the first solved lag L of the same
 * row, with the exact averages of τ² over each interval. The fixed grid at t = 300 has
 * (1 − C)/τ² = 6.4e-6 / 6.6e-6 at τ = 2 / 17: the law holds to 3 % over the band, i.e. to
 * ~1e-5 in C.
 */
export function quadraticBand(G: Grid, i: number, NC: number): void {
  const { C, Ch, Cv } = G;
  const L = NC + 1;
  const oi = rowStart(i);
  const a = (1 - C[oi + i - L]) / (L * L);
  for (let j = i - NC; j < i; j++) {
    const k = i - j;
    C[oi + j] = 1 - a * k * k;
    // Horizontal average over [t_{i−1}, t_i] at column j: lags k − 1 to k.
    Ch[oi + j] = 1 - a * (k * k - k + 1 / 3);
  }
  for (let l = i - NC + 1; l <= i; l++) {
    // Vertical average over [t_{l−1}, t_l]: lags i − l to i − l + 1.
    const q = i - l;
    Cv[oi + l] = 1 - a * (q * q + q + 1 / 3);
  }
}

/**
 * The χ band of row i at T > 0 from its C band by FDT, Tχ = 1 − C, with the averages (THEORY §3:
 * the near-diagonal strip is quasi-equilibrated). With the carriers' C-averaged kernels and
 * trapezoidal vertical averages on the solved intervals, a time-translation invariant FDT state
 * is then an exact solution of the row equations (μ = T + (f'(1) − C(t, 0) f'(C(t, 0)))/T term by
 * term); copied, the band kept the FDT residual of the lags it was copied from at every doubling,
 * and μ and χ(t, 0) drifted with it (README "T > 0: the strip at large hμ").
 */
export function fdtBand(G: Grid, i: number, NC: number, T: number): void {
  const { C, X, Ch, Xh, Cv, Xv } = G;
  const oi = rowStart(i);
  for (let j = i - NC; j < i; j++) {
    X[oi + j] = (1 - C[oi + j]) / T;
    Xh[oi + j] = (1 - Ch[oi + j]) / T;
  }
  for (let l = i - NC + 1; l <= i; l++) Xv[oi + l] = (1 - Cv[oi + l]) / T;
}
