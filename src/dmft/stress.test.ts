import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { solveDynamics } from './solve.ts';
import {
  checkStressCase,
  fdtStripResidual,
  type StressCase,
  sampleStressCases,
  stressLine,
  stressMatrix,
} from './stress.ts';

const stressCase = (
  temperature: number,
  p: number,
  deltap: number,
  ratio: number,
  m0: number,
): StressCase => ({
  temperature,
  p,
  deltap,
  ratio,
  invDelta2: ratio * stressLine(p, deltap, temperature),
  m0,
});

const run = (c: StressCase, tmax: number, saveCorrelations = false, window = 64) =>
  solveDynamics({
    saveCorrelations,
    covariance: spikedCovariance({ p: c.p, delta2: 1 / c.invDelta2, deltap: c.deltap }),
    temperature: c.temperature,
    m0: c.m0,
    tmax,
    grid: { kind: 'adaptive', window },
  });

describe('stress matrix (issue 10, THEORY §3)', () => {
  it('spans the full design, and a seeded sample is reproducible', () => {
    expect(stressMatrix()).toHaveLength(5 * 3 * 5 * 7 * 4);
    const a = sampleStressCases(10, 7);
    expect(sampleStressCases(10, 7)).toEqual(a);
    expect(new Set(a.map((c) => JSON.stringify(c))).size).toBe(10);
  });

  // A small subset at short times and window 64 (the bench runs the sampled design to 10⁶ at the
  // defaults); every check compares with a closed form of THEORY §3 at 1e-3.
  it.each([
    ['GF end state', stressCase(0, 3, 1, 1.5, 0.1), 40],
    ['aging below the GF threshold', stressCase(0, 3, 1, 0.8, 1e-5), 100],
    ['Nishimori at T = 1', stressCase(1, 3, 1, 3, 0.1), 40],
    ['FDT paramagnet at T = 2', stressCase(2, 3, 10, 0.8, 1e-5), 30],
  ] as const)('%s', (name, c, tmax) => {
    const r = run(c, tmax);
    const checks = checkStressCase(c, r);
    expect(checks.map((x) => x.name)).toContain(
      name.startsWith('aging') ? 'aging: μ → 2√f″(1) from below' : name.split(' at ')[0],
    );
    for (const x of checks) expect(x.ok, `${x.name}: ${x.detail}`).toBe(true);
  });

  // The aging check against synthetic rows (T = 0, p = 3, Δp = 1, 0.8 × the GF threshold:
  // 2√f″(1) = 2√(1.6 + 2)): a gap that closes with one grid-change jump of 5e-4 passes; a jump
  // of 2e-3 (> the check's 1e-3), a gap that opens overall, or μ above the threshold fail.
  it('the aging check: one-off quadrature jumps pass, a reopening gap or μ above 2√f″(1) fail', () => {
    const c = stressCase(0, 3, 1, 0.8, 1e-5);
    const th = 2 * Math.sqrt(c.invDelta2 + 2);
    const t = Float64Array.from({ length: 50 }, (_, j) => 100 * 1.2 ** j);
    const gap = (jump: number) => t.map((s, j) => 0.05 / Math.sqrt(s / 100) + (j >= 25 ? jump : 0));
    const aging = (mu: Float64Array) => {
      const r = { t, m: t.map(() => 1e-5), mu, energy: t.map(() => -1), stats: { status: 'ok' } };
      return checkStressCase(c, r as never).find((x) => x.name.startsWith('aging'))?.ok;
    };
    expect(aging(gap(5e-4).map((g) => th - g))).toBe(true);
    expect(aging(gap(2e-3).map((g) => th - g))).toBe(false);
    expect(
      aging(
        gap(0)
          .map((g) => th - g)
          .reverse(),
      ),
    ).toBe(false);
    expect(aging(gap(0).map((g) => th + g))).toBe(false);
  });

  it('the checks fail on a wrong end state', () => {
    const c = stressCase(0, 3, 1, 1.5, 0.1);
    const r = run(c, 40);
    const wrong = { ...r, mu: r.mu.map((x) => x + 2e-3) };
    expect(checkStressCase(c, wrong).find((x) => x.name === 'GF end state')?.ok).toBe(false);
  });

  // FDT (THEORY §3) is an identity of the stationary regime at T > 0, independent of the solver:
  // stress case 5 of seed 1 (T = 0.5, aging, m stays ≈ 1e-39) at t = 1000, window 64. While aging
  // the stationary regime is where C ≥ q_EA (the marginal plateau, 0.5494 here; THEORY §3 "Aging
  // at T > 0"): there |Tχ − (1 − C)| = 1.6e-4 at τ ≤ t/32 (the solver's own strip error; measured
  // session 8) and the check's 1e-3 is 6× that; below q_EA aging breaks FDT (2.6e-3 at t/8, 6e-2 at
  // t/2). The T > 0 failure of the long aging runs is a mode of the strip with Tχ − (1 − C) growing
  // to 4e-3 … 2e-1 before |C| > 1 (src/dmft/README.md, "T > 0 aging"), which this check sees long
  // before.
  it('FDT in the stationary regime at T > 0 (aging at T = 0.5), and the check fails when C is off', () => {
    const c = stressCase(0.5, 3, 10, 1.02, 1e-40);
    const r = run(c, 1000, true);
    const corr = r.correlations;
    if (corr === undefined) throw new Error('no correlations');
    const checks = checkStressCase(c, r);
    const strip = checks.find((x) => x.name === 'FDT in the stationary regime');
    expect(strip?.ok, strip?.detail).toBe(true);
    // Beyond the strip aging breaks FDT, in the direction T χ < 1 − C (FDT ratio X < 1).
    expect(fdtStripResidual(c.temperature, corr, 0.5)).toBeGreaterThan(1e-2);
    // C raised by 2e-3 next to the diagonal (the sign of the mode) fails the check.
    const n = corr.times.length;
    const C = corr.C.slice();
    for (let j = n - 8; j < n - 1; j++) C[(n - 1) * n + j] += 2e-3;
    const wrong = { ...r, correlations: { ...corr, C } };
    expect(checkStressCase(c, wrong).find((x) => x.name === 'FDT in the stationary regime')?.ok).toBe(false);
  });

  // The same case at window 32 is capped at h = 33.6 after a rejection beyond t ≈ 4000 and thins
  // its far history; it ended partial at t = 2995 (|C| > 1, 3 rejections; FDT residual 0.41 at
  // τ ≤ t/32) until the vertical averages over thinned intervals became trapezoids at T > 0 too
  // (adaptiveGridRow.ts): the column sawtooth found on the T = 0 plateaus (src/dmft/README.md,
  // "Long plateaus"). Now ok to t = 8000 (~1 CPU s; to 4.8·10⁴ in a scratch run, 82 thinnings).
  // At this coarse window the strip's own step error is what the FDT residual shows, not the
  // 1e-3 of the stress check: 2.9e-3 at t = 4000 (before any thinning), 1.5e-2 at 8000 and
  // 2.7e-2 at 4.8·10⁴ (h μ ≈ 75); 5e-2 is ≈ 3× the value at t = 8000 and ≪ the failing mode's 0.41.
  // Session 7: thinned, this aging state drifted (C(t, t/2) 0.449 at t = 4295 → 0.460 at 4832, while
  // it only falls unthinned; README "T > 0: aging"), so the run ended partial there. Session 8: the
  // far history is thinned from both ends at T > 0 too and the aging step rule holds the step
  // (README "T > 0: thinning"): ok to t = 8000 with 55 thinnings, C(t, t/2) = 0.4707 (window 64,
  // capped at 8.39 by a strip rejection: 0.4672), FDT residual 9.9e-4 at τ ≤ t/32; 3e-3 is 3× that
  // and ≪ the drifted or failing states' 1.5e-2 … 0.41.
  it('an aging run at T = 0.5 through a thinned history (window 32) does not drift, FDT in the strip', () => {
    const c = stressCase(0.5, 3, 10, 1.02, 1e-40);
    const r = run(c, 8000, true, 32);
    expect(r.stats.status).toBe('ok');
    expect(r.stats.thinnings).toBeGreaterThan(0);
    const corr = r.correlations;
    if (corr === undefined) throw new Error('no correlations');
    expect(fdtStripResidual(c.temperature, corr, 1 / 32)).toBeLessThan(3e-3);
  });
});
