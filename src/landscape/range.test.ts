/**
 * Landscape quantities at extreme noise (issue 11 item 5): every number the `landscape`
 * command documents is finite over the accepted range, and the range is enforced.
 */
import { describe, expect, it } from 'vitest';
import { type SpikedParams, spikedCovariance } from '../model/index.ts';
import { complexityAll, complexityMinima, thresholdEnergy, thresholdMultiplier } from './complexity.ts';
import { hessianSpectrum } from './hessian.ts';
import { LANDSCAPE_DELTA_MIN, validateLandscapeParams } from './range.ts';
import { signalMinimum } from './signal.ts';

/** The numbers `saddlesurf landscape --json` reports for one model (null where documented). */
function documented(params: SpikedParams): Record<string, number | null> {
  const cov = spikedCovariance(params);
  const mu = thresholdMultiplier(cov);
  const zero = complexityMinima(cov, 0);
  const out: Record<string, number | null> = {
    complexityMinima: zero.complexity,
    muMinima: zero.mu,
    muThreshold: mu,
    energyThreshold: thresholdEnergy(cov),
    lowestEigenvalue: hessianSpectrum(cov, 0, mu).lowestEigenvalue,
  };
  for (const m of [-0.995, -0.4, 0.3, 0.995]) {
    const c = complexityMinima(cov, m);
    out[`minima(${m})`] = c.complexity;
    out[`mu(${m})`] = c.mu;
    out[`energy(${m})`] = c.energy;
    out[`all(${m})`] = complexityAll(cov, m).complexity;
  }
  const s = signalMinimum(cov);
  out.signalM = s?.m ?? null;
  out.signalEnergy = s?.energy ?? null;
  out.signalLowest = s?.hessian.lowestEigenvalue ?? null;
  return out;
}

describe('landscape over the accepted Δ range', () => {
  const deltas = [LANDSCAPE_DELTA_MIN, 1e-3, 1 / 3, 1e3, 1e8, 1e300, Number.POSITIVE_INFINITY];
  for (const p of [3, 4]) {
    it(`p = ${p}: every documented number is finite for Δ2, Δp ∈ [${LANDSCAPE_DELTA_MIN}, ∞]`, () => {
      for (const delta2 of deltas) {
        for (const deltap of deltas) {
          if (delta2 === Number.POSITIVE_INFINITY && deltap === Number.POSITIVE_INFINITY) continue;
          for (const [name, v] of Object.entries(documented({ p, delta2, deltap }))) {
            // The signal minimum is null exactly where the end-state equation has no root (documented).
            if (v === null && name.startsWith('signal')) continue;
            expect(Number.isFinite(v), `${name} at Δ2 = ${delta2}, Δp = ${deltap}`).toBe(true);
          }
        }
      }
    });
  }

  it('at the smallest Δ the signal minimum exists and sits at 1 − m* ≈ Δ/2 (pure matrix: m*² = 1 − Δ2)', () => {
    const s = signalMinimum(
      spikedCovariance({ p: 3, delta2: LANDSCAPE_DELTA_MIN, deltap: Number.POSITIVE_INFINITY }),
    )!;
    // THEORY §3 closed form m* = √(1 − Δ2); Brent polishes the root to ~1e-15.
    expect(s.m).toBeCloseTo(Math.sqrt(1 - LANDSCAPE_DELTA_MIN), 13);
    expect(
      signalMinimum(spikedCovariance({ p: 3, delta2: 1 / 3, deltap: LANDSCAPE_DELTA_MIN })),
    ).not.toBeNull();
  });

  it('the typical energy does not overflow where q1·μ would (energyThreshold was −∞ at Δp = 1e-300)', () => {
    const cov = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1e-300 });
    const e = thresholdEnergy(cov);
    expect(Number.isFinite(e)).toBe(true);
    // Closed form at m = 0 (THEORY §3): e_th = −2√q2·q1/(q1+q2), with q1 ≈ 1e300, q2 ≈ 2e300.
    expect(e / (-2 * Math.sqrt(2e300) * (1 / 3))).toBeCloseTo(1, 10);
  });

  it('refuses Δ below the range, naming the parameter', () => {
    expect(() => validateLandscapeParams({ p: 3, delta2: 1 / 3, deltap: 1e-300 })).toThrow(/deltap/);
    expect(() => validateLandscapeParams({ p: 3, delta2: 1e-9, deltap: 1 })).toThrow(/delta2/);
    expect(() =>
      validateLandscapeParams({ p: 3, delta2: LANDSCAPE_DELTA_MIN, deltap: Infinity }),
    ).not.toThrow();
  });
});
