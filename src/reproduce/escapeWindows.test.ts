import { describe, expect, it } from 'vitest';
import { gfThreshold } from '../phase/index.ts';
import { escapePoints, escapeSettings, FULL, QUICK, solverSystematicOf } from './config.ts';
import { escapeSeriesOf, totalThresholdError } from './escape.ts';
import { langevinFinding } from './escapeStage.ts';

// The fit-window systematic of the escape-time extrapolation (the Langevin T = 1 tension, issue 15):
// a_c of the four points nearest the threshold against the four farthest.

const measured = (xs: number[], time: (x: number) => number) =>
  xs.map((x) => ({ invDelta2: x, time: time(x), status: 'stopped', steps: 1, tEnd: time(x) }));
const xs = [1.3, 1.4, 1.55, 1.75, 2.05];

describe('fit-window drift', () => {
  it('vanishes for an exact power law (both windows recover a_c)', () => {
    const s = escapeSeriesOf(
      { p: 3, deltap: 1 },
      1,
      measured(xs, (x) => 50 * (x - 1.2) ** -1.8),
    );
    // An exact power law: the profiled fit recovers a_c to the Brent tolerance on every subset.
    expect(s.windows!.near).toBeCloseTo(1.2, 5);
    expect(s.windows!.far).toBeCloseTo(1.2, 5);
    expect(s.windows!.drift).toBeLessThan(1e-5);
  });

  it('shows a curved law (exponent growing towards the threshold) and enters the total error', () => {
    // θ(x) = 1.5 + 0.5/(x − 1.1): the effective exponent rises as x approaches the threshold 1.2.
    const s = escapeSeriesOf(
      { p: 3, deltap: 1 },
      1,
      measured(xs, (x) => 30 * (x - 1.2) ** -(1.5 + 0.1 / (x - 1.1))),
    );
    const w = s.windows!;
    expect(w.drift).toBeGreaterThan(0.01);
    expect(w.near).toBeLessThan(w.far);
    expect(totalThresholdError(s)).toBeCloseTo(Math.hypot(s.fit!.thresholdError, w.drift), 14);
    const text = langevinFinding([s], FULL.escape);
    expect(text).toContain('window 128, tol 1e-6, t ≤ 8000');
    expect(text).toContain('four nearest points');
  });

  it('needs five escaped points; the Langevin solver settings apply at T > 0 only', () => {
    expect(
      escapeSeriesOf(
        { p: 3, deltap: 1 },
        1,
        measured(xs.slice(0, 4), (x) => 1 / (x - 1)),
      ).windows,
    ).toBeNull();
    expect(escapeSettings(FULL.escape, 0).window).toBe(FULL.escape.window);
    expect(escapeSettings(FULL.escape, 1)).toMatchObject({ window: 128, tmax: 8000 });
    expect(escapeSettings(QUICK.escape, 1).window).toBe(QUICK.escape.window);
  });

  it('measures near points with their own solver settings, in 1/Δ2 order with the others', () => {
    const config = { ...QUICK.escape, nearSolver: { window: 128, tol: 1e-6, tmax: 2e4 } };
    const c = { p: 3, deltap: 1, invDelta2: [2.4, 2.6, 3], near: [2.06, 2.1] };
    const pts = escapePoints(config, c, 0);
    expect(pts.map((q) => q.invDelta2)).toEqual([2.06, 2.1, 2.4, 2.6, 3]);
    expect(pts.map((q) => q.settings.window)).toEqual([128, 128, 32, 32, 32]);
    expect(pts[0]!.settings).toMatchObject({ m0: config.m0, level: config.level, tmax: 2e4 });
    expect(escapePoints(QUICK.escape, { ...c, near: undefined }, 0)).toHaveLength(3);
  });

  it("adds the near points' solver systematic only to the lines that have near points", () => {
    const config = { ...QUICK.escape, solverSystematic: 0.0015, nearSolverSystematic: 0.005 };
    const c = { p: 3, deltap: 1, invDelta2: [2.5, 2.8], near: [2.06] };
    expect(solverSystematicOf(config, c)).toBeCloseTo(Math.hypot(0.0015, 0.005), 15);
    expect(solverSystematicOf(config, { ...c, near: [] })).toBe(0.0015);
    expect(solverSystematicOf(config, { ...c, near: undefined })).toBe(0.0015);
    expect(solverSystematicOf({ ...config, nearSolverSystematic: undefined }, c)).toBe(0.0015);
  });

  it('adds the solver systematic, a fixed fraction of a_c, to the error bar', () => {
    const exact = measured(xs, (x) => 50 * (x - 1.2) ** -1.8);
    const without = escapeSeriesOf({ p: 3, deltap: 1 }, 1, exact);
    const withSolver = escapeSeriesOf({ p: 3, deltap: 1 }, 1, exact, 0.002);
    expect(without.solverError).toBe(0);
    // a_c = 1.2 recovered to the Brent tolerance, so the solver's share is 0.2 % of it.
    expect(withSolver.solverError).toBeCloseTo(0.0024, 6);
    expect(totalThresholdError(withSolver)).toBeCloseTo(
      Math.hypot(
        withSolver.fit!.thresholdError,
        withSolver.windows!.drift,
        0.002 * withSolver.fit!.threshold,
      ),
      14,
    );
  });

  it('the full preset measures every gradient-flow line at two points within 5 % of its closed form (issue 10)', () => {
    for (const c of FULL.escape.gf) {
      const ratios = (c.near ?? []).map((x) => x / gfThreshold(c.p, c.deltap));
      expect(ratios.filter((r) => r > 1 && r <= 1.05).length).toBeGreaterThanOrEqual(2);
      // Near and far points on one solver accuracy (window, tol): only the time budget differs.
      const [nearest, farthest] = [
        escapePoints(FULL.escape, c, 0)[0]!,
        escapePoints(FULL.escape, c, 0).at(-1)!,
      ];
      expect(nearest.settings.window).toBe(farthest.settings.window);
      expect(nearest.settings.tol).toBe(farthest.settings.tol);
    }
  });
});
