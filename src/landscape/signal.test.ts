import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { brentMinimize } from '../numerics/index.ts';
import { complexityMinima, thresholdMultiplier, typicalEnergy } from './complexity.ts';
import { hessianSpectrum } from './hessian.ts';
import { endStateOverlaps, signalMinimum } from './signal.ts';

const INF = Number.POSITIVE_INFINITY;

/** ML-AMP state evolution m ← f'(m)/√(f'(m)² + f'(1)) (THEORY §6.1), iterated from m = 0.99. */
function mlAmpFixedPoint(f: ReturnType<typeof spikedCovariance>): number {
  let m = 0.99;
  for (let t = 0; t < 100_000; t++) {
    const fp = f.df(m);
    const next = fp / Math.sqrt(fp * fp + f.df(1));
    if (Math.abs(next - m) < 1e-15) return next;
    m = next;
  }
  return m;
}

const CASES: Array<[number, number, number]> = [
  [3, 0.5, 1],
  [3, 0.3, 0.2],
  [4, 0.4, 1.5],
  [4, 1.2, 0.05],
  [5, 0.3, 0.3],
];

describe('signalMinimum (THEORY §3, §4.2)', () => {
  it('has zero Kac–Rice complexity (to 1e-10)', () => {
    for (const [p, delta2, deltap] of CASES) {
      const s = signalMinimum(spikedCovariance({ p, delta2, deltap }))!;
      expect(s).not.toBeNull();
      // THEORY §4.2 check; the cancellation of O(1) terms leaves rounding ~1e-15.
      expect(Math.abs(s.complexity)).toBeLessThan(1e-10);
    }
  });

  it('its overlap is the fixed point of the ML-AMP state evolution and the peak of Σ_min(m)', () => {
    for (const [p, delta2, deltap] of CASES) {
      const f = spikedCovariance({ p, delta2, deltap });
      const s = signalMinimum(f)!;
      // Iteration (linear convergence, stopped at 1e-15 steps) vs Brent root: 1e-10 covers a slow contraction.
      expect(s.m).toBeCloseTo(mlAmpFixedPoint(f), 10);
      // The Kac–Rice complexity of minima peaks at m* with value 0: located by Brent to ~√ε (1e-5 margin).
      const peak = brentMinimize(
        (m) => -complexityMinima(f, m).complexity,
        s.m - 0.05,
        Math.min(0.999999, s.m + 0.05),
      );
      expect(Math.abs(peak.x - s.m)).toBeLessThan(1e-5);
      expect(Math.abs(peak.value)).toBeLessThan(1e-10);
      // The typical Kac–Rice energy at (m*, μ*) is the dynamical end-state energy of §3.
      expect(typicalEnergy(f, s.m, s.mu)).toBeCloseTo(s.energy, 12);
      // A genuine minimum: the lowest Hessian eigenvalue is positive.
      expect(s.hessian.lowestEigenvalue).toBeGreaterThan(0);
    }
  });

  it('matrix-only limit: m*² = 1 − Δ2 and the transition at Δ2 = 1 (BBP at the threshold states)', () => {
    for (const delta2 of [0.2, 0.5, 0.9]) {
      const f = spikedCovariance({ p: 3, delta2, deltap: INF });
      // Closed form of THEORY §3.
      expect(signalMinimum(f)!.m).toBeCloseTo(Math.sqrt(1 - delta2), 12);
      const h = hessianSpectrum(f, 0, thresholdMultiplier(f));
      expect(h.outlier).not.toBeNull();
      expect(h.outlier!).toBeLessThan(0);
    }
    for (const delta2 of [1.1, 2]) {
      const f = spikedCovariance({ p: 3, delta2, deltap: INF });
      expect(signalMinimum(f)).toBeNull();
      expect(hessianSpectrum(f, 0, thresholdMultiplier(f)).outlier).toBeNull();
    }
  });

  it('lists the unstable ML-AMP fixed point below the signal in the first-order regime', () => {
    // p = 3, Δp = 0.2, 1/Δ2 = 1.5: below the m = 0 instability (1 + √21)/2 ≈ 2.79 but above the spinodal.
    const f = spikedCovariance({ p: 3, delta2: 1 / 1.5, deltap: 0.2 });
    const roots = endStateOverlaps(f);
    expect(roots).toHaveLength(2);
    // Both are fixed points of the state evolution map: residual at rounding level.
    for (const m of roots) {
      const fp = f.df(m);
      expect(fp / Math.sqrt(fp * fp + f.df(1))).toBeCloseTo(m, 12);
    }
  });
});
