/**
 * One time step of the adaptive grid (THEORY §3): the row t_i of C and χ solved self-consistently
 * with BDF2 in the first time argument, and its local error estimate. See the header of
 * `adaptiveGrid.ts` for the variables and the quadrature; storage is in `adaptiveGridStore.ts`.
 *
 * The band next to the diagonal is not solved. In general it is copied along the diagonal and
 * aged by the drift measured on the first solved lag (`ageBand`, on the plateau |m| < AGE_M).
 * At T = 0 it is carried by the equations themselves (PLATEAU_BAND wide on the plateau): χ by
 * its exact drift along the diagonal (`diagonalDrift`), C by the kinematic law 1 − C ∝ τ²
 * anchored on the first solved lag (`quadraticBand`), and μ is read from the C equation at the
 * diagonal so that the discrete C equation has no spurious drift next to it
 * (src/dmft/README.md, "The band along the diagonal").
 */
import type { Covariance } from '../model/index.ts';
import type { PairKernels } from './adaptiveAnneal.ts';
import { ageBand, diagonalDrift, fdtBand, quadraticBand } from './adaptiveGridBand.ts';
import { type Grid, meanOf, parabolaAverage, rowStart } from './adaptiveGridStore.ts';
import { Anderson } from './anderson.ts';

/** Near-diagonal band copied by time-translation invariance: plain copy (before issue 10's ageing). */
export const NC = 4;
/**
 * Default band with ageing at T > 0 (at T = 0: PLATEAU_BAND). Measured at T = 0 when it was used
 * there, flagship escape time (p = 3, Δp = 1, 1/Δ2 = 2, m0 = 1e-5; fixed-grid reference 433.3):
 * band 4 / 8 / 12 → 426.0 / 430.3 / 429.4, but in a relaxing state (pure
 * matrix, m0 = 0.2, window 64, t = 200) |m² − m*²| = 7e-5 / 3.5e-4 at band 4 / 8 (plain copy
 * 7e-5): the drift measured on the first solved lag is not all drift (src/dmft/README.md).
 */
export const AGED_BAND = 4;
/**
 * Band at T = 0 on the aging plateau (`diagonalDrift`, `quadraticBand` in adaptiveGridBand.ts;
 * after the escape the band is `band` wide: 16 steps span the time scale of the jump, and μ(m),
 * e(m) through the jump moved by up to 2e-2). Each χ in it traces
 * back to a lag that was solved with a step ≤ 1/(band + 1) of it; BDF2 at fixed t' carries a
 * relative error on the power-law tail of R (marginal, THEORY §3) that does not shrink with the
 * step. Flagship escape time (p = 3, Δp = 1,
 * 1/Δ2 = 2, m0 = 1e-5; fixed-grid reference 433.3): band 8 / 16 / 24 / 32 → 431.1 / 432.8 /
 * 433.7 / 435.0 (the aged band 4 before: 426.0).
 */
export const PLATEAU_BAND = 16;
const MAX_SWEEPS = 400;
/**
 * Intervals longer than this many steps get trapezoidal vertical averages
 * (`refreshRowAverages`): after thinning the far history has intervals of 2, 4, 8… steps, under
 * doubling alone every interval is ≤ the step.
 */
const COARSE = 1.5;
/**
 * |m| at which the plateau ends and the jump begins (THEORY §3): below it, (i) of
 * `refreshRowAverages` holds (thinning keeps a capped plateau run going); from it on, while m
 * rises, adaptiveGrid.ts thins instead of forcing a doubling, and the parabola is kept on the
 * thinned intervals: measured against the fixed grid through the jump (μ within 9.7e-4, README
 * "Through the jump"); with the trapezoid there the flagship's escape moved 432.51 → 435.98
 * (+0.6 % from the converged 433.3).
 */
export const RISING_M = 1e-3;
/**
 * On the aging plateau at T = 0 every solved interval gets trapezoidal vertical averages once
 * h |μ| exceeds this (`refreshRowAverages`). The flagship (p = 3, Δp = 1, 1/Δ2 = 2, m0 = 1e-5)
 * reaches h |μ| ≈ 16.6 (h = 4.19) before its escape and is unchanged; with the parabola
 * h |μ| ≈ 66 (h = 16.8) ran to 4·10⁴ and ≈ 133 (h = 33.6) failed within ~100 steps of the
 * doubling (p = 3, Δp = 1, 1/Δ2 = 1.9). At μ ≈ 4 the switch comes with the doubling to h = 8.4.
 */
const TRAPEZOID_HMU = 24;
/** The band ages only while |m| is below this (the escape level of the README's examples). */
const AGE_M = 0.1;

/** Outcome of one step. */
export interface RowOutcome {
  converged: boolean;
  mu: number;
  energy: number;
  /** Local error estimate (Milne): relative for m, absolute for C, χ/(1+χ) and μ/(1+μ). */
  est: number;
  /** Largest |C(t_i, t_j)|: above 1 the row has lost accuracy. */
  cmax: number;
  sweeps: number;
}

export class RowSolver {
  private readonly f: Covariance;
  private readonly T: number;
  private readonly itol: number;
  private readonly nc: number;
  private readonly wide: number;
  private readonly drift: boolean;
  private readonly cL: Float64Array;
  private readonly cR: Float64Array;
  private readonly cM: Float64Array;
  private readonly fp: Float64Array;
  private readonly A: Float64Array;
  private readonly B: Float64Array;
  private readonly I2: Float64Array;
  private readonly dA: Float64Array;
  private readonly predC: Float64Array;
  private readonly predX: Float64Array;
  private readonly newC: Float64Array;
  private readonly newX: Float64Array;
  private readonly resC: Float64Array;
  private readonly resX: Float64Array;
  private readonly dG: Float64Array;
  /** Per interval l of the row: the C-averaged f'' of its carrier. */
  private readonly d2l: Float64Array;
  /** Per solved column j: the Newton step's χ diagonal (`solve`). */
  private readonly dxj: Float64Array;
  private readonly anderson: Anderson;
  private readonly aaX: Float64Array;
  private readonly aaG: Float64Array;
  private readonly aaW: Float64Array;
  private readonly cf1: (c: number) => number;
  private readonly g: (c: number) => number;
  private readonly d1: (c: number) => number;
  private readonly d2: (c: number) => number;
  private readonly ff: (c: number) => number;
  /** Annealing: selects what `f` stands for at each pair (adaptiveAnneal.ts); f is then its `current`. */
  private readonly pair: PairKernels | undefined;

  constructor(
    f: Covariance,
    temperature: number,
    tol: number,
    cap: number,
    band = NC,
    drift = true,
    plateauBand = PLATEAU_BAND,
    pair?: PairKernels,
  ) {
    this.f = f;
    this.pair = pair;
    this.nc = band;
    this.wide = plateauBand;
    this.drift = drift;
    this.T = temperature;
    this.itol = tol / 10;
    const v = (): Float64Array => new Float64Array(cap + 2);
    this.cL = v();
    this.cR = v();
    this.cM = v();
    this.fp = v();
    this.A = v();
    this.B = v();
    this.I2 = v();
    this.dA = v();
    this.predC = v();
    this.predX = v();
    this.newC = v();
    this.newX = v();
    this.resC = v();
    this.resX = v();
    this.dG = v();
    this.d2l = v();
    this.dxj = v();
    this.anderson = new Anderson(2 * cap + 1, 5);
    this.aaX = new Float64Array(2 * cap + 1);
    this.aaG = new Float64Array(2 * cap + 1);
    this.aaW = new Float64Array(2 * cap + 1);
    // The kernels g and their antiderivatives Γ used in the C-averaged carriers: f'' (Γ = f'),
    // G = f' + c f'' (Γ = c f'), f' (Γ = f).
    this.d2 = (c) => f.d2f(c);
    this.d1 = (c) => f.df(c);
    this.g = (c) => f.df(c) + c * f.d2f(c);
    this.cf1 = (c) => c * f.df(c);
    this.ff = (c) => f.f(c);
  }

  /** Second result of `pastIntegrals`. */
  private pastB = 0;

  /**
   * At T = 0: the run's step is capped after a rejection (set by adaptiveGrid.ts at each full
   * window). Its thinned history then keeps the trapezoid of (i) in `refreshRowAverages` beyond
   * the plateau, through the jump (README "Thinning from both ends").
   */
  capped = false;

  /** At T > 0 with h|μ| > TRAPEZOID_HMU (set per row in `solve`): README "T > 0: the strip at large hμ". */
  private strip = false;

  /**
   * ∂Xv_1/∂χ(t_i, t_0), the weight of the first interval's left end in its vertical average (set by
   * `refreshRowAverages`): under `strip` every later solved interval is a trapezoid (weight 1/2).
   */
  private wV1 = 0.5;

  /**
   * ∂/∂χ(t_i, t_j) of the χ equation's memory over the first interval after t_j, [t_j, t_{j+1}]
   * (carrier mass times the horizontal average of χ(s, t_j), plus its left/right split): where
   * h μ ≫ 1, χ(s, t_j) rises from 0 to ≈ (1 − C(h))/T within that interval and this term,
   * ≈ f''·χ(h)·7/6, cancels most of μ + 3/(2h) on the Newton step's diagonal (stress case 15 at
   * h = 67: 1.14 without it, 0.263 by finite differences and with it; README "T > 0: the strip at
   * large hμ"). Used only where `strip` holds: at h μ ≈ 10 (stress case 8) it stalled a row.
   */
  private firstInterval(G: Grid, j: number): number {
    const l = j + 1;
    const ol = rowStart(l);
    const w = l === 1 ? this.wV1 : 0.5;
    return this.d2l[l] * (G.Xh[ol + j] + (w - 0.5) * G.X[ol + j]);
  }

  /**
   * The history integrals of column j over [0, t_j] with the carriers of the current row i
   * (cL, cR, cM, fp must be set): returns ∫_0^{t_j} R(t_i,s) f''(C(t_i,s)) C(t_j,s) ds and leaves
   * ∫_0^{t_j} f'(C(t_i,s)) R(t_j,s) ds in `pastB`.
   */
  private pastIntegrals(G: Grid, j: number): number {
    const { C, X, Cv, Xv } = G;
    const { cL, cR, cM, fp } = this;
    const oj = rowStart(j);
    let a = 0;
    let b = 0;
    for (let l = 1; l <= j; l++) {
      const xv = Xv[oj + l];
      a += cL[l] * C[oj + l - 1] + cR[l] * C[oj + l] + cM[l] * Cv[oj + l];
      b += (X[oj + l - 1] - xv) * fp[l - 1] + (xv - X[oj + l]) * fp[l];
    }
    this.pastB = b;
    return a;
  }

  /**
   * Refresh the averages of row i that are computed (not copied) from its point values. The
   * vertical averages (Cv, Xv: the left/right split of R's mass in the carriers) are the average
   * of the parabola through the interval's ends and the node before, except (i) on an interval
   * longer than the step, at every temperature while |m| < RISING_M, at T = 0 also beyond it once
   * the step is capped (only the far history thinned on a capped plateau has such intervals: a
   * doubling leaves every interval ≤ the new step), and (ii) at T = 0 on
   * every solved interval while the aging plateau is crossed with a large step,
   * h |μ| > TRAPEZOID_HMU, where they are the trapezoid. Through its three weights on the row's
   * own unknowns the parabola fed a mode of χ(t, t′) alternating from row to row at the solved
   * lags next to the band, which grew into a sawtooth across the columns and failed the row
   * (p = 3, Δp = 1, 1/Δ2 = 1.9: h = 33.6 failed at every window; after a thinning the parabola
   * through a short and a long interval weights the values by up to (long/short)², and
   * h = 4.2–16.8 failed too; at T = 0.5 stress case 5, window 32, partial at t = 2995 through
   * (i), README "T > 0 aging"). χ and C vary there on the scale of the lag ≫ h, where the
   * trapezoid's error is second order in h/lag (THEORY §3 aging; README "Long plateaus (issue
   * 10, session 6)").
   */
  private refreshRowAverages(G: Grid, i: number, NC: number): void {
    const { t, C, X, Ch, Xh, Cv, Xv } = G;
    const oi = rowStart(i);
    const o1 = rowStart(i - 1);
    const o2 = rowStart(i - 2);
    const jmax = i - NC - 1;
    for (let j = 0; j <= jmax; j++) {
      Ch[oi + j] = (-C[o2 + j] + 8 * C[o1 + j] + 5 * C[oi + j]) / 12;
      Xh[oi + j] = (-X[o2 + j] + 8 * X[o1 + j] + 5 * X[oi + j]) / 12;
    }
    const zero = this.drift && this.T === 0;
    const plateau = zero && Math.abs(G.m[i - 1]) < AGE_M && G.h * Math.abs(G.mu[i - 1]) > TRAPEZOID_HMU;
    const thinned = this.drift && (Math.abs(G.m[i - 1]) < RISING_M || (this.T === 0 && this.capped));
    const coarse = plateau ? 0 : thinned ? COARSE * G.h : Number.POSITIVE_INFINITY;
    for (let l = 1; l <= i - NC; l++) {
      // T > 0, h|μ| > TRAPEZOID_HMU (`strip`): the trapezoid on every solved interval but the first
      // (README "T > 0: the strip at large hμ": the parabola's split of χ fed a sawtooth of C across
      // the solved columns at h|μ| ≈ 240 (stress case 15), that of C a mode with the wrong FDT sign
      // next to the band while aging (case 2)); both keep Cv and Xv in FDT where C and χ are.
      if (t[l] - t[l - 1] > coarse || (this.strip && l > 1)) {
        Cv[oi + l] = 0.5 * (C[oi + l - 1] + C[oi + l]);
        Xv[oi + l] = 0.5 * (X[oi + l - 1] + X[oi + l]);
        if (l === 1) this.wV1 = 0.5;
      } else if (l === 1) {
        Cv[oi + 1] = parabolaAverage(t[0], t[1], t[2], C[oi], C[oi + 1], C[oi + 2], false);
        Xv[oi + 1] = parabolaAverage(t[0], t[1], t[2], X[oi], X[oi + 1], X[oi + 2], false);
        if (this.strip) this.wV1 = parabolaAverage(t[0], t[1], t[2], 1, 0, 0, false);
      } else {
        Cv[oi + l] = parabolaAverage(t[l - 2], t[l - 1], t[l], C[oi + l - 2], C[oi + l - 1], C[oi + l], true);
        Xv[oi + l] = parabolaAverage(t[l - 2], t[l - 1], t[l], X[oi + l - 2], X[oi + l - 1], X[oi + l], true);
      }
    }
  }

  /**
   * Solves row i = G.n + 1 at t_i = t_{i−1} + G.h (the last three nodes are G.h apart), leaving
   * its values in G (G.n is not advanced). `mScale` is the floor of |m| in relative errors.
   */
  solve(G: Grid, mScale: number): RowOutcome {
    const { f, T } = this;
    const { t, m, mbar, C, X, Ch, Xh, Cv, Xv } = G;
    const muG = G.mu;
    const { cL, cR, cM, fp, A, B, I2, dA, predC, predX, newC, newX, resC, resX, dG } = this;
    const { aaX, aaG, aaW, anderson } = this;
    const h = G.h;
    const i = G.n + 1;
    t[i] = t[i - 1] + h;
    this.pair?.row(t, i);
    const oi = rowStart(i);
    const o1 = rowStart(i - 1);
    const o2 = rowStart(i - 2);
    const o3 = rowStart(i - 3);
    // At T = 0 the band is carried by the equations, wide on the aging plateau (after the escape
    // its lags would span the time scale of the jump); at T > 0 it is the narrow band, aged on the
    // plateau by the measured drift (header). The wide band shrinks to i/4 in the first window, so
    // that solved lags remain.
    const diagonal = this.drift && T === 0;
    const onPlateau = this.drift && Math.abs(G.m[i - 1]) < AGE_M;
    // T > 0 (README "T > 0: the strip at large hμ"): m's floor in the Newton step (`warm`); where
    // h|μ| > TRAPEZOID_HMU the band's χ from its C by FDT, the trapezoidal vertical averages on
    // the solved intervals and the χ diagonal's first-interval term (`strip`).
    const warm = this.drift && T > 0 && !this.pair;
    this.strip = warm && h * Math.abs(muG[i - 1]) > TRAPEZOID_HMU;
    const NC = diagonal && onPlateau ? Math.max(this.nc, Math.min(this.wide, i >> 2)) : this.nc;
    const jmax = i - NC - 1;
    // Near-diagonal band and its averages: copied along the diagonal.
    C[oi + i] = 1;
    X[oi + i] = 0;
    for (let j = i - NC; j < i; j++) {
      C[oi + j] = C[o1 + j - 1];
      X[oi + j] = X[o1 + j - 1];
      Ch[oi + j] = Ch[o1 + j - 1];
      Xh[oi + j] = Xh[o1 + j - 1];
    }
    for (let l = i - NC + 1; l <= i; l++) {
      Cv[oi + l] = Cv[o1 + l - 1];
      Xv[oi + l] = Xv[o1 + l - 1];
    }
    // The narrow band ages only on the aging plateau (m below the escape level): once m has
    // escaped the state relaxes exponentially and the drift measured on the first solved lag is
    // mostly not drift.
    if (diagonal) diagonalDrift(G, i, NC);
    else if (onPlateau) ageBand(G, i, NC);
    if (this.strip) fdtBand(G, i, NC, T);
    // Predictor: quadratic extrapolation in the first index.
    for (let j = 0; j <= jmax; j++) {
      predC[j] = 3 * C[o1 + j] - 3 * C[o2 + j] + C[o3 + j];
      predX[j] = 3 * X[o1 + j] - 3 * X[o2 + j] + X[o3 + j];
      C[oi + j] = predC[j];
      X[oi + j] = predX[j];
    }
    const predM = 3 * m[i - 1] - 3 * m[i - 2] + m[i - 3];
    m[i] = predM;
    const predMu = 3 * muG[i - 1] - 3 * muG[i - 2] + muG[i - 3];
    if (diagonal) quadraticBand(G, i, NC);
    this.refreshRowAverages(G, i, NC);
    mbar[i] = (-m[i - 2] + 8 * m[i - 1] + 5 * m[i]) / 12;
    // G'(c) = 2 f''(c) + c f'''(c), for ∂μ/∂C.
    const dGdc = (c: number): number => 2 * f.d2f(c) + c * f.d3f(c);

    let mu = 0;
    let energy = 0;
    let sweeps = 0;
    let converged = false;
    let mFloor = 0;
    const bdf = 3 / (2 * h);
    while (sweeps < MAX_SWEEPS) {
      sweeps++;
      // Carriers of row i.
      let muInt = 0;
      let eInt = 0;
      let mInt = 0;
      let mAbs = 0;
      for (let l = 1; l <= i; l++) {
        const xa = X[oi + l - 1];
        const xb = X[oi + l];
        const xv = Xv[oi + l];
        const rho = xa - xb;
        const ca = C[oi + l - 1];
        const cb = C[oi + l];
        this.pair?.interval(i, l, xa, xv, xb);
        const d2 = meanOf(this.d1, this.d2, ca, cb);
        const dg = meanOf(this.cf1, this.g, ca, cb);
        dG[l] = dg;
        this.d2l[l] = d2;
        muInt += rho * dg;
        eInt += rho * meanOf(this.ff, this.d1, ca, cb);
        const wl = (xa - xv) * d2;
        const wr = (xv - xb) * d2;
        const mass = rho * d2;
        cL[l] = wl - 0.5 * mass;
        cR[l] = wr - 0.5 * mass;
        cM[l] = mass;
        mInt += cL[l] * m[l - 1] + cR[l] * m[l] + mass * mbar[l];
        if (warm) mAbs += Math.abs(cL[l] * m[l - 1]) + Math.abs(cR[l] * m[l]) + Math.abs(mass * mbar[l]);
      }
      for (let l = 0; l <= i; l++) {
        this.pair?.node(i, l);
        fp[l] = f.df(C[oi + l]);
      }
      const mi = m[i];
      this.pair?.signal(i);
      const dfm = f.df(mi);
      mu = T + mi * dfm + muInt;
      if (diagonal) {
        // μ from the C equation at the diagonal, ∂t C(t, t) = 0 in the same discretisation as the
        // solved columns: the Γ-averaged formula above differs by ~1e-4 there (README).
        mu = mi * dfm + this.pastIntegrals(G, i) + this.pastB;
      }
      energy = -f.f(mi) - eInt;
      // History integrals for every solved column j ≤ jmax.
      for (let j = 0; j <= jmax; j++) {
        const oj = rowStart(j);
        A[j] = this.pastIntegrals(G, j);
        B[j] = this.pastB;
        I2[j] = 0;
        // d B_j / d C_ij through the last interval of row j (right weight × f''(C_ij)).
        this.pair?.node(i, j);
        dA[j] = j > 0 ? (Xv[oj + j] - X[oj + j]) * f.d2f(C[oi + j]) : 0;
      }
      for (let l = 1; l <= i; l++) {
        const ol = rowStart(l);
        const om = rowStart(l - 1);
        const a = cL[l];
        const b = cR[l];
        const c = cM[l];
        const jl = Math.min(l - 1, jmax);
        for (let j = 0; j <= jl; j++) {
          A[j] += a * C[om + j] + b * C[ol + j] + c * Ch[ol + j];
          I2[j] += a * X[om + j] + b * X[ol + j] + c * Xh[ol + j];
        }
      }
      // Newton update with the Jacobian approximated by its diagonal plus the rank-one coupling
      // through μ (every unknown of the row enters μ; μ multiplies every unknown), inverted by
      // Sherman–Morrison. Diagonal: the implicit BDF2 term, −μ, and the dependence of the
      // history integrals on the unknown itself through the last interval (value at its right
      // end + its 3-point average 5/12), and through f'(C_ij) in the last interval of row j.
      const selfI = cR[i] + (5 / 12) * cM[i];
      const denom = bdf + mu;
      this.pair?.signal(i);
      const d2m = f.d2f(mi);
      const dM = denom - d2m - selfI;
      const rm = (4 * m[i - 1] - m[i - 2]) / (2 * h) + dfm + mInt - denom * mi;
      const gm = dfm + mi * d2m;
      let num = (gm * rm) / dM;
      let den = 1 + (gm * mi) / dM;
      for (let j = 0; j <= jmax; j++) {
        const rc = (4 * C[o1 + j] - C[o2 + j]) / (2 * h) + dfm * m[j] + A[j] + B[j] - denom * C[oi + j];
        const rx = (4 * X[o1 + j] - X[o2 + j]) / (2 * h) + 1 + I2[j] - denom * X[oi + j];
        const dc = denom - selfI - dA[j];
        const dx = denom - selfI - (this.strip ? this.firstInterval(G, j) : 0);
        this.dxj[j] = dx;
        resC[j] = rc;
        resX[j] = rx;
        // ∂μ/∂X_ij and ∂μ/∂C_ij from μ = T + m f'(m) + Σ_l ρ_l Ḡ_l.
        const gx = j === 0 ? dG[1] : dG[j + 1] - dG[j];
        this.pair?.node(i, j);
        const gc =
          0.5 * ((j > 0 ? X[oi + j - 1] - X[oi + j] : 0) + (X[oi + j] - X[oi + j + 1])) * dGdc(C[oi + j]);
        num += (gx * rx) / dx + (gc * rc) / dc;
        den += (gx * X[oi + j]) / dx + (gc * C[oi + j]) / dc;
      }
      const dmu = num / den;
      let change = 0;
      for (let j = 0; j <= jmax; j++) {
        const dc = (resC[j] - C[oi + j] * dmu) / (denom - selfI - dA[j]);
        const dx = (resX[j] - X[oi + j] * dmu) / this.dxj[j];
        newC[j] = C[oi + j] + dc;
        newX[j] = X[oi + j] + dx;
        const s = Math.max(Math.abs(dc), Math.abs(dx) / (1 + Math.abs(X[oi + j])));
        if (s > change) change = s;
      }
      const dmStep = (rm - mi * dmu) / dM;
      // At T > 0, m cannot be resolved below the relative accuracy of the memory sum that sets it
      // (∫R f'' m over the far history, where m was larger): floored there, and left out of
      // Anderson's weights while it is below that floor (a decayed m at 1e-21 weighted by
      // 1/mScale = 1e13 stalled rows of stress case 15: README "T > 0: the strip at large hμ").
      if (warm) mFloor = mAbs / Math.abs(dM);
      const mDen = Math.max(Math.abs(mi), mScale, mFloor);
      const cm = Math.abs(dmStep) / mDen;
      if (cm > change) change = cm;
      // Anderson acceleration of the Newton map (unknowns packed as [C_i·, χ_i·, m_i]).
      const nu = jmax + 1;
      for (let j = 0; j < nu; j++) {
        aaX[j] = C[oi + j];
        aaG[j] = newC[j];
        aaW[j] = 1;
        aaX[nu + j] = X[oi + j];
        aaG[nu + j] = newX[j];
        aaW[nu + j] = 1 / (1 + Math.abs(X[oi + j]));
      }
      aaX[2 * nu] = mi;
      aaG[2 * nu] = mi + dmStep;
      aaW[2 * nu] = warm && Math.abs(mi) <= Math.max(mScale, mFloor) ? 0 : 1 / mDen;
      if (sweeps === 1) anderson.reset(2 * nu + 1);
      anderson.step(aaX, aaG, aaW);
      for (let j = 0; j < nu; j++) {
        C[oi + j] = aaX[j];
        X[oi + j] = aaX[nu + j];
      }
      m[i] = aaX[2 * nu];
      if (diagonal) quadraticBand(G, i, NC);
      this.refreshRowAverages(G, i, NC);
      mbar[i] = (-m[i - 2] + 8 * m[i - 1] + 5 * m[i]) / 12;
      if (!Number.isFinite(change)) break;
      if (change < this.itol) {
        converged = true;
        break;
      }
    }
    // Local error estimate (Milne): BDF2 corrector minus quadratic predictor, times 2/11, on the
    // slow observables m (relative, floored at mScale), μ, and C, χ over the older half of the
    // history (their aging part). Columns near the diagonal are left out: they carry the fast
    // part of C and χ as a function of t − t', stationary, handled by the L-stable BDF2 and the
    // copied band, which a quadratic predictor cannot follow.
    let est = Math.max(
      Math.abs(m[i] - predM) / Math.max(Math.abs(m[i]), mScale, mFloor),
      Math.abs(mu - predMu) / (1 + Math.abs(mu)),
    );
    let cmax = 0;
    for (let j = 0; j <= jmax; j++) {
      const ac = Math.abs(C[oi + j]);
      if (ac > cmax) cmax = ac;
      if (t[j] > 0.5 * t[i]) continue;
      const e = Math.max(
        Math.abs(C[oi + j] - predC[j]),
        Math.abs(X[oi + j] - predX[j]) / (1 + Math.abs(X[oi + j])),
      );
      if (e > est) est = e;
    }
    est *= 2 / 11;
    if (!Number.isFinite(mu) || !Number.isFinite(energy) || !Number.isFinite(m[i])) converged = false;
    return { converged, mu, energy, est, cmax, sweeps };
  }
}
