import { describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.ts';
import { fitEscapeTimes } from './thresholdExtrapolation.ts';

describe('fitEscapeTimes', () => {
  it('recovers an exact power law', () => {
    const pts = [2.1, 2.2, 2.4, 2.7, 3.1, 3.6].map((x) => ({ x, t: 7 * (x - 2) ** -1.3 }));
    const fit = fitEscapeTimes(pts);
    // Exact data: the only error is the optimiser's (tol 1e-12 on a log-scale variable).
    expect(fit.threshold).toBeCloseTo(2, 7);
    expect(fit.exponent).toBeCloseTo(1.3, 6);
    expect(fit.amplitude).toBeCloseTo(7, 5);
    expect(fit.thresholdError).toBeLessThan(1e-6);
  });

  it('error bars cover the truth at about the nominal rate under noise', () => {
    // Multiplicative 3% noise on t. A 2σ interval should cover a_c in ~95% of
    // samples; with 60 samples, fewer than 80% coverage would be a >4σ binomial
    // deviation, so the threshold 0.8 only fails for a wrong error model.
    let covered = 0;
    const samples = 60;
    for (let s = 0; s < samples; s++) {
      const rng = Rng.fromSeed(100 + s);
      const pts = [2.15, 2.3, 2.5, 2.8, 3.2, 3.8].map((x) => ({
        x,
        t: 5 * (x - 2) ** -1 * Math.exp(0.03 * rng.normal()),
      }));
      const fit = fitEscapeTimes(pts);
      if (Math.abs(fit.threshold - 2) < 2 * fit.thresholdError) covered++;
    }
    expect(covered / samples).toBeGreaterThan(0.8);
  });

  it('rejects too few points and bad times', () => {
    expect(() => fitEscapeTimes([{ x: 3, t: 1 }])).toThrow(/at least 4/);
    expect(() =>
      fitEscapeTimes([
        { x: 3, t: 1 },
        { x: 4, t: 0 },
        { x: 5, t: 1 },
        { x: 6, t: 1 },
      ]),
    ).toThrow(/t > 0/);
  });
});
