import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { brentRoot } from '../numerics/index.ts';
import { bayesStationaryPoints } from './freeEntropy.ts';
import { bayesSeStep, bayesStateEvolution, mlSeStep, mlStateEvolution } from './stateEvolution.ts';

/**
 * Residual of the t → ∞ limit of the THEORY §3 μ-equation when the signal is found
 * (C → 1, χ = ∫R): the m-equation `0 = −μm + f'(m) + χ f''(1) m` and the R-equation
 * `−1 = −μχ + f''(1)χ²` give `χ = m/f'(m)`, `μ = f''(1)χ + 1/χ`; what is left is
 * `μ = m f'(m) + χ (f'(1) + f''(1))` (T = 0). Derived from the DMFT equations,
 * not from the state-evolution map.
 */
function gfEndStateResidual(m: number, p: number, delta2: number, deltap: number): number {
  const f = spikedCovariance({ p, delta2, deltap });
  const chi = m / f.df(m);
  const mu = f.d2f(1) * chi + 1 / chi;
  return mu - (m * f.df(m) + chi * (f.df(1) + f.d2f(1)));
}

/** Annealed Kac–Rice complexity Σ(m, μ) of THEORY §4.2, written out from the formula. */
function complexity(m: number, mu: number, p: number, delta2: number, deltap: number): number {
  const f = spikedCovariance({ p, delta2, deltap });
  const q1 = f.df(1);
  const q2 = f.d2f(1);
  const z = mu / Math.sqrt(q2);
  const tail = z > 2 ? (z / 4) * Math.sqrt(z * z - 4) - Math.log((z + Math.sqrt(z * z - 4)) / 2) : 0;
  return (
    0.5 * Math.log(q2 / q1) +
    0.5 * Math.log(1 - m * m) -
    (f.df(m) ** 2 * (1 - m * m)) / (2 * q1) -
    (mu - m * f.df(m)) ** 2 / (2 * (q1 + q2)) +
    (z * z) / 4 -
    tail
  );
}

describe('ML-AMP state evolution (THEORY §6.1)', () => {
  const cases: Array<[number, number, number]> = [
    [3, 0.5, 1],
    [3, 0.2, 0.5],
    [4, 0.3, 2],
    [4, 0.6, 0.2],
    [5, 0.4, 0.7],
  ];

  it('its fixed point is the gradient-flow end state of THEORY §3 to 1e-8', () => {
    for (const [p, delta2, deltap] of cases) {
      const se = mlStateEvolution({ p, delta2, deltap }, 0.99, 100_000, 1e-14);
      expect(se.converged).toBe(true);
      // Independent: solve the DMFT end-state residual by bracketing on (0.3, 1) (it is
      // negative just below 1, positive well inside for these informative cases).
      const g = (m: number) => gfEndStateResidual(m, p, delta2, deltap);
      const lo = [0.3, 0.5, 0.7, 0.9].find((m) => g(m) > 0)!;
      const mStar = brentRoot(g, lo, 1 - 1e-12, { tol: 1e-15 });
      // Spec: "equals the GF end state to 1e-8"; both sides are polished roots (~1e-15).
      expect(Math.abs(se.fixedPoint - mStar)).toBeLessThan(1e-8);
      expect(Math.abs(g(se.fixedPoint))).toBeLessThan(1e-10);
    }
  });

  it('the fixed point is a zero-complexity minimum of THEORY §4.2 (Σ(m*, μ*) = 0, Σ < 0 nearby)', () => {
    for (const [p, delta2, deltap] of cases) {
      const f = spikedCovariance({ p, delta2, deltap });
      const m = mlStateEvolution({ p, delta2, deltap }, 0.99, 100_000, 1e-14).fixedPoint;
      const chi = m / f.df(m);
      const mu = f.d2f(1) * chi + 1 / chi;
      // Σ is a sum of O(1) terms; 1e-12 allows their rounding.
      expect(Math.abs(complexity(m, mu, p, delta2, deltap))).toBeLessThan(1e-12);
      // The zero is a maximum in both m and μ: moving off it gives negative complexity.
      expect(complexity(m - 0.02, mu, p, delta2, deltap)).toBeLessThan(0);
      expect(complexity(m + 0.02, mu, p, delta2, deltap)).toBeLessThan(0);
      expect(complexity(m, mu * 1.05, p, delta2, deltap)).toBeLessThan(0);
    }
  });

  it('pure matrix model: m*² = 1 − Δ2 (closed form)', () => {
    for (const delta2 of [0.1, 0.5, 0.9]) {
      const se = mlStateEvolution({ p: 3, delta2, deltap: Number.POSITIVE_INFINITY }, 0.5, 100_000, 1e-15);
      // Polished root: machine precision up to the conditioning of m ↦ m².
      expect(se.fixedPoint).toBeCloseTo(Math.sqrt(1 - delta2), 13);
    }
  });

  it('m = 0 is linearly unstable iff 1/Δ2 > √(1/Δ2 + 1/Δp): one step multiplies a tiny m by that ratio', () => {
    for (const [delta2, deltap] of [
      [0.5, 1],
      [1.2, 3],
      [0.4, 0.4],
    ]) {
      const f = spikedCovariance({ p: 3, delta2, deltap });
      const m0 = 1e-9;
      const ratio = mlSeStep(f, m0) / m0;
      // Linearisation error is O(m0) relative.
      expect(ratio).toBeCloseTo(1 / delta2 / Math.sqrt(1 / delta2 + 1 / deltap), 7);
    }
  });

  it('records the trajectory: m[0] = m0, m[t+1] = step(m[t]), iters = length − 1', () => {
    const spec = { p: 4, delta2: 0.5, deltap: 1 };
    const f = spikedCovariance(spec);
    const se = mlStateEvolution(spec, 0.3, 5, 0);
    expect(se.iters).toBe(5);
    expect(se.converged).toBe(false);
    expect(se.m[0]).toBe(0.3);
    for (let t = 0; t < 5; t++) expect(se.m[t + 1]).toBe(mlSeStep(f, se.m[t]));
    expect(se.fixedPoint).toBe(se.m[5]);
  });

  it('accepts a covariance in place of 2+p parameters', () => {
    const spec = { p: 3, delta2: 0.6, deltap: 0.8 };
    const a = mlStateEvolution(spec, 0.7, 1000);
    const b = mlStateEvolution(spikedCovariance(spec), 0.7, 1000);
    expect(b.fixedPoint).toBe(a.fixedPoint);
  });

  it('rejects bad arguments', () => {
    const spec = { p: 3, delta2: 0.6, deltap: 0.8 };
    expect(() => mlStateEvolution(spec, 1.5, 10)).toThrow(/m0/);
    expect(() => mlStateEvolution(spec, 0.5, -1)).toThrow(/maxIters/);
    expect(() => mlStateEvolution({ p: 2, delta2: 1, deltap: 1 }, 0.5, 10)).toThrow(/p must/);
    expect(() => bayesStateEvolution(spec, -0.1, 10)).toThrow(/m0/);
  });
});

describe('Bayes-AMP state evolution (THEORY §6.2)', () => {
  it('converges to a stationary point of Φ_RS that is a fixed point to machine precision', () => {
    for (const spec of [
      { p: 3, delta2: 1 / 0.95, deltap: 0.5 },
      { p: 4, delta2: 1 / 1.05, deltap: 0.2 },
      { p: 3, delta2: 0.5, deltap: 2 },
    ]) {
      const f = spikedCovariance(spec);
      const stationary = bayesStationaryPoints(spec);
      for (const m0 of [1e-6, 0.3, 0.6, 0.95]) {
        const se = bayesStateEvolution(spec, m0, 200_000, 1e-14);
        expect(se.converged).toBe(true);
        // Polished by Brent to ~1e-15; one step moves it by rounding only.
        expect(Math.abs(bayesSeStep(f, se.fixedPoint) - se.fixedPoint)).toBeLessThan(1e-14);
        const nearest = Math.min(...stationary.map((s) => Math.abs(s - se.fixedPoint)));
        expect(nearest).toBeLessThan(1e-12);
      }
    }
  });

  it('the map is monotone so the trajectory is monotone (no overshoot)', () => {
    const se = bayesStateEvolution({ p: 3, delta2: 0.8, deltap: 1.5 }, 0.01, 10_000);
    for (let t = 1; t < se.m.length; t++) expect(se.m[t]).toBeGreaterThanOrEqual(se.m[t - 1]);
  });

  it('pure matrix model: fixed point m = 1 − Δ2 (closed form of r/(1+r) with r = m/Δ2)', () => {
    for (const delta2 of [0.2, 0.7]) {
      const se = bayesStateEvolution({ p: 3, delta2, deltap: Number.POSITIVE_INFINITY }, 0.5, 100_000);
      expect(se.fixedPoint).toBeCloseTo(1 - delta2, 13);
    }
  });
});

describe('state evolutions at extreme noise (issue 11 item 5)', () => {
  // With 1/Δ2 = 1e160 (or 1/Δp = 1e300) f'(m)² overflows; the naive step returned 0 and the
  // iteration "converged" to m = 0. Independent expectation: the end-state equation
  // m*² = f'(m*)²/(f'(m*)² + f'(1)) gives 1 − m*² ≈ f'(1)/f'(m*)² ≤ 1e-100 here, so m* = 1 in
  // double precision; both maps are increasing, so every iterate from m0 = 0.1 stays ≥ m0.
  const extreme = [
    { p: 3, delta2: 1e-160, deltap: 1 },
    { p: 3, delta2: 1, deltap: 1e-300 },
    { p: 4, delta2: 1e-300, deltap: 1e-300 },
    { p: 5, delta2: Number.POSITIVE_INFINITY, deltap: 1e-300 },
  ];
  for (const spec of extreme) {
    it(`ML and Bayes reach m = 1 at Δ2 = ${spec.delta2}, Δp = ${spec.deltap}, p = ${spec.p}`, () => {
      for (const se of [
        mlStateEvolution(spec, 0.1, 1000, 1e-14),
        bayesStateEvolution(spec, 0.1, 1000, 1e-14),
      ]) {
        expect(se.converged).toBe(true);
        expect(se.fixedPoint).toBe(1);
        for (const m of se.m) expect(m).toBeGreaterThanOrEqual(0.1);
      }
    });
  }

  it('agrees with the naive formula wherever that one does not overflow', () => {
    const f = spikedCovariance({ p: 3, delta2: 1e-100, deltap: 1e-50 });
    for (const m of [-0.9, -1e-3, 0, 1e-120, 1e-3, 0.5]) {
      const d = f.df(m);
      // d² ≤ 1e200: the textbook form is exact to rounding; hypot is within 1 ulp of it.
      expect(mlSeStep(f, m)).toBeCloseTo(d / Math.sqrt(d * d + f.df(1)), 14);
      expect(bayesSeStep(f, m)).toBeCloseTo(d / (1 + d), 14);
    }
  });

  it('refuses Δ below STATE_EVOLUTION_DELTA_MIN with a message naming the parameter', () => {
    expect(() => mlStateEvolution({ p: 3, delta2: 1e-310, deltap: 1 }, 0.1, 10)).toThrow(/delta2/);
    expect(() => bayesStateEvolution({ p: 3, delta2: 1, deltap: 1e-305 }, 0.1, 10)).toThrow(/deltap/);
  });
});
