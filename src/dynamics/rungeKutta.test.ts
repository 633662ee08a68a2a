import { describe, expect, it } from 'vitest';
import { quadraticFlowExact } from '../../test/helpers/objectives.ts';
import {
  AdaptiveSphereIntegrator,
  bogackiShampine32,
  dormandPrince54,
  type EmbeddedTableau,
} from './rungeKutta.ts';

/** Rotation in the (x0, x1) plane: exact solution x(t) = R(t) x0, stays on the circle. */
const rotation = (x: Float64Array, out: Float64Array): void => {
  out[0] = -x[1];
  out[1] = x[0];
};

describe.each([dormandPrince54, bogackiShampine32])('$name tableau', (tab: EmbeddedTableau) => {
  it('is consistent: row sums equal c, both weight vectors sum to 1', () => {
    // Exact rationals in double precision: sums agree to a few ulps.
    tab.a.forEach((row, i) => {
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(tab.c[i], 14);
    });
    expect(tab.b.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    expect(tab.bHat.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });

  it('has the stated order: the global error of fixed steps falls by 2^order when h halves', () => {
    // The projected linear flow of H = ½ Σ a_i x_i² (nonlinear through μ, closed form).
    // (A pure rotation would not do: the projection removes its leading error term.)
    const a = Float64Array.of(0, 1, 3);
    const x0 = Float64Array.of(1, 1, 1);
    const rhs = (x: Float64Array, out: Float64Array): void => {
      const c = (a[0] * x[0] * x[0] + a[1] * x[1] * x[1] + a[2] * x[2] * x[2]) / 3;
      for (let i = 0; i < 3; i++) out[i] = c * x[i] - a[i] * x[i];
    };
    const exact = quadraticFlowExact(a, x0, 1);
    const errorAt = (h: number): number => {
      // Fixed steps: maxStep = initialStep = h and a tolerance no step can violate.
      const it = new AdaptiveSphereIntegrator(rhs, x0, {
        maxStep: h,
        initialStep: h,
        rtol: 1e3,
        atol: 1e3,
        tableau: tab,
      });
      it.advanceTo(1);
      expect(it.stats.accepted).toBe(Math.round(1 / h));
      return Math.max(...exact.map((v, i) => Math.abs(v - it.x[i])));
    };
    const e1 = errorAt(0.05);
    const e2 = errorAt(0.025);
    // Observed order within ±0.3 of the nominal one (asymptotic regime at these h).
    expect(Math.log2(e1 / e2)).toBeGreaterThan(tab.order - 0.3);
    expect(Math.log2(e1 / e2)).toBeLessThan(tab.order + 0.7);
  });
});

describe('AdaptiveSphereIntegrator', () => {
  it('follows the exact projected linear flow within its tolerance and lands on requested times', () => {
    const a = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i) * 2);
    const x0 = quadraticFlowExact(
      a,
      Float64Array.from({ length: 20 }, (_, i) => 1 + 0.1 * i),
      0,
    );
    const rhs = (x: Float64Array, out: Float64Array): void => {
      let c = 0;
      for (let i = 0; i < 20; i++) c += a[i] * x[i] * x[i];
      c /= 20;
      for (let i = 0; i < 20; i++) out[i] = c * x[i] - a[i] * x[i];
    };
    const it = new AdaptiveSphereIntegrator(rhs, x0, { rtol: 1e-9, atol: 1e-11 });
    for (const t of [0.3, 1, 2.5, 7]) {
      it.advanceTo(t);
      expect(it.t).toBe(t);
      const exact = quadraticFlowExact(a, x0, t);
      let err = 0;
      for (let i = 0; i < 20; i++) err = Math.max(err, Math.abs(it.x[i] - exact[i]));
      // Local tolerance 1e-9 on O(1) coordinates over a contracting flow: global error ≲ 1e-7.
      expect(err).toBeLessThan(1e-7);
    }
    expect(it.stats.accepted).toBeGreaterThan(0);
  });

  it('respects maxStep', () => {
    const it = new AdaptiveSphereIntegrator(rotation, Float64Array.of(1, 1), { maxStep: 0.01, rtol: 1e-3 });
    it.advanceTo(1);
    // 1/0.01 = 100 steps at least (the last may be stretched by 1% to land on t = 1).
    expect(it.stats.accepted).toBeGreaterThanOrEqual(99);
  });

  it('stops when asked and reports it', () => {
    const it = new AdaptiveSphereIntegrator(rotation, Float64Array.of(1, 1), { maxStep: 0.01 });
    let calls = 0;
    expect(it.advanceTo(1, () => ++calls >= 5)).toBe(false);
    expect(it.t).toBeLessThan(1);
  });

  it('throws instead of returning NaN when the field is not finite', () => {
    const bad = (_x: Float64Array, out: Float64Array): void => {
      out.fill(Number.NaN);
    };
    const it = new AdaptiveSphereIntegrator(bad, Float64Array.of(1, 1));
    expect(() => it.advanceTo(1)).toThrow(/diverged/);
  });
});
