import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { equilibriumTest, isEquilibrium } from './adaptiveGridEquilibrium.ts';
import { Grid, rowStart } from './adaptiveGridStore.ts';
import { solveDynamics } from './solve.ts';
import { fdtStripResidual } from './stress.ts';

// Equilibrium continuation at T > 0 (adaptiveGridEquilibrium.ts, README "T > 0: cost").
const run = (
  p: number,
  invDelta2: number,
  deltap: number,
  T: number,
  m0: number,
  tmax: number,
  window = 64,
  equilibrium = true,
  ageBand = true,
) =>
  solveDynamics({
    covariance: spikedCovariance({ p, delta2: 1 / invDelta2, deltap }),
    temperature: T,
    m0,
    tmax,
    saveCorrelations: true,
    grid: { kind: 'adaptive', window, equilibrium, ageBand },
  });

describe('adaptive grid at T > 0: an established equilibrium is continued (THEORY §3)', () => {
  it('the FDT paramagnet near its critical point reaches t = 10⁶ in a few thousand steps, on the closed form and on the solved rows', () => {
    // Stress case 15: T = 1, p = 5, Δp = 100, 1/Δ2 = 0.8 (f''(0) = 0.8 close to T² = 1, a slow
    // tail). A row at h = 134 fails (t ≈ 2.6·10⁴), and the cap (67.1 here) would hold to the end,
    // the far history thinned: ~1.5·10⁴ steps to 10⁶ (window 128: 63642 steps before). Since the
    // band's χ follows its C by FDT at large h μ (README "T > 0: the strip at large hμ") this
    // case needs no cap at the defaults; with the plain copied band (`ageBand: false`) it still
    // fails rows (3 rejections, cap 16.8), which is what exercises the continuation here.
    const T = 1;
    const f = spikedCovariance({ p: 5, delta2: 1 / 0.8, deltap: 100 });
    const r = run(5, 0.8, 100, T, 1e-5, 1e6, 64, true, false);
    expect(r.stats.status).toBe('ok');
    expect(r.stats.stepCap).toBeGreaterThan(0);
    expect(r.stats.equilibriumFrom).toBeGreaterThan(1000);
    expect(r.stats.equilibriumFrom).toBeLessThan(1e5);
    expect(r.stats.steps).toBeLessThan(6000);
    const k = r.t.length - 1;
    expect(r.t[k]).toBe(1e6);
    // Closed form of the ergodic paramagnet (THEORY §3): μ = T + f'(1)/T, e = −f(1)/T. The
    // solver's own error there is 2e-5 … 1e-4 (README), the stress check allows 1e-3.
    expect(Math.abs(r.mu[k] - (T + f.df(1) / T))).toBeLessThan(3e-4);
    expect(Math.abs(r.energy[k] + f.f(1) / T)).toBeLessThan(3e-4);
    if (!r.correlations) throw new Error('no correlations');
    expect(fdtStripResidual(T, r.correlations, 1 / 32)).toBeLessThan(1e-3);
    // The continuation against solving on to 1.25 × the equilibrium time (past the failed row).
    const a = r;
    const t1 = 1.25 * (a.stats.equilibriumFrom ?? Number.NaN);
    const b = run(5, 0.8, 100, 1, 1e-5, t1, 64, false, false);
    const ka = a.t.length - 1;
    const kb = b.t.length - 1;
    expect(b.t[kb]).toBeCloseTo(t1, 6);
    expect(b.stats.equilibriumFrom).toBeUndefined();
    // Continued: stationary to 1e-6 per cycle. Solved on, past the failed row the step is halved,
    // and μ carries that step's own error instead (with the default band: −4e-6 against −8e-5 of
    // 1.81 at h = 67.1 when continued, README "T > 0: cost"; with the plain copy the two differ by
    // 1.5e-4, the band's FDT residual, README "T > 0: the strip at large hμ"): the closed-form
    // bound above.
    expect(Math.abs(a.mu[ka] - b.mu[kb])).toBeLessThan(3e-4);
    expect(Math.abs(a.energy[ka] - b.energy[kb])).toBeLessThan(3e-4);
  });

  it('is not declared while the state ages under a step cap (stress case 5 at window 64)', () => {
    // T = 0.5, p = 3, Δp = 10, 1/Δ2 = 1.121 (aging: √f''(0) > T). With the default band this case
    // runs without a rejection since the band's χ follows its C by FDT (README "T > 0: the strip
    // at large hμ"), so the plain copied band (`ageBand: false`) makes the capped state: the cap
    // holds and the far history is thinned (from both ends since session 8, README "T > 0:
    // thinning"), so every decision tests the equilibrium, and every one refuses it (FDT off by
    // 0.07 at lag t/2): the run is solved to its end (or stopped where it drifts), never continued.
    const r = run(3, 1.121169467605778, 10, 0.5, 1e-40, 8000, 64, true, false);
    if (r.stats.status === 'partial') expect(r.stats.message).toMatch(/drifted/);
    expect(r.stats.stepCap).toBeGreaterThan(0);
    expect(r.stats.thinnings).toBeGreaterThan(0);
    expect(r.stats.equilibriumFrom).toBeUndefined();
  });
});

/** A uniform grid of n + 1 nodes, step h, with C(t, t') = c(t, t'), χ = x(t, t'), μ at the last node. */
const synthetic = (
  n: number,
  h: number,
  c: (t: number, s: number) => number,
  x: (t: number, s: number) => number,
  mu: number,
) => {
  const G = new Grid(n);
  G.n = n;
  G.h = h;
  for (let i = 0; i <= n; i++) {
    G.t[i] = i * h;
    for (let j = 0; j <= i; j++) {
      G.C[rowStart(i) + j] = c(i * h, j * h);
      G.X[rowStart(i) + j] = x(i * h, j * h);
    }
  }
  G.mu[n] = mu;
  return G;
};

describe('equilibrium measures against closed forms', () => {
  const T = 1.6;
  const f = spikedCovariance({ p: 3, delta2: 1 / 2, deltap: 10 });
  const still = 1e-6;
  it('an exactly time-translation-invariant FDT state passes; m = 0 stable or not by the closed form', () => {
    // C = e^{−(t−s)}, Tχ = 1 − C: ∫R f''(C) ds = (f'(1) − f'(C(t, 0)))/T exactly (dC = −T dχ).
    const c = (t: number, s: number) => Math.exp(-(t - s));
    const x = (t: number, s: number) => (1 - Math.exp(-(t - s))) / T;
    const mu = T + f.df(1) / T;
    const e = equilibriumTest(synthetic(200, 0.25, c, x, mu), T, f);
    expect(e.lags).toBeGreaterThan(16);
    expect(e.tti).toBeLessThan(1e-14);
    expect(e.fdt).toBeLessThan(1e-14);
    // −μ + f''(0) + (f'(1) − f'(e^{−50}))/T = −T + f''(0) = 0.4 > 0: m = 0 unstable (1/Δ2 > T).
    const kappa = -mu + f.d2f(0) + (f.df(1) - f.df(Math.exp(-50))) / T;
    expect(e.mGrowth).toBeCloseTo(kappa, 6);
    expect(e.mGrowth).toBeGreaterThan(0);
    expect(isEquilibrium(e, still, 1e-3, true)).toBe(false);
    expect(isEquilibrium(e, still, 1e-3, false)).toBe(true);
  });
  it('aging (C a function of s/t) and an FDT violation fail', () => {
    const aging = (t: number, s: number) => (t === 0 ? 1 : 0.7 * (s / t) ** 0.3 + 0.3 * Math.exp(-(t - s)));
    const xa = (t: number, s: number) => (1 - aging(t, s)) / T;
    const a = equilibriumTest(synthetic(200, 0.25, aging, xa, 3), T, f);
    expect(a.tti).toBeGreaterThan(1e-3);
    expect(isEquilibrium(a, still, 1e-3, false)).toBe(false);
    // Time-translation invariant but Tχ = 0.9 (1 − C): FDT off by 0.1 × (1 − C).
    const c = (t: number, s: number) => Math.exp(-(t - s));
    const b = equilibriumTest(
      synthetic(200, 0.25, c, (t, s) => (0.9 * (1 - c(t, s))) / T, 3),
      T,
      f,
    );
    expect(b.tti).toBeLessThan(1e-14);
    expect(b.fdt).toBeGreaterThan(0.09);
    expect(isEquilibrium(b, still, 1e-3, false)).toBe(false);
  });
});
