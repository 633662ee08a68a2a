import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { polynomialCovariance, spikedCovariance } from '../model/index.ts';
import { agingPlateau, gradientFlowEndState, nishimoriPlateau, thresholdState } from './endState.ts';
import { plateauStrength } from './stress.ts';

describe('gradientFlowEndState (THEORY §3)', () => {
  it('pure matrix model: m*² = 1 − Δ2 for Δ2 < 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 0.95, noNaN: true }), (delta2) => {
        const s = gradientFlowEndState(spikedCovariance({ p: 3, delta2, deltap: Number.POSITIVE_INFINITY }))!;
        // closed form vs Brent root of the general equation: root tolerance 1e-13 → 1e-12 on m²
        expect(s.m * s.m).toBeCloseTo(1 - delta2, 11);
        // χ = m/f'(m) = Δ2 for f'(m) = m/Δ2
        expect(s.chi).toBeCloseTo(delta2, 11);
      }),
      { seed: 7, numRuns: 50 },
    );
  });

  it('pure matrix model has no informative end state for Δ2 ≥ 1 (BBP, THEORY §4.2 check)', () => {
    expect(
      gradientFlowEndState(spikedCovariance({ p: 3, delta2: 1.2, deltap: Number.POSITIVE_INFINITY })),
    ).toBeNull();
  });

  it('is a fixed point of the ML-AMP state evolution m ← f′(m)/√(f′(m)² + f′(1)) (THEORY §6.1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.double({ min: 0.1, max: 0.45, noNaN: true }),
        fc.double({ min: 0.3, max: 3, noNaN: true }),
        (p, delta2, deltap) => {
          const f = spikedCovariance({ p, delta2, deltap });
          const s = gradientFlowEndState(f)!;
          const d = f.df(s.m);
          // an independent formulation of the same equation: agreement to round-off of the root
          expect(d / Math.sqrt(d * d + f.df(1))).toBeCloseTo(s.m, 11);
          expect(s.mu).toBeCloseTo(f.d2f(1) * s.chi + 1 / s.chi, 12);
        },
      ),
      { seed: 11, numRuns: 40 },
    );
  });

  it('Nishimori plateau and threshold states', () => {
    const f = spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 });
    // f'(1) = 1/Δ2 + 1/Δp = 3, f(1) = 1/(2Δ2) + 1/(3Δp) = 4/3
    const n = nishimoriPlateau(f);
    expect(n.mu).toBeCloseTo(4, 14);
    expect(n.energy).toBeCloseTo(-4 / 3, 14);
    // pure 3-spin with f = z³/3: f'(1) = 1, f''(1) = 2 → μ_th = 2√2, e_th = −2√2/3
    const th = thresholdState(polynomialCovariance([{ order: 3, coefficient: 1 / 3 }]));
    expect(th.mu).toBeCloseTo(2 * Math.SQRT2, 14);
    expect(th.energy).toBeCloseTo((-2 * Math.SQRT2) / 3, 14);
  });
});

describe('agingPlateau: the marginal plateau of T > 0 aging (THEORY §3, "Aging at T > 0")', () => {
  it('pure matrix (f″ = 1/Δ2): q_EA = 1 − T√Δ2', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 4, noNaN: true }),
        fc.double({ min: 0.02, max: 0.98, noNaN: true }),
        (delta2, s) => {
          const T = s / Math.sqrt(delta2); // T√Δ2 = s < 1: a plateau exists
          const f = spikedCovariance({ p: 3, delta2, deltap: Number.POSITIVE_INFINITY });
          // 60 bisections of a 1/4096 bracket: the root to ~1e-16, compared at 1e-12
          expect(agingPlateau(f, T)).toBeCloseTo(1 - s, 12);
        },
      ),
      { seed: 11, numRuns: 50 },
    );
  });

  it('pure p = 3 (f = q³/2) at its dynamical transition T_d = √(3/8): the marginal and the equilibrium plateau meet at q = 1/2', () => {
    // Published values of the spherical 3-spin model (Crisanti–Horner–Sommers, Cugliandolo–Kurchan):
    // T_d² = 3/8, q_d = 1/2. f = q³/(3Δp) = q³/2 at Δp = 2/3.
    const f = spikedCovariance({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 2 / 3 });
    expect(agingPlateau(f, Math.sqrt(3 / 8))).toBeCloseTo(0.5, 12);
    // The fold of T² q = f'(q)(1 − q) is at q = 1/2, a point of the 1/2000 grid: exact to rounding.
    expect(plateauStrength(f)).toBeCloseTo(3 / 8, 12);
    // Above the largest f″(q)(1 − q)² (4/9 at q = 1/3) there is no plateau.
    expect(agingPlateau(f, 0.7)).toBeNull();
  });
});
