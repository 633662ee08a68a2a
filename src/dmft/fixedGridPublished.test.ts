import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { gradientFlowEndState, nishimoriPlateau } from './endState.ts';
import { type PublishedVariant, solveFixedGrid } from './fixedGrid.ts';
import { crossingTime } from './observables.ts';
import type { FixedGrid } from './types.ts';

// The published fixed-grid discretisation (shared notes, literature-fixed-grid) and the
// second-order scheme on its convention, against the closed forms of THEORY §3 and the jump times
// measured on the published program.

type Scheme = NonNullable<FixedGrid['scheme']>;
const model = (p: number, deltap: number, inverseDelta2: number) =>
  spikedCovariance({ p, delta2: 1 / inverseDelta2, deltap });

/** First time m reaches 0.1 from m0 = 1e-5 at T = 0 (the run stops shortly after). */
function jumpTime(
  [p, deltap, inverseDelta2]: readonly [number, number, number],
  h: number,
  scheme: Scheme,
  tmax: number,
  variant: PublishedVariant = {},
): number {
  let crossed = false;
  const r = solveFixedGrid(
    {
      covariance: model(p, deltap, inverseDelta2),
      temperature: 0,
      m0: 1e-5,
      tmax,
      grid: { kind: 'fixed', h, scheme },
      onProgress: (_t, m) => {
        crossed ||= m >= 0.1;
      },
      shouldStop: () => crossed,
    },
    variant,
  );
  const t = crossingTime(r, 0.1);
  if (t === null) throw new Error(`no jump before t = ${tmax}`);
  return t;
}

describe('fixed grid on the published discretisation (THEORY §3)', () => {
  it.each([
    [3, 2, 3, 60],
    [3, 4, 2.5, 70],
    [3, 4, 4, 40],
    [4, 2, 3, 60],
    [4, 2, 4, 40],
    [3, 1, 2.5, 90],
  ] as const)(
    'p = %i, Δp = %f, 1/Δ2 = %f: both schemes end on the closed-form GF end state at h = 0.1',
    (p, deltap, inverseDelta2, tmax) => {
      const covariance = model(p, deltap, inverseDelta2);
      const end = gradientFlowEndState(covariance);
      if (end === null) throw new Error('these models have a GF end state');
      for (const scheme of ['euler', 'heun'] as const) {
        const r = solveFixedGrid({
          covariance,
          temperature: 0,
          m0: 1e-5,
          tmax,
          grid: { kind: 'fixed', h: 0.1, scheme },
        });
        expect(r.stats.status).toBe('ok');
        const k = r.m.length - 1;
        // The discrete stationary point is the continuum one (fixedGridKernel.ts): what is left is the
        // unconverged remainder at tmax (measured ≤ 3.2e-9 at these tmax), inside 1e-7.
        expect(Math.abs(r.m[k] - end.m)).toBeLessThan(1e-7);
        expect(Math.abs(r.mu[k] - end.mu)).toBeLessThan(1e-7);
        expect(Math.abs(r.energy[k] - end.energy)).toBeLessThan(1e-7);
      }
    },
  );

  it('reproduces the published jump times at h = 0.1 (p = 3, Δp = 4 and p = 4, Δp = 2; 1/Δ2 = 2.5, 3, 4)', () => {
    // The note's values, measured on the published program (3 significant figures, 52.72 to 4).
    // The cases at 1/Δ2 = 2 need t ≈ 55 and 140 and are left to the quirk check below (p = 3) and
    // the README (p = 4: 139.02 here against "140").
    const published: [readonly [number, number, number], number][] = [
      [[3, 4, 2.5], 23.0],
      [[3, 4, 3], 13.9],
      [[3, 4, 4], 7.42],
      [[4, 2, 2.5], 35.4],
      [[4, 2, 3], 17.9],
      [[4, 2, 4], 8.41],
    ];
    for (const [params, t] of published) {
      const ours = jumpTime(params, 0.1, 'euler', 1.3 * t);
      // 0.5 % (the bound) beyond the rounding of the note's figure (half a unit in the last
      // digit). Measured: 0.2–0.43 % low: the published program's column-0 quirk (below), which we
      // do not reproduce by default, shifts the jump by O(h) (e.g. 52.59 → 52.72 at 1/Δ2 = 2).
      const rounding = 0.5 * 10 ** (Math.floor(Math.log10(t)) - 2);
      expect(Math.abs(ours - t)).toBeLessThan(0.005 * t + rounding);
    }
  });

  it('with the published column-0 quirk reproduces its jump times to the digits given (52.72 / 53.09 / 53.35 at h = 0.1 / 0.2 / 0.25)', () => {
    const t = [0.1, 0.2, 0.25].map((h) => jumpTime([3, 4, 2], h, 'euler', 60, { columnZeroQuirk: true }));
    // Same discretisation, double instead of single precision (≤ 3e-6 relative on m per the note):
    // agreement to the last printed digit, ±0.005.
    expect(t[0]).toBeCloseTo(52.72, 2);
    expect(t[1]).toBeCloseTo(53.09, 2);
    expect(t[2]).toBeCloseTo(53.35, 2);
  });

  it.each([
    ['euler', 1],
    ['heun', 2],
  ] as const)(
    '%s: the jump time converges at order %i (Richardson ratios over h = 0.1, 0.05, 0.025, 0.0125)',
    (scheme, order) => {
      for (const [params, tmax] of [
        [[3, 4, 4], 9],
        [[4, 2, 4], 10],
      ] as const) {
        const t = [0.1, 0.05, 0.025, 0.0125].map((h) => jumpTime(params, h, scheme, tmax));
        const ratio = (t[1] - t[2]) / (t[2] - t[3]);
        // Measured on the finest triple: Euler 2.02, 2.04 (order 1: ratio 2); the two-step scheme
        // 3.52, 3.50 (order 2: ratio 4, reached from below: 3.24, 3.24 on the coarser triple). The
        // bounds separate the orders: a first-order scheme cannot exceed ~2.3 here, and 3.2 is
        // order 1.7.
        if (order === 1) {
          expect(ratio).toBeGreaterThan(1.8);
          expect(ratio).toBeLessThan(2.4);
        } else {
          expect(ratio).toBeGreaterThan(3.2);
          expect(ratio).toBeLessThan(4.6);
        }
      }
    },
  );

  it('approaches the Nishimori plateau μ∞ = 1 + f′(1), e∞ = −f(1) at T = 1 (first order for Euler, second for heun)', () => {
    // At T > 0 the discrete stationary point is NOT the continuum one: the Euler map's invariant
    // measure carries an O(h) bias (measured μ − μ∞ = −4.1e-3, −1.6e-3, −7.5e-4 at h = 0.1, 0.05,
    // 0.025; the two-step scheme −1.1e-2, −1.8e-3, −4.2e-4). So the test checks that each converges
    // to the plateau at its order.
    const covariance = model(3, 1, 5);
    const end = nishimoriPlateau(covariance);
    for (const [scheme, order] of [
      ['euler', 1],
      ['heun', 2],
    ] as const) {
      const err = [0.1, 0.05, 0.025].map((h) => {
        const r = solveFixedGrid({
          covariance,
          temperature: 1,
          m0: 0.1,
          tmax: 20,
          grid: { kind: 'fixed', h, scheme },
        });
        return r.mu[r.mu.length - 1] - end.mu;
      });
      // Error ratio on halving h on the finer pair: Euler 2.2, two-step 4.2 (±25 %: still separates).
      const ratio = err[1] / err[2];
      expect(ratio).toBeGreaterThan(0.75 * 2 ** order);
      expect(ratio).toBeLessThan(1.25 * 2 ** order);
      expect(Math.abs(err[2])).toBeLessThan(1e-3);
    }
  });
});
