/**
 * The CHSCK equations of THEORY §3 on an adaptive time-doubling grid, for any temperature T ≥ 0.
 *
 * Variables. Instead of R we store the integrated response χ(t,t') = ∫_{t'}^t R(t,s) ds, so that
 * R(t,s) ds = −d_s χ(t,s): every history integral becomes a Stieltjes sum over grid intervals
 * whose "R-mass" χ(t,t_{l−1}) − χ(t,t_l) is exact however coarse the interval (the fast,
 * short-time part of R just lands in the last interval). Differentiating χ with THEORY §3 gives
 *
 *   ∂t χ(t,t') = 1 − μ(t) χ(t,t') + ∫_{t'}^t R(t,u) f''(C(t,u)) χ(u,t') du.
 *
 * Quadrature on an interval I = [t_{l−1}, t_l] of a product a·b, a the "carrier" R(t,s)·g(C(t,s)),
 * b a slowly or quickly varying factor. We keep, for every stored pair, the point values and the
 * interval averages of C and χ over the first index ("horizontal", Ch, Xh) and over the second
 * ("vertical", Cv, Xv). Decimation merges averages exactly (length-weighted means), so the history
 * keeps what the fine grid knew (THEORY §3, Fuchs et al. 1991; Kim & Latz 2001). The rule
 *
 *   ∫_I a b ≈ wL b(t_{l−1}) + wR b(t_l) + M (b̄ − (b(t_{l−1}) + b(t_l))/2)
 *
 * with M = ∫_I a and wL + wR = M the left/right split of the carrier's mass, is exact both when b
 * is linear on I (whatever a) and when a is constant on I (whatever b) — the two situations that
 * occur near s = t (R fast, b slow) and near s = t' (b fast, R slow). For R(t,·) the split comes
 * from integrating by parts against the vertical average of χ: wR = Xv − χ(t,t_l). The kernel
 * g(C(t,s)) inside the carrier is averaged in C: ḡ = (Γ(C_{l−1}) − Γ(C_l))/(C_{l−1} − C_l), Γ' = g,
 * exact when C is affine in χ on I, i.e. both in the FDT regime (dC = −T dχ) and at T = 0 near
 * the diagonal (C ≈ 1): μ and e then come out right even when the whole fast decay of R sits in
 * one interval.
 *
 * Time stepping. Row i (time t_i) is found by BDF2 in the first time argument with the −μ term
 * implicit. The row is solved self-consistently by Newton steps whose Jacobian is approximated by
 * its diagonal plus the rank-one coupling through μ (Sherman–Morrison), accelerated by Anderson
 * mixing, started from a quadratic extrapolation of the previous rows. Points within a band of
 * the diagonal are not solved but carried along it from the previous row, with their averages.
 * At T > 0 the band is 4 steps wide and aged: the drift in t at fixed lag, measured on the first
 * solved lag, is added (`ageBand` in adaptiveGridRow.ts; without it the copies stay as they were
 * at the last doubling, which biased the aging plateaus, escape times 5 % early). At T = 0 it is
 * carried by the equations, 16 steps wide on the plateau (|m| < 0.1), 4 after the escape: χ by
 * its exact drift along the diagonal (`diagonalDrift`), C by 1 − C ∝ τ² anchored on the first
 * solved lag (`quadraticBand`), and μ is read from the C equation at the diagonal, so that the
 * solved lags next to the band feel no spurious drift (escape time of the flagship 426.0 → 432.8
 * against the fixed grid's 433.3).
 *
 * Error control. Corrector minus predictor estimates the BDF2 local error (Milne's device, factor
 * 2/11) on m (relative, down to 1e-8 of its largest value so far: a decaying m needs no relative
 * accuracy at 1e-20), μ and on C, χ over the older half of the history. When the window is full,
 * the step doubles (every other point dropped, averages merged) if 8× the largest estimate of
 * the cycle — the local error after doubling — stays below `tol`. Otherwise the step is kept and
 * the window grows by half its size, up to `maxWindow` points; once there the step is doubled
 * regardless (reported in the stats and as a warning, unless m and μ are stationary), except
 * right after a rejection and through the jump of m (from when |m| ≥ 1e-3 rises until μ has
 * settled), when the far history is thinned instead (aging-aware: the nodes whose merged
 * interval is shortest relative to their distance from the present go first, so the old history
 * ends up on a geometric grid) and the step is kept. Memory is independent of t.
 *
 * Step rejection. Before each doubling the grid is saved (a stack of the last few). A step that
 * does not converge or loses accuracy (|C| > 1, non-finite values) rolls the run back to the last
 * saved grid, i.e. to half the step, and doubling is then refused for a while (twice as long after
 * each rejection in a row), and never again to the failed step: while m is on its plateau the cap
 * holds to the end (the window is kept full by thinning the far history, so the cost grows
 * linearly in t beyond it), after the jump it expires once the time has doubled. Only when no
 * saved grid is left does the run end, with status 'partial', everything up to the last accepted
 * step and the reason.
 *
 * Equilibrium (T > 0). Where a step cap holds, once m and μ are stationary, the last rows
 * time-translation invariant, FDT holds up to lag t/2 and m = 0 is stable where m has decayed
 * (`adaptiveGridEquilibrium.ts`), the state is a fixed point of the dynamics and is continued to
 * tmax instead of solved at the capped step: where the stationary part of C has a slow tail, the
 * T > 0 discretisation does not stand steps with hμ much above ~50, so solving on would cost
 * linearly in t (README "T > 0: cost").
 *
 * Aging at T > 0 (README "T > 0: aging"). A doubling after which the FDT residual of the
 * near-diagonal strip grew by more than × 2 at equal lags is rolled back like a failed row (the
 * aging state of stress case 2 jumps there, C(t, t/2) 0.61 → 0.39, with every estimate small).
 * With m ≈ 0, once the far history has been thinned, a rise of C(t, t/2) by 0.03 above its lowest
 * value ends the run `partial` with the results up to that point. While aging (m ≈ 0, FDT violated
 * at lag t/2) the step doubles only up to hμ ≤ 48 and, beyond hμ = 8, only at t/h ≥ 240 for the
 * doubled step; the full window is then thinned from both ends, which keeps the aging state
 * from drifting (README "T > 0: thinning").
 */

import { AnnealedPairs } from './adaptiveAnneal.ts';
import {
  equilibriumTest,
  halfAgeCorrelation,
  isEquilibrium,
  stripResidual,
} from './adaptiveGridEquilibrium.ts';
import { AGED_BAND, NC, PLATEAU_BAND, RISING_M, RowSolver } from './adaptiveGridRow.ts';
import { Grid, rowStart } from './adaptiveGridStore.ts';
import { gradientFlowCut } from './agingBounds.ts';
import { adaptiveGridCheckpoint, restoreAdaptiveGrid } from './checkpoint.ts';
import type { DynamicsOptions, DynamicsResult, DynamicsStatus } from './types.ts';

/** Saved grids kept for rejection (each up to 6 triangles of maxWindow). */
const SAVED = 3;
/**
 * A step cap learned from a failed row is permanent while |m| stays below this (the aging plateau
 * of THEORY §3, where the discretisation goes unstable above a fixed step, README "Long plateaus").
 */
const CAP_RELEASE_M = 0.5;
/**
 * While |m| is at least RISING_M (adaptiveGridRow.ts) and grew by more than SETTLED of itself over
 * the last cycle (the jump from the plateau to the end state, THEORY §3), a full window is thinned
 * instead of doubling the step against the error estimate (src/dmft/README.md, "Through the jump").
 */
const SETTLED = 1e-3;
/** Relative floor of |m| in the error of m (THEORY §3: m → 0 in the paramagnet). */
const M_FLOOR = 1e-8;
/**
 * At T > 0, FDT residual allowed at lags ≤ t/2 in an established equilibrium (the stress
 * check's level, stress.ts; the discretisation's own residual there is ~1e-4, README "T > 0: cost").
 */
const EQUILIBRIUM_FDT = 1e-3;
/** Consecutive window decisions at which the equilibrium must hold before it is continued. */
const EQUILIBRIUM_HITS = 2;
/**
 * At T > 0, the strip FDT residual (`stripResidual`) is compared over lags up to STRIP_LAGS new
 * steps before a doubling and at the first decision after it; a doubling that makes it grow by
 * more than STRIP_JUMP (and beyond STRIP_FLOOR, the stress check's level) is rejected. Measured on
 * stress case 2 (README "T > 0: aging"): accepted doublings change it by × 0.65–1.2 at equal lag,
 * the doubling to h = 33.6 at which the aging state jumps by × 2.7.
 */
const STRIP_LAGS = 16;
const STRIP_JUMP = 2;
const STRIP_FLOOR = 1e-3;
/**
 * At T > 0 with m ≈ 0 (|m| < RISING_M) C(t, t/2) does not rise: it decays in the paramagnet and,
 * while aging, slowly towards its scaling limit (stress case 2: 0.667 at t = 80, 0.609 at 5700).
 * A rise by more than this above its lowest value since the far history was first thinned is a
 * solution that drifted (case 2 thinned under its cap: 0.610 → 0.64 by t = 10⁴, 0.82 by 2.6·10⁴;
 * README "T > 0: aging"); the run ends `partial` with the results up to the lowest value. 0.03,
 * not the 0.01 of session 7: stress case 5 at the defaults leaves a low branch before any thinning
 * (C(t, t/2) = 0.4487 at t = 4320, window 64: 0.4756) and rises back by 0.0137 within 1100 time
 * units, towards the window-64 values (0.4615 at 1.5·10⁴ with this rule off; README "T > 0:
 * thinning"); the drift of session 7 passed 0.03 within 2000 time units of its first thinning.
 */
const HALF_AGE_RISE = 0.03;
/**
 * T > 0 aging (m ≈ 0, FDT violated at lag t/2 by more than EQUILIBRIUM_FDT): a doubling may not
 * make hμ exceed AGING_HMU (stress case 2 jumps to a wrong state at hμ ≈ 159, at hμ ≈ 80 its strip
 * residual is 6e-3; h = 8.39 at μ = 4.73 is hμ = 40), and, once hμ is above AGING_FROM_HMU, it
 * leaves at least AGING_LAGS steps per t (case 2 doubled to hμ = 40 at t/h = 170 and stayed 0.016
 * low in C(t, t/2); with t/h ≥ 240 after each doubling it is within 6e-4 of window 256 at t = 8590;
 * README "T > 0: aging", "T > 0: thinning"). Below hμ = 8 the doublings of every T > 0 row are as
 * before.
 */
const AGING_HMU = 48;
const AGING_LAGS = 240;
const AGING_FROM_HMU = 8;

/**
 * Length of the initial uniform window: the short-time expansion C = 1 − Tτ, χ = τ holds while
 * τ × (the fastest rate T + f'(1) + f''(1) + |μ(0)|) ≪ 1 (error O((rate·t0)²) ≤ 1e-8).
 */
export function defaultT0(o: DynamicsOptions): number {
  const f = o.covariance;
  const rate = o.temperature + f.df(1) + f.d2f(1) + Math.abs(o.m0 * f.df(o.m0));
  return Math.min(1e-6, o.tmax / 4, 1e-4 / Math.max(rate, 1e-300));
}

/**
 * The adaptive solver behind `solveDynamics` for `grid.kind === 'adaptive'` (options not
 * validated here), as a generator that yields the current time after every step; the return
 * value is the result.
 */
export function* adaptiveGridSteps(o: DynamicsOptions): Generator<number, DynamicsResult, void> {
  if (o.grid.kind !== 'adaptive') throw new Error('solveAdaptiveGrid needs an adaptive grid');
  const W = o.grid.window ?? 128;
  const tol = o.grid.tol ?? 1e-7;
  const legacy = o.grid.legacy === true;
  const t0 = o.grid.t0 ?? (legacy ? Math.min(1e-6, o.tmax / 4) : defaultT0(o));
  const f = o.covariance;
  const T = o.temperature;
  const tmax = o.tmax;
  // Nominal window W; it may grow to maxWindow while the error estimate forbids doubling the step.
  const maxNodes = o.grid.maxWindow ?? 4 * W;
  let target = W;
  let grown = 0;
  let forced = 0;
  let thinnings = 0;
  let rejections = 0;
  const G = new Grid(maxNodes);
  const saved: Grid[] = [];
  const savedOut: number[] = [];
  const spare: Grid[] = [];
  const { t, m, mbar, C, X, Ch, Xh, Cv, Xv } = G;
  const muG = G.mu;

  // Outputs: every accepted node, in time order.
  const outT: number[] = [];
  const outM: number[] = [];
  const outMu: number[] = [];
  const outE: number[] = [];

  // Initial window [0, t0]: short-time expansion C = 1 − T τ, χ = τ, m linear (errors O(t0²)).
  const n0 = W / 2;
  const h0 = t0 / n0;
  G.h = h0;
  // Annealing (adaptiveAnneal.ts): the row solver's f is selected per pair; on [0, t0] the factors
  // are taken at t = 0 (they change by O(t0/τ), below the expansion's own error).
  const pair = o.anneal ? new AnnealedPairs(f, o.anneal, maxNodes) : undefined;
  const fs = pair ? pair.at(0) : f;
  const f00 = pair ? pair.at(0, 0) : f;
  const mu0 = T + o.m0 * fs.df(o.m0);
  const dm0 = -mu0 * o.m0 + fs.df(o.m0);
  const g1 = f00.df(1) + f00.d2f(1);
  for (let i = 0; i <= n0; i++) {
    t[i] = i * h0;
    m[i] = o.m0 + dm0 * t[i];
    mbar[i] = o.m0 + dm0 * (t[i] - h0 / 2);
    const oi = rowStart(i);
    for (let j = 0; j <= i; j++) {
      const tau = t[i] - t[j];
      C[oi + j] = 1 - T * tau;
      X[oi + j] = tau;
      Ch[oi + j] = 1 - T * (tau - h0 / 2);
      Xh[oi + j] = tau - h0 / 2;
      Cv[oi + j] = 1 - T * (tau + h0 / 2);
      Xv[oi + j] = tau + h0 / 2;
    }
    // μ and e to first order in t: R ≈ 1 on [0, t].
    outT.push(t[i]);
    outM.push(m[i]);
    muG[i] = T + m[i] * fs.df(m[i]) + t[i] * g1;
    outMu.push(muG[i]);
    outE.push(-fs.f(m[i]) - t[i] * f00.df(1));
  }
  G.n = n0;
  const aged = !legacy && o.grid.ageBand !== false;
  const band = o.grid.band ?? (aged ? AGED_BAND : NC);
  const row = new RowSolver(pair?.current ?? f, T, tol, maxNodes, band, aged, PLATEAU_BAND, pair);

  let status: DynamicsStatus = 'ok';
  let message: string | undefined;
  let steps = 0;
  let doublings = 0;
  let sweepsTotal = 0;
  let maxSweeps = 0;
  let cycleMaxEst = 0;
  let runMaxEst = 0;
  // Last step at which the grid was doubled or thinned.
  let lastChange = -10;
  let finished = false;
  let mMax = Math.abs(o.m0);
  // Doubling refused until this step (after a rejection), and the current back-off.
  let noDoubleUntil = -1;
  let backoff = 1;
  // The last accepted step, for 'partial'.
  let lastGood = outT.length;

  // A step at which a row failed is not reached again by any doubling: a learned cap on the step.
  // On a plateau (|m| < CAP_RELEASE_M) it holds for the rest of the run, the window being kept
  // full by thinning the far history (cost linear in t beyond the cap); once m has left the
  // plateau it expires when the time has doubled since the failure (the end state tolerates
  // larger steps).
  let ceiling = Number.POSITIVE_INFINITY;
  let ceilingUntil = 0;
  // Where the cap was last lowered (the failed row's time), for the stats.
  let capFrom = -1;
  let capStep = 0;

  /** Rolls back to the last saved grid; false when none is left. */
  const rollBack = (): boolean => {
    const g = saved.pop();
    const len = savedOut.pop();
    if (g === undefined || len === undefined) return false;
    ceiling = Math.min(ceiling, G.h);
    ceilingUntil = Math.max(ceilingUntil, 2 * t[G.n + 1]);
    capFrom = t[G.n + 1];
    capStep = ceiling / 2;
    G.copyFrom(g);
    spare.push(g);
    outT.length = len;
    outM.length = len;
    outMu.length = len;
    outE.length = len;
    mMax = 0;
    for (const v of outM) mMax = Math.max(mMax, Math.abs(v));
    rejections++;
    noDoubleUntil = steps + backoff * (W / 2);
    stripBefore = -1;
    cHalfMin = Number.POSITIVE_INFINITY;
    backoff *= 2;
    cycleMaxEst = 0;
    // The saved grid is a full window at half the step: make room without doubling.
    target = G.n;
    return true;
  };

  let lastProgress = -1;
  // m and μ at the last full-window decision; the jump: 2 when m rises, one less at each decision
  // at which μ has settled (README "Through the jump").
  let mLastDecision = o.m0;
  let muLastDecision = 0;
  let inJump = 0;
  // Consecutive decisions at which an equilibrium was found (T > 0), and when it was continued.
  let eqHits = 0;
  let equilibriumFrom = -1;
  // At T > 0 the strip FDT residual at the last doubling (−1: no doubling to check).
  let stripBefore = -1;
  let stripFrom = 0;
  let stripRejections = 0;
  // At T > 0 with m ≈ 0: the lowest C(t, t/2) at a decision so far and the outputs up to it.
  let cHalfMin = Number.POSITIVE_INFINITY;
  let cHalfOut = 0;
  const watchStrip = T > 0 && !legacy && !o.anneal;
  const continueEquilibrium = T > 0 && !legacy && !o.anneal && o.grid.equilibrium !== false;
  // Checkpoints (checkpoint.ts): the stores generically, these counters by name.
  const parts = {
    G,
    saved,
    savedOut,
    row,
    outputs: [outT, outM, outMu, outE],
    newGrid: () => new Grid(maxNodes),
  };
  // biome-ignore format: one list
  const counters = () => ({ target, grown, forced, thinnings, rejections, steps, doublings, sweepsTotal, maxSweeps, cycleMaxEst, runMaxEst, lastChange, mMax, noDoubleUntil, backoff, lastGood, ceiling, ceilingUntil, capFrom, capStep, lastProgress, mLastDecision, muLastDecision, inJump, eqHits, stripBefore, stripFrom, stripRejections, cHalfMin, cHalfOut });
  // biome-ignore format: the same list
  if (o.resume) ({ target, grown, forced, thinnings, rejections, steps, doublings, sweepsTotal, maxSweeps, cycleMaxEst, runMaxEst, lastChange, mMax, noDoubleUntil, backoff, lastGood, ceiling, ceilingUntil, capFrom, capStep, lastProgress, mLastDecision, muLastDecision, inJump, eqHits, stripBefore, stripFrom, stripRejections, cHalfMin, cHalfOut } = restoreAdaptiveGrid(o.resume, parts));
  while (!finished) {
    // Fill the window.
    while (G.n < target) {
      const out = row.solve(G, legacy ? 1e-300 : Math.max(M_FLOOR * mMax, 1e-300));
      const i = G.n + 1;
      steps++;
      sweepsTotal += out.sweeps;
      if (out.sweeps > maxSweeps) maxSweeps = out.sweeps;
      const afterChange = steps - lastChange <= 4;
      const lost = !out.converged || out.cmax > 1 + 1e-2;
      if (lost) {
        if (!legacy && rollBack()) break;
        status = 'partial';
        message = !out.converged
          ? `self-consistent iteration did not converge at t = ${t[i].toPrecision(4)} (step ${G.h.toPrecision(3)})`
          : `loss of accuracy at t = ${t[i].toPrecision(4)} (|C| > 1) with step ${G.h.toPrecision(3)}`;
        message += `, no smaller step left to retry from; try a smaller --tol (now ${tol}) or a larger --window (now ${W})`;
        finished = true;
        break;
      }
      // The first steps after a doubling or thinning carry the one-off change of quadrature error
      // between the two grids (a jump of relative size ~1e-5 in μ, not a truncation error that
      // accumulates): they do not count towards the next decision.
      if (out.est > cycleMaxEst && !afterChange) cycleMaxEst = out.est;
      if (out.est > runMaxEst) runMaxEst = out.est;
      G.n = i;
      muG[i] = out.mu;
      if (Math.abs(m[i]) > mMax) mMax = Math.abs(m[i]);
      outT.push(t[i]);
      outM.push(m[i]);
      outMu.push(out.mu);
      outE.push(out.energy);
      lastGood = outT.length;
      if (o.onProgress && t[i] >= lastProgress * 1.02) {
        lastProgress = t[i];
        o.onProgress(t[i], m[i], out.mu, out.energy);
      }
      if (t[i] >= tmax) {
        finished = true;
        break;
      }
      if (o.shouldStop?.()) {
        status = 'stopped';
        message = `stopped by the caller at t = ${t[i].toPrecision(4)}`;
        finished = true;
        break;
      }
      yield t[i];
    }
    if (finished) break;
    if (o.onCheckpoint && (o.checkpointDue?.() ?? true))
      o.onCheckpoint(adaptiveGridCheckpoint(t[G.n], counters(), parts));
    // T > 0: a doubling after which the strip FDT residual jumped let the state jump (aging below
    // the critical temperature, README "T > 0: aging"): roll back to the grid saved before it.
    if (watchStrip && stripBefore >= 0) {
      const now = stripResidual(G, T, STRIP_LAGS * G.h);
      const was = stripBefore;
      stripBefore = -1;
      if (now > STRIP_JUMP * Math.max(was, STRIP_FLOOR)) {
        const h = G.h;
        if (rollBack()) {
          stripRejections++;
          continue;
        }
        status = 'partial';
        message = `the FDT residual near the diagonal grew from ${was.toExponential(2)} to ${now.toExponential(2)} after the step was doubled to ${h.toPrecision(3)} (t = ${t[G.n].toPrecision(4)}), no smaller step left to retry from`;
        lastGood = stripFrom;
        break;
      }
    }
    // T > 0, m ≈ 0: C(t, t/2) rose well above its lowest value: the solution drifted (README
    // "T > 0: aging": measured only under a cap with the far history thinned, where a retry at a
    // smaller step drifts again): end with the results up to that lowest point.
    if (watchStrip && Math.abs(m[G.n]) < RISING_M) {
      const c = halfAgeCorrelation(G);
      // Watched from the first thinning on (before it, C(t, t/2) of stress case 5 at the defaults
      // wobbles by 0.01 against window 256 at equal μ, README "T > 0: aging").
      if (c < cHalfMin || thinnings === 0) {
        cHalfMin = c;
        cHalfOut = outT.length;
      } else if (c > cHalfMin + HALF_AGE_RISE) {
        status = 'partial';
        message = `C(t, t/2) rose from ${cHalfMin.toFixed(4)} (t = ${outT[cHalfOut - 1].toPrecision(4)}) to ${c.toFixed(4)} at t = ${t[G.n].toPrecision(4)} (step ${G.h.toPrecision(3)}, ${thinnings} thinning(s)) although m ≈ 0: the solution drifted`;
        lastGood = cHalfOut;
        break;
      }
    }
    // Window full. Double the step if the local error at twice the step stays within tol;
    // otherwise keep the step: grow the window, then thin the far history.
    if (t[G.n] > ceilingUntil && (legacy || Math.abs(m[G.n]) >= CAP_RELEASE_M))
      ceiling = Number.POSITIVE_INFINITY;
    // T > 0 aging (m ≈ 0, FDT violated at lag t/2): the step doubles only while the new one stands
    // in the strip (2hμ ≤ AGING_HMU) and leaves AGING_LAGS steps per t (README "T > 0: thinning").
    const hmu = 2 * G.h * Math.abs(muG[G.n]);
    const agingHold =
      watchStrip &&
      o.grid.agingStep !== false &&
      Math.abs(m[G.n]) < RISING_M &&
      (hmu > AGING_HMU || (hmu > AGING_FROM_HMU && t[G.n] < 2 * AGING_LAGS * G.h)) &&
      stripResidual(G, T, t[G.n] / 2) > EQUILIBRIUM_FDT;
    const locked = steps < noDoubleUntil || 2 * G.h >= ceiling * (1 - 1e-9) || agingHold;
    // A capped T = 0 run keeps the thinned-interval trapezoid through the jump (README "Thinning
    // from both ends"): a capped run reaches the jump with a thinned history.
    row.capped = !legacy && T === 0 && Number.isFinite(ceiling);
    const allowed = 8 * cycleMaxEst <= tol && !locked;
    const full = target + W / 2 > maxNodes;
    // The jump (README "Through the jump"): from when m rises (|m| ≥ RISING_M, grown by more than
    // SETTLED of itself since the last decision) until μ has settled twice in a row (changed by at
    // most SETTLED, relative), the step is not doubled against the estimate; the far history is
    // thinned instead. Settled, the estimate lets the step double again.
    const am = Math.abs(m[G.n]);
    const dm = Math.abs(m[G.n] - mLastDecision);
    const dmu = Math.abs(muG[G.n] - muLastDecision);
    const rising = !legacy && am >= RISING_M && am - Math.abs(mLastDecision) > SETTLED * am;
    if (rising) inJump = 2;
    else if (dmu <= SETTLED * (1 + Math.abs(muG[G.n]))) inJump = Math.max(0, inJump - 1);
    // Stationary (m and μ moved by at most 10 tol over the cycle, e.g. the end state): the
    // estimate is the self-consistent solve's residual (tolerance tol/10), not a truncation error,
    // so a doubling there is not counted as forced.
    const stationary = !legacy && dm <= 10 * tol * am && dmu <= 10 * tol * (1 + Math.abs(muG[G.n]));
    // At T > 0 under a step cap, an equilibrium (README "T > 0: cost"): time-translation invariant
    // over the last rows, FDT up to lag t/2, m and μ stationary (m ≈ 0: stationary at its floor
    // and stable), at two decisions in a row. A fixed point of the dynamics: continued to tmax
    // (without a cap the run costs log t anyway, and its later rows are the more accurate).
    if (continueEquilibrium && inJump === 0 && ceiling < Number.POSITIVE_INFINITY) {
      // Never looser than at the default tol (a loose tol is for tests of the step control).
      const still10 = 10 * Math.min(tol, 1e-7);
      const floor = M_FLOOR * mMax;
      const still = dm <= still10 * Math.max(am, floor) && dmu <= still10 * (1 + Math.abs(muG[G.n]));
      const eq = still && isEquilibrium(equilibriumTest(G, T, f), still10, EQUILIBRIUM_FDT, am < floor);
      eqHits = eq ? eqHits + 1 : 0;
    } else eqHits = 0;
    if (eqHits >= EQUILIBRIUM_HITS) {
      equilibriumFrom = t[G.n];
      const last = outT.length - 1;
      for (let s = 2 * t[G.n]; ; s *= 2) {
        outT.push(Math.min(s, tmax));
        outM.push(outM[last]);
        outMu.push(outMu[last]);
        outE.push(outE[last]);
        if (s >= tmax) break;
      }
      lastGood = outT.length;
      o.onProgress?.(tmax, outM[last], outMu[last], outE[last]);
      break;
    }
    mLastDecision = m[G.n];
    muLastDecision = muG[G.n];
    cycleMaxEst = 0;
    if (allowed || (full && !locked && !inJump)) {
      if (!allowed && !stationary) forced++;
      if (!legacy) {
        let g = spare.pop();
        if (saved.length === SAVED) {
          g = saved.shift();
          savedOut.shift();
        }
        g ??= new Grid(maxNodes);
        g.copyFrom(G);
        saved.push(g);
        savedOut.push(outT.length);
      }
      if (watchStrip) {
        stripBefore = stripResidual(G, T, 2 * STRIP_LAGS * G.h);
        stripFrom = outT.length;
      }
      G.halve();
      doublings++;
      lastChange = steps;
      if (steps > noDoubleUntil + W) backoff = 1;
      target = Math.min(maxNodes, Math.max(W, G.n + W / 2));
      continue;
    }
    if (target + W / 2 <= maxNodes) {
      target += W / 2;
      grown++;
      continue;
    }
    // Window at maxWindow after a rejection or while m rises: thin the far history, keeping the
    // recent half at the current step; at T = 0 on the plateau, and beyond it while the step is
    // locked (a rejection), the earliest history on a geometric grid too (`thin`: merging it
    // kicked μ by 4–5e-4 on a p = 4 plateau whose gap is ~1e-3, README "Thinning from both ends";
    // in the jump rule's thinnings it moved the flagship's escape by +0.09 % and tripled stress
    // case 6's cost, so not there).
    // At T > 0 with m ≈ 0 (aging or a paramagnet) from both ends too: merged at distance t − t′
    // only, the earliest history of a capped aging run drifted (C(t, t/2) of stress case 2 up by
    // 0.01 within a few thinnings; README "T > 0: thinning").
    const fromStart =
      !legacy &&
      (T === 0 ? Math.abs(m[G.n]) < RISING_M || locked : watchStrip && Math.abs(m[G.n]) < RISING_M);
    const dropped = G.thin(W / 2, Math.max(maxNodes / 2, Math.max(band, PLATEAU_BAND) + 4), fromStart);
    thinnings++;
    lastChange = steps;
    target = G.n + dropped;
    if (dropped === 0) {
      status = 'partial';
      message = `no far history left to thin at t = ${t[G.n].toPrecision(4)}: try a larger --window (now ${W})`;
      break;
    }
  }
  const h = G.h;

  // Trim to tmax: quadratic interpolation through the last three outputs.
  let count = outT.length;
  if (status === 'ok' && outT[count - 1] > tmax) {
    const x0 = outT[count - 3];
    const x1 = outT[count - 2];
    const x2 = outT[count - 1];
    const lag = (y: number[]): number => {
      const y0 = y[count - 3];
      const y1 = y[count - 2];
      const y2 = y[count - 1];
      const s = tmax;
      return (
        (y0 * (s - x1) * (s - x2)) / ((x0 - x1) * (x0 - x2)) +
        (y1 * (s - x0) * (s - x2)) / ((x1 - x0) * (x1 - x2)) +
        (y2 * (s - x0) * (s - x1)) / ((x2 - x0) * (x2 - x1))
      );
    };
    const mEnd = lag(outM);
    const muEnd = lag(outMu);
    const eEnd = lag(outE);
    outT[count - 1] = tmax;
    outM[count - 1] = mEnd;
    outMu[count - 1] = muEnd;
    outE[count - 1] = eEnd;
  }
  count = Math.min(outT.length, lastGood);
  if (status === 'partial' && T === 0 && !legacy && !o.anneal) {
    // The rows accepted just before a failure can already be wrong: keep what obeys the exact
    // gradient-flow bounds (agingBounds.ts).
    const cut = gradientFlowCut(f, o.m0, outT, outM, outMu, outE, count);
    message += cut.note;
    count = cut.count;
  }
  if (status === 'partial' && count > 0) message += `: results up to t = ${outT[count - 1].toPrecision(4)}`;
  if (equilibriumFrom >= 0)
    message =
      `equilibrium from t = ${equilibriumFrom.toPrecision(4)} (time-translation invariant, FDT, m and μ ` +
      'stationary): continued to tmax by time-translation invariance';
  if (status === 'ok' && forced > 0)
    message =
      (message === undefined ? '' : `${message}; `) +
      `the step was doubled ${forced} time(s) although the error estimate forbade it (window full at ` +
      `${maxNodes} points): results may be less accurate than tol; enlarge the window (now ${W})`;
  const result: DynamicsResult = {
    t: Float64Array.from(outT.slice(0, count)),
    m: Float64Array.from(outM.slice(0, count)),
    mu: Float64Array.from(outMu.slice(0, count)),
    energy: Float64Array.from(outE.slice(0, count)),
    stats: {
      status,
      ...(message === undefined ? {} : { message }),
      steps,
      doublings,
      windowGrowths: grown,
      forcedDoublings: forced,
      thinnings,
      rejections,
      ...(stripRejections > 0 ? { stripRejections } : {}),
      ...(capFrom >= 0 ? { stepCap: capStep, stepCapFrom: capFrom } : {}),
      ...(equilibriumFrom >= 0 ? { equilibriumFrom } : {}),
      maxLocalError: runMaxEst,
      finalStep: h,
      meanSweeps: steps > 0 ? sweepsTotal / steps : 0,
      maxSweeps,
      storedFloats: 6 * rowStart(maxNodes + 1) * (legacy ? 1 : 1 + SAVED),
    },
  };
  if (!o.saveCorrelations) return result;
  const n = G.n + 1;
  const Cd = new Float64Array(n * n);
  const Rd = new Float64Array(n * n);
  const chi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = rowStart(i);
    for (let j = 0; j <= i; j++) {
      Cd[i * n + j] = C[oi + j];
      Cd[j * n + i] = C[oi + j];
      chi[i * n + j] = X[oi + j];
      if (j > 0) Rd[i * n + j] = (X[oi + j - 1] - X[oi + j]) / (t[j] - t[j - 1]);
    }
  }
  return { ...result, correlations: { times: t.slice(0, n), C: Cd, R: Rd, chi } };
}

/**
 * The adaptive-grid solver (THEORY §3) without option validation; use `solveDynamics`.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
 * const r = solveAdaptiveGrid({ covariance, temperature: 0, m0: 0.1, tmax: 40, grid: { kind: 'adaptive' } });
 * r.m[r.m.length - 1]; // ≈ 0.85488, gradientFlowEndState(covariance).m
 */
export function solveAdaptiveGrid(o: DynamicsOptions): DynamicsResult {
  const steps = adaptiveGridSteps(o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
