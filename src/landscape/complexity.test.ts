import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { brentMinimize, integrate } from '../numerics/index.ts';
import {
  complexity,
  complexityAll,
  complexityAtEnergy,
  complexityMinima,
  complexityWithEnergy,
  minimaMultiplier,
  semicircleLogPotential,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
  typicalEnergy,
} from './complexity.ts';

const INF = Number.POSITIVE_INFINITY;

describe('semicircleLogPotential (THEORY §4.2, last line of Σ)', () => {
  it('equals ∫ ln|z − s| ρ_sc(s) ds + ½ computed by quadrature, inside and outside the bulk', () => {
    const rho = (s: number) => Math.sqrt(Math.max(0, 4 - s * s)) / (2 * Math.PI);
    for (const z of [-3.1, -2, -0.7, 0, 1.3, 1.999, 2.0001, 2.5, 6]) {
      const breakpoints = Math.abs(z) < 2 ? [z] : [];
      const numeric = integrate((s) => Math.log(Math.abs(z - s)) * rho(s), -2, 2, { breakpoints }) + 0.5;
      // tanh–sinh with the log singularity as a breakpoint converges to ~1e-13; 1e-10 leaves margin
      // for z at 2.0001 where the singularity sits 1e-4 from the square-root edge.
      expect(semicircleLogPotential(z)).toBeCloseTo(numeric, 10);
    }
  });
});

describe('complexity Σ(m, μ) (THEORY §4.2)', () => {
  it('total complexity of the pure p-spin model is ½ ln(p − 1)', () => {
    for (const p of [3, 4, 5, 7]) {
      const f = spikedCovariance({ p, delta2: INF, deltap: 0.7 });
      // Closed form of the literature; the maximisation over μ is closed form too (μ = 0): 1e-14.
      expect(complexityAll(f, 0).complexity).toBeCloseTo(0.5 * Math.log(p - 1), 14);
      expect(complexityAll(f, 0).mu).toBeCloseTo(0, 14);
    }
  });

  it('threshold states of the pure 3-spin: μ_th = 2√2, e_th = −2√2/3, Σ_th = ½ ln 2 − 1/3', () => {
    const f = spikedCovariance({ p: 3, delta2: INF, deltap: 1 });
    // Closed forms (THEORY §3 and §4.2); all are evaluated without iteration: 1e-14.
    expect(thresholdMultiplier(f)).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(thresholdEnergy(f)).toBeCloseTo((-2 * Math.SQRT2) / 3, 14);
    expect(thresholdComplexity(f)).toBeCloseTo(0.5 * Math.LN2 - 1 / 3, 14);
    expect(complexityMinima(f, 0).complexity).toBeCloseTo(0.5 * Math.LN2 - 1 / 3, 14);
  });

  it('the unconstrained maximiser over μ agrees with a numerical maximisation (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.double({ min: -0.95, max: 0.95, noNaN: true }),
        (p, delta2, deltap, m) => {
          const f = spikedCovariance({ p, delta2, deltap });
          const closed = complexityAll(f, m);
          const w = 30 * (1 + Math.sqrt(f.d2f(1)) + f.df(1));
          const numeric = brentMinimize((mu) => -complexity(f, m, mu), -w, w, { tol: 1e-11 });
          // At a smooth maximum Σ is second order in the μ error; values agree to ~1e-15 (1e-12 margin),
          // locations to ~√ε·scale (1e-6 relative margin).
          return (
            Math.abs(closed.complexity + numeric.value) < 1e-12 &&
            Math.abs(closed.mu - numeric.x) < 1e-6 * (1 + Math.abs(closed.mu))
          );
        },
      ),
      { numRuns: 300, seed: 20191 },
    );
  });

  it('Σ_min at m = 0 agrees with the closed form Σ_th and with a constrained numerical maximisation', () => {
    for (const [p, delta2, deltap] of [
      [3, 1, 1],
      [4, 2, 0.5],
      [3, 0.3, 1],
      [5, 0.7, 3],
    ]) {
      const f = spikedCovariance({ p, delta2, deltap });
      const lower = minimaMultiplier(f, 0);
      const numeric = brentMinimize((mu) => -complexity(f, 0, mu), lower, lower + 20, { tol: 1e-12 });
      // When the constraint binds, Brent approaches the end point only to ~√ε·|μ| ≈ 1e-7, and the
      // slope there is O(0.1): agreement to 1e-8, so precision 7.
      expect(complexityMinima(f, 0).complexity).toBeCloseTo(-numeric.value, 7);
      expect(complexityMinima(f, 0).complexity).toBeGreaterThanOrEqual(-numeric.value);
      if (1 / delta2 <= Math.sqrt(f.d2f(1))) {
        // θ(0) = 1/Δ2 ≤ σ: the minima are the marginal threshold states, closed form of §4.2.
        expect(complexityMinima(f, 0).complexity).toBeCloseTo(thresholdComplexity(f), 13);
        expect(complexityMinima(f, 0).mu).toBeCloseTo(thresholdMultiplier(f), 13);
      }
    }
  });
});

describe('complexity with the energy, Σ(m, e, μ) (THEORY §4.2)', () => {
  it('maximising over e gives back Σ(m, μ) at the typical energy', () => {
    const f = spikedCovariance({ p: 3, delta2: 0.8, deltap: 1.3 });
    for (const [m, mu] of [
      [0, 3],
      [0.3, 4],
      [-0.2, 2.5],
    ]) {
      const best = brentMinimize((e) => -complexityWithEnergy(f, m, e, mu), -5, 2, { tol: 1e-12 });
      // Quadratic in e: the maximum value is found to ~1e-15 and its location to ~1e-8.
      expect(-best.value).toBeCloseTo(complexity(f, m, mu), 13);
      expect(best.x).toBeCloseTo(typicalEnergy(f, m, mu), 7);
    }
  });

  it('complexityAtEnergy maximises Σ(m, e, μ) over μ (checked against Brent)', () => {
    const f = spikedCovariance({ p: 4, delta2: 1.5, deltap: 0.6 });
    for (const [m, e] of [
      [0, -1.0],
      [0.2, -1.3],
      [0.5, -0.9],
    ]) {
      const r = complexityAtEnergy(f, m, e);
      const numeric = brentMinimize((mu) => -complexityWithEnergy(f, m, e, mu), -30, 30, { tol: 1e-12 });
      // Smooth concave maximum: values agree to rounding (1e-12 margin).
      expect(r.complexity).toBeCloseTo(-numeric.value, 12);
      const rm = complexityAtEnergy(f, m, e, { minima: true });
      expect(rm.mu).toBeGreaterThanOrEqual(minimaMultiplier(f, m));
      expect(rm.complexity).toBeLessThanOrEqual(r.complexity + 1e-15);
    }
    // The best energy reproduces Σ_all(m).
    const all = complexityAll(f, 0.2);
    expect(complexityAtEnergy(f, 0.2, all.energy).complexity).toBeCloseTo(all.complexity, 12);
  });
});
