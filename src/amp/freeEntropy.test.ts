import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { polynomialCovariance, spikedCovariance } from '../model/index.ts';
import { bayesStationaryPoints, phiRS } from './freeEntropy.ts';
import { bayesSeStep, bayesStateEvolution } from './stateEvolution.ts';

describe('phiRS (THEORY §6.2)', () => {
  it('equals ½ ln(1−m) + m/2 + m²/(4Δ2) + m^p/(2pΔp)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 7 }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (p, delta2, deltap, m) => {
          const direct = 0.5 * Math.log(1 - m) + m / 2 + (m * m) / (4 * delta2) + m ** p / (2 * p * deltap);
          // Same terms summed in another order: rounding of O(10) terms of size ≤ ~40.
          return Math.abs(phiRS(m, { p, delta2, deltap }) - direct) <= 1e-12 * (1 + Math.abs(direct));
        },
      ),
    );
  });

  it('p = 3 near the tricritical line 1/Δ2 = 1: Φ_RS = (1/Δp − 1) m³/6 − m⁴/8 + O(m⁵)', () => {
    for (const deltap of [0.5, 1, 2]) {
      for (const m of [1e-3, 1e-2, 3e-2]) {
        const series = ((1 / deltap - 1) * m ** 3) / 6 - m ** 4 / 8;
        // Next term of ½ln(1−m) is −m⁵/10; allow 2× that plus rounding of O(m) terms.
        expect(Math.abs(phiRS(m, { p: 3, delta2: 1, deltap }) - series)).toBeLessThan(m ** 5 / 5 + 1e-17);
      }
    }
  });

  it('rejects m outside [0, 1)', () => {
    expect(() => phiRS(1, { p: 3, delta2: 1, deltap: 1 })).toThrow(/m must/);
    expect(() => phiRS(-0.1, { p: 3, delta2: 1, deltap: 1 })).toThrow(/m must/);
  });
});

describe('bayesStationaryPoints (THEORY §6.2)', () => {
  const specs = [
    { p: 3, delta2: 1 / 0.95, deltap: 0.5 }, // hard phase: 0, unstable, informative
    { p: 3, delta2: 0.5, deltap: 2 }, // easy: 0 (unstable), informative
    { p: 3, delta2: 2, deltap: 2 }, // impossible, continuous: only 0
    { p: 4, delta2: 1 / 1.05, deltap: 0.2 }, // two stable branches (p = 4, small Δp)
    { p: 3, delta2: 5, deltap: 0.1 }, // strong tensor: informative branch although 1/Δ2 is small
  ];

  it('are exactly the zeros of dΦ_RS/dm, found independently by finite differences on a fine grid', () => {
    for (const spec of specs) {
      const pts = bayesStationaryPoints(spec);
      expect(pts[0]).toBe(0);
      // Independent: sign changes of a central-difference derivative of phiRS on (0, 1).
      const h = 1e-7;
      const f = spikedCovariance(spec);
      const dphi = (m: number) => (phiRS(m + h, f) - phiRS(m - h, f)) / (2 * h);
      const found: number[] = [];
      const n = 20_000;
      for (let k = 1; k < n - 1; k++) {
        const a = k / n;
        const b = (k + 1) / n;
        if (dphi(a) > 0 !== dphi(b) > 0) found.push(0.5 * (a + b));
      }
      expect(pts.length - 1).toBe(found.length);
      // Grid spacing 5e-5: each point lies in the located cell.
      for (let i = 0; i < found.length; i++) expect(Math.abs(pts[i + 1] - found[i])).toBeLessThan(5e-5);
    }
  });

  it('are fixed points of the state-evolution map, and its attractors are the local maxima of Φ_RS', () => {
    for (const spec of specs) {
      const f = spikedCovariance(spec);
      for (const m of bayesStationaryPoints(spec)) {
        // Roots polished to ~1e-15; the map's rounding is ~1e-16.
        expect(Math.abs(bayesSeStep(f, m) - m)).toBeLessThan(1e-13);
        if (m === 0) continue;
        const curvature = phiRS(m + 1e-4, spec) + phiRS(m - 1e-4, spec) - 2 * phiRS(m, spec);
        const fromBelow = bayesStateEvolution(spec, m - 1e-3, 200_000, 1e-15).fixedPoint;
        if (curvature < 0) expect(Math.abs(fromBelow - m)).toBeLessThan(1e-12);
        else expect(Math.abs(fromBelow - m)).toBeGreaterThan(1e-3);
      }
    }
  });

  it('works for a general covariance (mixed 2+3+4 model)', () => {
    const f = polynomialCovariance([
      { order: 2, coefficient: 0.45 },
      { order: 3, coefficient: 0.3 },
      { order: 4, coefficient: 1 },
    ]);
    const pts = bayesStationaryPoints(f);
    // f'(m)/m = 0.9 + 0.9m + 4m² crosses 1/(1−m) twice on (0, 1): an unstable and a stable branch.
    expect(pts.length).toBe(3);
    // Stationarity of ½[ln(1−m) + m + f(m)]: f'(m) = m/(1−m), to root precision.
    for (const m of pts) expect(Math.abs(f.df(m) - m / (1 - m))).toBeLessThan(1e-12);
  });
});
