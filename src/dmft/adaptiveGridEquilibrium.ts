/**
 * An established equilibrium on the adaptive grid at T > 0 (THEORY §3): the last rows are
 * time-translation invariant, obey the fluctuation–dissipation theorem at every lag up to t/2,
 * and m = 0 (where m has decayed) is linearly stable. A state that passes is a fixed point of the dynamics:
 * under a step cap `adaptiveGridSteps` continues it to tmax by time-translation invariance
 * instead of solving rows whose step the T > 0 discretisation cannot grow (src/dmft/README.md,
 * "T > 0: cost"). Aging fails the first two tests (C(t, t − τ) drifts with t, Tχ < 1 − C at lags
 * ~ t); a decayed m that would grow fails the third; a small m that grows is not stationary
 * (adaptiveGrid.ts asks that first).
 */
import type { Covariance } from '../model/index.ts';
import { type Grid, meanOf, rowStart } from './adaptiveGridStore.ts';

/** What `equilibriumTest` measured on the last row. */
export interface EquilibriumMeasure {
  /** Largest change of C and Tχ at equal lag between rows K steps apart (uniform recent part). */
  readonly tti: number;
  /**
   * Largest |Tχ(t, t′) − (1 − C(t, t′))| over the last row at t′ ≥ t/2 (the older columns may
   * reach back before an escape of m, where the state was another one).
   */
  readonly fdt: number;
  /**
   * Growth rate of a constant m ≈ 0 in the present row, −μ + f″(0) + ∫ R(t, s) f″(C(t, s)) ds
   * (THEORY §3, the m equation linearised): negative when m = 0 is stable.
   */
  readonly mGrowth: number;
  /** Lags compared in `tti` (0: the uniform part is too short to say). */
  readonly lags: number;
}

/** Rows between the two rows compared for time-translation invariance. */
const TTI_ROWS = 16;
/** At least this many lags must be compared. */
const MIN_LAGS = 16;

/** Measures the last row of G (step G.h) against equilibrium; see `isEquilibrium`. */
export function equilibriumTest(G: Grid, T: number, f: Covariance): EquilibriumMeasure {
  const { t, C, X } = G;
  const n = G.n;
  const h = G.h;
  // The uniform recent part: nodes u … n, h apart.
  let u = n;
  while (u > 0 && Math.abs(t[u] - t[u - 1] - h) <= 1e-9 * t[n]) u--;
  const on = rowStart(n);
  const ok = rowStart(n - TTI_ROWS);
  const lags = Math.max(0, n - TTI_ROWS - u);
  let tti = 0;
  for (let k = 1; k <= lags; k++) {
    const dc = Math.abs(C[on + n - k] - C[ok + n - TTI_ROWS - k]);
    const dx = T * Math.abs(X[on + n - k] - X[ok + n - TTI_ROWS - k]);
    tti = Math.max(tti, dc, dx);
  }
  // FDT over the lags up to t/2: the strip residual taken that far.
  const fdt = stripResidual(G, T, 0.5 * t[n]);
  let rf = 0;
  for (let l = 1; l <= n; l++)
    rf += (X[on + l - 1] - X[on + l]) * meanOf(f.df, f.d2f, C[on + l - 1], C[on + l]);
  return { tti, fdt, mGrowth: -G.mu[n] + f.d2f(0) + rf, lags: lags >= MIN_LAGS ? lags : 0 };
}

/**
 * Equilibrium: time-translation invariance to `still` (adaptiveGrid.ts: 10 tol, the level at
 * which it calls m and μ stationary), FDT to `fdtTol` at lags up to t/2 (aging violates
 * it by O(0.1) at t/2; the discretisation's own residual in an equilibrium is ~1e-4, README), and,
 * when `smallM` (m decayed below its floor), m = 0 stable.
 */
export function isEquilibrium(
  e: EquilibriumMeasure,
  still: number,
  fdtTol: number,
  smallM: boolean,
): boolean {
  return e.lags > 0 && e.tti <= still && e.fdt <= fdtTol && (!smallM || e.mGrowth < 0);
}

/**
 * FDT residual of the near-diagonal strip of the last row of G at T > 0: the largest
 * |Tχ(t, t′) − (1 − C(t, t′))| over the lags 0 < t − t′ ≤ `tauMax`. Short lags are
 * quasi-equilibrated even while aging (THEORY §3), so it changes slowly with t on an accurate
 * solution; a step the discretisation does not stand makes it jump (README "T > 0: aging").
 */
export function stripResidual(G: Grid, T: number, tauMax: number): number {
  const { t, C, X } = G;
  const n = G.n;
  const on = rowStart(n);
  let r = 0;
  for (let j = n - 1; j >= 0 && t[n] - t[j] <= tauMax * (1 + 1e-9); j--)
    r = Math.max(r, Math.abs(T * X[on + j] - (1 - C[on + j])));
  return r;
}

/** C(t, t/2) on the last row of G (linear in t′ between the two nodes around t/2). */
export function halfAgeCorrelation(G: Grid): number {
  const { t, C } = G;
  const n = G.n;
  const on = rowStart(n);
  let j = 1;
  while (j < n && t[j] < t[n] / 2) j++;
  const w = (t[n] / 2 - t[j - 1]) / (t[j] - t[j - 1]);
  return C[on + j - 1] + Math.min(1, Math.max(0, w)) * (C[on + j] - C[on + j - 1]);
}
