import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
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
) =>
  solveDynamics({
    covariance: spikedCovariance({ p, delta2: 1 / invDelta2, deltap }),
    temperature: T,
    m0,
    tmax,
    saveCorrelations: true,
    grid: { kind: 'adaptive', window, equilibrium },
  });

describe('adaptive grid at T > 0: an established equilibrium is continued (THEORY §3)', () => {
  it('the FDT paramagnet near its critical point reaches t = 10⁶ in a few thousand steps, on the closed form and on the solved rows', () => {
    // Stress case 15: T = 1, p = 5, Δp = 100, 1/Δ2 = 0.8 (f''(0) = 0.8 close to T² = 1, a slow
    // tail). Before: the step stayed capped at 16.8 and the run took 63642 steps to 10⁶.
    const T = 1;
    const f = spikedCovariance({ p: 5, delta2: 1 / 0.8, deltap: 100 });
    const r = run(5, 0.8, 100, T, 1e-5, 1e6);
    expect(r.stats.status).toBe('ok');
    expect(r.stats.equilibriumFrom).toBeGreaterThan(100);
    expect(r.stats.equilibriumFrom).toBeLessThan(2e4);
    expect(r.stats.steps).toBeLessThan(6000);
    const k = r.t.length - 1;
    expect(r.t[k]).toBe(1e6);
    // Closed form of the ergodic paramagnet (THEORY §3): μ = T + f'(1)/T, e = −f(1)/T. The
    // solver's own error there is 2e-5 … 1e-4 (README), the stress check allows 1e-3.
    expect(Math.abs(r.mu[k] - (T + f.df(1) / T))).toBeLessThan(3e-4);
    expect(Math.abs(r.energy[k] + f.f(1) / T)).toBeLessThan(3e-4);
    if (!r.correlations) throw new Error('no correlations');
    expect(fdtStripResidual(T, r.correlations, 1 / 32)).toBeLessThan(1e-3);
    // The continuation against solving on: μ, e at twice the equilibrium time.
    const a = r;
    const t1 = 2 * (a.stats.equilibriumFrom ?? Number.NaN);
    const b = run(5, 0.8, 100, 1, 1e-5, t1, 64, false);
    const ka = a.t.indexOf(t1);
    const kb = b.t.length - 1;
    expect(ka).toBeGreaterThan(0);
    expect(b.stats.equilibriumFrom).toBeUndefined();
    // Stationary to 10 tol per cycle when continued; the solved rows drift by the one-off
    // quadrature jumps of the doublings in between (~1e-5 in μ, README "Through the jump").
    expect(Math.abs(a.mu[ka] - b.mu[kb])).toBeLessThan(1e-4);
    expect(Math.abs(a.energy[ka] - b.energy[kb])).toBeLessThan(1e-4);
  });

  it('is not declared while m grows in an equilibrium paramagnet, nor while the state ages', () => {
    // T = 1.6, 1/Δ2 = 2: ergodic (T² > f''(0)) but m = 0 unstable (1/Δ2 > T): time-translation
    // invariant and FDT, yet m grows from 1e-40 (to ~4e-33 at t = 120).
    const growing = run(3, 2, 10, 1.6, 1e-40, 120);
    expect(growing.stats.equilibriumFrom).toBeUndefined();
    expect(Math.abs(growing.m[growing.m.length - 1])).toBeGreaterThan(1e-36);
    // Stress case 2: T = 0.5 below the p = 2 part's critical temperature, pure aging.
    const aging = run(5, 2.759459432187338, 1, 0.5, 0, 2000);
    expect(aging.stats.equilibriumFrom).toBeUndefined();
  });
});
