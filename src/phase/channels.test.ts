/**
 * Thresholds of models with several tensor channels (issue 15 item 1), against independent
 * root solves written out from the formulas of THEORY §3–§4 (not through the closed forms).
 */
import { describe, expect, it } from 'vitest';
import { mlStateEvolution } from '../amp/index.ts';
import { hessianSpectrum, thresholdMultiplier } from '../landscape/index.ts';
import { type Channel, channelCovariance } from '../model/index.ts';
import { brentRoot } from '../numerics/index.ts';
import {
  channelGfEndState,
  channelGfThreshold,
  channelMlAmpThreshold,
  channelThresholds,
  tensorChannels,
} from './channels.ts';
import { thresholds } from './table.ts';

/** Two three-channel models (matrix + two tensor orders) and one with three tensor orders. */
const MODELS: Channel[][] = [
  [
    { order: 3, delta: 2 },
    { order: 4, delta: 4 },
  ],
  [
    { order: 3, delta: 0.5 },
    { order: 5, delta: 3 },
  ],
  [
    { order: 3, delta: 1 },
    { order: 4, delta: 2 },
    { order: 6, delta: 5 },
  ],
];

/** f, f', f'', written out from the channels: `z²/(2Δ2) + Σ_k z^k/(kΔk)`. */
function explicit(a: number, channels: Channel[]) {
  const f = (z: number) =>
    (a * z * z) / 2 + channels.reduce((s, c) => s + z ** c.order / (c.order * c.delta), 0);
  const df = (z: number) => a * z + channels.reduce((s, c) => s + z ** (c.order - 1) / c.delta, 0);
  const d2f = (z: number) =>
    a + channels.reduce((s, c) => s + ((c.order - 1) * z ** (c.order - 2)) / c.delta, 0);
  return { f, df, d2f };
}

describe('channel thresholds (THEORY §4.1, §5 with the covariance of several channels)', () => {
  for (const channels of MODELS) {
    const name = channels.map((c) => `${c.order}:${c.delta}`).join(',');

    it(`GF line = the BBP point θ(0) = σ of the threshold states, by Brent (${name})`, () => {
      // θ and σ read off the Hessian spectrum of landscape/ at m = 0, μ = 2σ, for the channel covariance.
      const gap = (a: number) => {
        const cov = channelCovariance([{ order: 2, delta: 1 / a }, ...channels]);
        const h = hessianSpectrum(cov, 0, thresholdMultiplier(cov));
        return h.theta - h.sigma;
      };
      const bbp = brentRoot(gap, 0.5, 100, { tol: 1e-14 });
      // Both are exact to rounding: the closed form and a Brent root at 1e-14.
      expect(channelGfThreshold(channels)).toBeCloseTo(bbp, 11);
    });

    it(`ML-AMP line = unit slope of the state evolution at m = 0, by Brent (${name})`, () => {
      // Forward difference at m = 1e-7: the order-≥3 terms change the slope by O(m) = 1e-7.
      const slope = (a: number) => {
        const { df } = explicit(a, channels);
        const m = 1e-7;
        return df(m) / Math.sqrt(df(m) ** 2 + df(1)) / m - 1;
      };
      expect(channelMlAmpThreshold(channels)).toBeCloseTo(brentRoot(slope, 0.5, 50), 5);
    });

    it(`GF end state = root of the DMFT t → ∞ equations and the ML-AMP fixed point (${name})`, () => {
      const a = 1.5 * channelGfThreshold(channels);
      const all = [{ order: 2, delta: 1 / a }, ...channels];
      const end = channelGfEndState(all)!;
      // THEORY §3 limit of the m-, R- and μ-equations: χ = m/f'(m), μ = f''(1)χ + 1/χ, and
      // μ = m f'(m) + χ(f'(1) + f''(1)); Brent on the residual from explicit polynomials.
      const { f, df, d2f } = explicit(a, channels);
      const residual = (m: number) => {
        const chi = m / df(m);
        return d2f(1) * chi + 1 / chi - (m * df(m) + chi * (df(1) + d2f(1)));
      };
      const lo = [0.3, 0.5, 0.7, 0.9].find((m) => residual(m) > 0)!;
      const mStar = brentRoot(residual, lo, 1 - 1e-12, { tol: 1e-15 });
      // Both polished roots of equivalent equations: 1e-10.
      expect(end.m).toBeCloseTo(mStar, 10);
      const chi = mStar / df(mStar);
      expect(end.energy).toBeCloseTo(-f(mStar) - chi * df(1), 9);
      expect(end.mu).toBeCloseTo(d2f(1) * chi + 1 / chi, 9);
      // Third method: the ML-AMP state evolution (THEORY §6.1) from m0 = 0.99.
      expect(mlStateEvolution(channelCovariance(all), 0.99, 100_000, 1e-14).fixedPoint).toBeCloseTo(mStar, 8);
      // Σ = 0 at the end state (THEORY §4.2 check), to rounding of O(1) terms.
      expect(Math.abs(end.complexity)).toBeLessThan(1e-10);
    });
  }

  it('lines are ordered trivAllM ≥ trivNonNegativeM ≥ gf > mlAmp, and the matrix Δ given is ignored', () => {
    for (const channels of MODELS.slice(0, 2)) {
      const t = channelThresholds(channels);
      expect(t.trivAllM).toBeGreaterThanOrEqual(t.trivNonNegativeM);
      expect(t.trivNonNegativeM).toBeGreaterThanOrEqual(t.gf);
      expect(t.gf).toBeGreaterThan(t.mlAmp);
      expect(t.bayesIT).toBeLessThanOrEqual(1);
      // The lines are values of 1/Δ2: a given matrix channel does not move them.
      expect(channelThresholds([{ order: 2, delta: 0.3 }, ...channels])).toEqual(t);
    }
  });

  it('one tensor channel reproduces the 2+p lines', () => {
    for (const [p, deltap] of [
      [3, 0.7],
      [4, 1.5],
    ]) {
      const c = channelThresholds([{ order: p, delta: deltap }]);
      const t = thresholds(p, deltap);
      // Same root finders on the same covariance, but bisection (bayesIT) vs the branch
      // analysis of amp/ and different brackets: 1e-9.
      for (const key of [
        'gf',
        'mlAmp',
        'trivAllM',
        'trivNonNegativeM',
        'bayesIT',
        'langevinConjecture',
      ] as const)
        expect(c[key], key).toBeCloseTo(t[key]!, 9);
    }
  });

  it('validates channels, naming the order', () => {
    expect(() =>
      tensorChannels([
        { order: 3, delta: 1 },
        { order: 3, delta: 2 },
      ]),
    ).toThrow(/order 3 given twice/);
    expect(() => tensorChannels([{ order: 1.5, delta: 1 }])).toThrow(/order/);
    expect(() => tensorChannels([{ order: 4, delta: 0 }])).toThrow(/order-4/);
    expect(() => tensorChannels([{ order: 4, delta: 1e7 }])).toThrow(/order-4/);
    expect(channelThresholds([{ order: 3, delta: Number.POSITIVE_INFINITY }]).gf).toBe(1);
  });
});
