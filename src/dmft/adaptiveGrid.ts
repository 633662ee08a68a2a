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
 * mixing, started from a quadratic extrapolation of the previous rows. Points within Nc = 4 steps
 * of the diagonal are copied from the previous row (time-translation invariance of the fast part),
 * as are their averages; each doubling refreshes them from points that were solved.
 *
 * Error control. Corrector minus predictor estimates the BDF2 local error (Milne's device, factor
 * 2/11) on m, μ and on C, χ over the older half of the history. When the window is full, the step doubles (every other point
 * dropped, averages merged) only if 8× the largest estimate of the cycle — the local error after
 * doubling — stays below `tol`. Otherwise the step is kept and the window grows by half its size,
 * up to `maxWindow` points (memory independent of t); only there is the step doubled regardless,
 * which the stats report. This keeps the step small through the jump of m, when the dynamics is
 * fast again, and lets it grow again once m has converged.
 */
import { Anderson } from './anderson.ts';
import type { DynamicsOptions, DynamicsResult, DynamicsStatus } from './types.ts';

const rowStart = (i: number): number => (i * (i + 1)) / 2;
/** Near-diagonal band copied by time-translation invariance. */
const NC = 4;
const MAX_SWEEPS = 400;

/**
 * Average over [x1, x2] (`right`) or [x0, x1] (`!right`) of the parabola through (x0,y0),
 * (x1,y1), (x2,y2). With equal spacing and `right` it is (−y0 + 8y1 + 5y2)/12.
 */
function parabolaAverage(
  x0: number,
  x1: number,
  x2: number,
  y0: number,
  y1: number,
  y2: number,
  right: boolean,
): number {
  const a = x1 - x0;
  const b = x2 - x1;
  const c2 = ((y2 - y1) / b + (y0 - y1) / a) / (a + b);
  const c1 = (y2 - y1) / b - c2 * b;
  return right ? y1 + (c1 * b) / 2 + (c2 * b * b) / 3 : y1 - (c1 * a) / 2 + (c2 * a * a) / 3;
}

/** The kernels g and their antiderivatives Γ used in the C-averaged carriers. */
interface Kernels {
  /** f'' and its antiderivative f'. */
  d2(c: number): number;
  d1(c: number): number;
  /** G(c) = f'(c) + c f''(c) = (c f'(c))' and its antiderivative c f'(c). */
  g(c: number): number;
  cf1(c: number): number;
  f(c: number): number;
}

/** Divided difference (Γ(a) − Γ(b))/(a − b), the mean of Γ' over [b, a]; Γ'(mid) when a ≈ b. */
function meanOf(gamma: (c: number) => number, deriv: (c: number) => number, a: number, b: number): number {
  const d = a - b;
  if (Math.abs(d) < 1e-7) return deriv(0.5 * (a + b));
  return (gamma(a) - gamma(b)) / d;
}

class Grid {
  readonly cap: number;
  n = 0; // index of the last node
  readonly t: Float64Array;
  readonly m: Float64Array;
  /** μ at the nodes (for the predictor of the error estimate). */
  readonly mu: Float64Array;
  /** Interval average of m over [t_{l−1}, t_l]. */
  readonly mbar: Float64Array;
  readonly C: Float64Array;
  readonly X: Float64Array;
  readonly Ch: Float64Array;
  readonly Xh: Float64Array;
  readonly Cv: Float64Array;
  readonly Xv: Float64Array;

  constructor(cap: number) {
    this.cap = cap;
    const size = rowStart(cap + 1);
    this.t = new Float64Array(cap + 1);
    this.m = new Float64Array(cap + 1);
    this.mu = new Float64Array(cap + 1);
    this.mbar = new Float64Array(cap + 1);
    this.C = new Float64Array(size);
    this.X = new Float64Array(size);
    this.Ch = new Float64Array(size);
    this.Xh = new Float64Array(size);
    this.Cv = new Float64Array(size);
    this.Xv = new Float64Array(size);
  }

  /**
   * Drop every node whose `keep` flag is false (never two neighbours, never the first or last),
   * merging the interval averages of the two intervals around each dropped node with length
   * weights: the merged average is the exact average over the union.
   */
  compact(keep: Uint8Array): void {
    const n = this.n;
    const { t, m, mu, mbar, C, X, Ch, Xh, Cv, Xv } = this;
    // Step 1, horizontal averages and mbar: a dropped node r merges row r into row r+1.
    // Step 2, vertical averages: a dropped column r merges into column r+1. Both done in place
    // before renumbering.
    for (let r = 1; r < n; r++) {
      if (keep[r]) continue;
      const la = t[r] - t[r - 1];
      const lb = t[r + 1] - t[r];
      const wa = la / (la + lb);
      const wb = 1 - wa;
      mbar[r + 1] = wa * mbar[r] + wb * mbar[r + 1];
      const or = rowStart(r);
      const on = rowStart(r + 1);
      for (let j = 0; j < r; j++) {
        Ch[on + j] = wa * Ch[or + j] + wb * Ch[on + j];
        Xh[on + j] = wa * Xh[or + j] + wb * Xh[on + j];
      }
      for (let i = r + 1; i <= n; i++) {
        const oi = rowStart(i);
        Cv[oi + r + 1] = wa * Cv[oi + r] + wb * Cv[oi + r + 1];
        Xv[oi + r + 1] = wa * Xv[oi + r] + wb * Xv[oi + r + 1];
      }
    }
    // Renumber: rows and columns of kept nodes, in increasing order (in place is safe since the
    // new index never exceeds the old one).
    let ni = 0;
    for (let i = 0; i <= n; i++) {
      if (!keep[i]) continue;
      const oi = rowStart(i);
      const on = rowStart(ni);
      let nj = 0;
      for (let j = 0; j <= i; j++) {
        if (!keep[j]) continue;
        C[on + nj] = C[oi + j];
        X[on + nj] = X[oi + j];
        Ch[on + nj] = Ch[oi + j];
        Xh[on + nj] = Xh[oi + j];
        Cv[on + nj] = Cv[oi + j];
        Xv[on + nj] = Xv[oi + j];
        nj++;
      }
      t[ni] = t[i];
      m[ni] = m[i];
      mu[ni] = mu[i];
      mbar[ni] = mbar[i];
      ni++;
    }
    this.n = ni - 1;
  }
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
  const t0 = o.grid.t0 ?? Math.min(1e-6, o.tmax / 4);
  const f = o.covariance;
  const T = o.temperature;
  const tmax = o.tmax;
  const k: Kernels = {
    d2: (c) => f.d2f(c),
    d1: (c) => f.df(c),
    g: (c) => f.df(c) + c * f.d2f(c),
    cf1: (c) => c * f.df(c),
    f: (c) => f.f(c),
  };
  // Nominal window W; it may grow to maxWindow while the error estimate forbids doubling the step.
  const maxNodes = o.grid.maxWindow ?? 4 * W;
  let target = W;
  let grown = 0;
  let forced = 0;
  const G = new Grid(maxNodes);
  const { t, m, mbar, C, X, Ch, Xh, Cv, Xv } = G;
  const muG = G.mu;

  // Outputs: every node ever computed, in time order.
  const outT: number[] = [];
  const outM: number[] = [];
  const outMu: number[] = [];
  const outE: number[] = [];

  // Initial window [0, t0]: short-time expansion C = 1 − T τ, χ = τ, m linear (errors O(t0²)).
  const n0 = W / 2;
  let h = t0 / n0;
  const mu0 = T + o.m0 * f.df(o.m0);
  const dm0 = -mu0 * o.m0 + f.df(o.m0);
  for (let i = 0; i <= n0; i++) {
    t[i] = i * h;
    m[i] = o.m0 + dm0 * t[i];
    mbar[i] = o.m0 + dm0 * (t[i] - h / 2);
    const oi = rowStart(i);
    for (let j = 0; j <= i; j++) {
      const tau = t[i] - t[j];
      C[oi + j] = 1 - T * tau;
      X[oi + j] = tau;
      Ch[oi + j] = 1 - T * (tau - h / 2);
      Xh[oi + j] = tau - h / 2;
      Cv[oi + j] = 1 - T * (tau + h / 2);
      Xv[oi + j] = tau + h / 2;
    }
    // μ and e to first order in t: R ≈ 1 on [0, t].
    outT.push(t[i]);
    outM.push(m[i]);
    muG[i] = T + m[i] * f.df(m[i]) + t[i] * k.g(1);
    outMu.push(muG[i]);
    outE.push(-f.f(m[i]) - t[i] * f.df(1));
  }
  G.n = n0;

  // Scratch, per interval l of the current row.
  const cL = new Float64Array(maxNodes + 1);
  const cR = new Float64Array(maxNodes + 1);
  const cM = new Float64Array(maxNodes + 1);
  const fp = new Float64Array(maxNodes + 1);
  const A = new Float64Array(maxNodes + 1);
  const B = new Float64Array(maxNodes + 1);
  const I2 = new Float64Array(maxNodes + 1);
  const dA = new Float64Array(maxNodes + 1);
  const predC = new Float64Array(maxNodes + 1);
  const predX = new Float64Array(maxNodes + 1);
  const newC = new Float64Array(maxNodes + 1);
  const newX = new Float64Array(maxNodes + 1);
  const resC = new Float64Array(maxNodes + 1);
  const resX = new Float64Array(maxNodes + 1);
  const gradC = new Float64Array(maxNodes + 1);
  const gradX = new Float64Array(maxNodes + 1);
  const dG = new Float64Array(maxNodes + 2);
  const anderson = new Anderson(2 * maxNodes + 1, 5);
  const aaX = new Float64Array(2 * maxNodes + 1);
  const aaG = new Float64Array(2 * maxNodes + 1);
  const aaW = new Float64Array(2 * maxNodes + 1);
  // G'(c) = 2 f''(c) + c f'''(c), for ∂μ/∂C.
  const dGdc = (c: number): number => 2 * f.d2f(c) + c * f.d3f(c);

  let status: DynamicsStatus = 'ok';
  let message: string | undefined;
  let steps = 0;
  let doublings = 0;
  let sweepsTotal = 0;
  let maxSweeps = 0;
  let cycleMaxEst = 0;
  let runMaxEst = 0;
  let lastDoublingStep = -10;
  let finished = false;
  const itol = tol / 10;

  /** Refresh the averages of row i that are computed (not copied) from its point values. */
  const refreshRowAverages = (i: number): void => {
    const oi = rowStart(i);
    const o1 = rowStart(i - 1);
    const o2 = rowStart(i - 2);
    const jmax = i - NC - 1;
    for (let j = 0; j <= jmax; j++) {
      Ch[oi + j] = (-C[o2 + j] + 8 * C[o1 + j] + 5 * C[oi + j]) / 12;
      Xh[oi + j] = (-X[o2 + j] + 8 * X[o1 + j] + 5 * X[oi + j]) / 12;
    }
    for (let l = 1; l <= i - NC; l++) {
      if (l === 1) {
        Cv[oi + 1] = parabolaAverage(t[0], t[1], t[2], C[oi], C[oi + 1], C[oi + 2], false);
        Xv[oi + 1] = parabolaAverage(t[0], t[1], t[2], X[oi], X[oi + 1], X[oi + 2], false);
      } else {
        Cv[oi + l] = parabolaAverage(t[l - 2], t[l - 1], t[l], C[oi + l - 2], C[oi + l - 1], C[oi + l], true);
        Xv[oi + l] = parabolaAverage(t[l - 2], t[l - 1], t[l], X[oi + l - 2], X[oi + l - 1], X[oi + l], true);
      }
    }
  };

  let lastProgress = -1;
  while (!finished) {
    // Fill the window.
    while (G.n < target) {
      const i = G.n + 1;
      t[i] = t[i - 1] + h;
      const oi = rowStart(i);
      const o1 = rowStart(i - 1);
      const o2 = rowStart(i - 2);
      const o3 = rowStart(i - 3);
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
      refreshRowAverages(i);
      mbar[i] = (-m[i - 2] + 8 * m[i - 1] + 5 * m[i]) / 12;

      let mu = 0;
      let energy = 0;
      let sweeps = 0;
      let converged = false;
      const bdf = 3 / (2 * h);
      while (sweeps < MAX_SWEEPS) {
        sweeps++;
        // Carriers of row i.
        let muInt = 0;
        let eInt = 0;
        let mInt = 0;
        for (let l = 1; l <= i; l++) {
          const xa = X[oi + l - 1];
          const xb = X[oi + l];
          const xv = Xv[oi + l];
          const rho = xa - xb;
          const ca = C[oi + l - 1];
          const cb = C[oi + l];
          const d2 = meanOf(k.d1, k.d2, ca, cb);
          const dg = meanOf(k.cf1, k.g, ca, cb);
          dG[l] = dg;
          muInt += rho * dg;
          eInt += rho * meanOf(k.f, k.d1, ca, cb);
          const wl = (xa - xv) * d2;
          const wr = (xv - xb) * d2;
          const mass = rho * d2;
          cL[l] = wl - 0.5 * mass;
          cR[l] = wr - 0.5 * mass;
          cM[l] = mass;
          mInt += cL[l] * m[l - 1] + cR[l] * m[l] + mass * mbar[l];
        }
        for (let l = 0; l <= i; l++) fp[l] = f.df(C[oi + l]);
        const mi = m[i];
        const dfm = f.df(mi);
        mu = T + mi * dfm + muInt;
        energy = -f.f(mi) - eInt;
        // History integrals for every solved column j ≤ jmax.
        for (let j = 0; j <= jmax; j++) {
          const oj = rowStart(j);
          let a = 0;
          let bsum = 0;
          for (let l = 1; l <= j; l++) {
            const xv = Xv[oj + l];
            a += cL[l] * C[oj + l - 1] + cR[l] * C[oj + l] + cM[l] * Cv[oj + l];
            bsum += (X[oj + l - 1] - xv) * fp[l - 1] + (xv - X[oj + l]) * fp[l];
          }
          A[j] = a;
          B[j] = bsum;
          I2[j] = 0;
          // d B_j / d C_ij through the last interval of row j (right weight × f''(C_ij)).
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
          const dx = denom - selfI;
          resC[j] = rc;
          resX[j] = rx;
          // ∂μ/∂X_ij and ∂μ/∂C_ij from μ = T + m f'(m) + Σ_l ρ_l Ḡ_l.
          const gx = j === 0 ? dG[1] : dG[j + 1] - dG[j];
          const gc =
            0.5 * ((j > 0 ? X[oi + j - 1] - X[oi + j] : 0) + (X[oi + j] - X[oi + j + 1])) * dGdc(C[oi + j]);
          gradX[j] = gx;
          gradC[j] = gc;
          num += (gx * rx) / dx + (gc * rc) / dc;
          den += (gx * X[oi + j]) / dx + (gc * C[oi + j]) / dc;
        }
        const dmu = num / den;
        let change = 0;
        for (let j = 0; j <= jmax; j++) {
          const dc = (resC[j] - C[oi + j] * dmu) / (denom - selfI - dA[j]);
          const dx = (resX[j] - X[oi + j] * dmu) / (denom - selfI);
          newC[j] = C[oi + j] + dc;
          newX[j] = X[oi + j] + dx;
          const s = Math.max(Math.abs(dc), Math.abs(dx) / (1 + Math.abs(X[oi + j])));
          if (s > change) change = s;
        }
        const dmStep = (rm - mi * dmu) / dM;
        const cm = Math.abs(dmStep) / Math.max(Math.abs(mi), 1e-300);
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
        aaW[2 * nu] = 1 / Math.max(Math.abs(mi), 1e-300);
        if (sweeps === 1) anderson.reset(2 * nu + 1);
        anderson.step(aaX, aaG, aaW);
        for (let j = 0; j < nu; j++) {
          C[oi + j] = aaX[j];
          X[oi + j] = aaX[nu + j];
        }
        m[i] = aaX[2 * nu];
        refreshRowAverages(i);
        mbar[i] = (-m[i - 2] + 8 * m[i - 1] + 5 * m[i]) / 12;
        if (!Number.isFinite(change)) break;
        if (change < itol) {
          converged = true;
          break;
        }
      }
      steps++;
      sweepsTotal += sweeps;
      if (sweeps > maxSweeps) maxSweeps = sweeps;
      if (!converged) {
        status = Number.isFinite(mu) && Number.isFinite(m[i]) ? 'not-converged' : 'unstable';
        message =
          `self-consistent iteration did not converge at t = ${t[i].toPrecision(4)} (step ${h.toPrecision(3)}): ` +
          `lower --tol (now ${tol}) or enlarge the window (now ${W})`;
        finished = true;
        break;
      }
      // Local error estimate (Milne): BDF2 corrector minus quadratic predictor, times 2/11, on the
      // slow observables m (relative), μ, and C, χ over the older half of the history (their aging
      // part). Columns near the diagonal are left out: they carry the fast part of C and χ as a
      // function of t − t', stationary, handled by the L-stable BDF2 and the copied band, which a
      // quadratic predictor cannot follow.
      let est = Math.abs(m[i] - predM) / Math.max(Math.abs(m[i]), 1e-300);
      est = Math.max(est, Math.abs(mu - predMu) / (1 + Math.abs(mu)));
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
      // The first steps after a doubling carry the one-off change of quadrature error between the
      // two grids (a jump of relative size ~1e-5 in μ, not a truncation error that accumulates):
      // they do not count towards the next decision.
      if (est > cycleMaxEst && steps - lastDoublingStep > 4) cycleMaxEst = est;
      if (est > runMaxEst) runMaxEst = est;
      if (!Number.isFinite(mu) || !Number.isFinite(energy) || cmax > 1 + 1e-2) {
        status = 'unstable';
        message =
          `loss of accuracy at t = ${t[i].toPrecision(4)} (|C| > 1 or non-finite values): ` +
          `lower --tol (now ${tol}) or enlarge the window (now ${W})`;
        finished = true;
        break;
      }
      G.n = i;
      muG[i] = mu;
      outT.push(t[i]);
      outM.push(m[i]);
      outMu.push(mu);
      outE.push(energy);
      if (o.onProgress && t[i] >= lastProgress * 1.02) {
        lastProgress = t[i];
        o.onProgress(t[i], m[i]);
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
    // Window full. Double the step if the local error at twice the step stays within tol;
    // otherwise keep the step and let the window grow (up to maxWindow, after which the step is
    // doubled anyway and the run is flagged in the stats).
    const allowed = 8 * cycleMaxEst <= tol;
    if (!allowed && target + W / 2 <= maxNodes) {
      target += W / 2;
      grown++;
      cycleMaxEst = 0;
      continue;
    }
    if (!allowed) forced++;
    const keep = new Uint8Array(G.n + 1);
    for (let i = 0; i <= G.n; i += 2) keep[i] = 1;
    h *= 2;
    doublings++;
    lastDoublingStep = steps;
    G.compact(keep);
    target = Math.min(maxNodes, Math.max(W, G.n + W / 2));
    cycleMaxEst = 0;
  }

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
  count = outT.length;
  if (status === 'ok' && forced > 0)
    message =
      `the step was doubled ${forced} time(s) although the error estimate forbade it (window full at ` +
      `${maxNodes} points): results may be less accurate than tol; enlarge the window (now ${W})`;
  const result: DynamicsResult = {
    t: Float64Array.from(outT),
    m: Float64Array.from(outM),
    mu: Float64Array.from(outMu),
    energy: Float64Array.from(outE),
    stats: {
      status,
      ...(message === undefined ? {} : { message }),
      steps,
      doublings,
      windowGrowths: grown,
      forcedDoublings: forced,
      maxLocalError: runMaxEst,
      finalStep: h,
      meanSweeps: steps > 0 ? sweepsTotal / steps : 0,
      maxSweeps,
      storedFloats: 6 * rowStart(maxNodes + 1),
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
