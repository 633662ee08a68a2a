import { describe, expect, it } from 'vitest';
import { complexityMinima, hessianSpectrum, signalMinimum, thresholdMultiplier } from '../landscape/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { brentRoot } from '../numerics/index.ts';
import {
  gfThreshold,
  langevinConjecture,
  mlAmpThreshold,
  trivialisationThreshold,
  validateLineParams,
} from './lines.ts';

describe('gfThreshold (THEORY §5)', () => {
  it('equals the BBP condition θ(0) = σ at the threshold states, solved numerically', () => {
    for (const p of [3, 4, 5]) {
      for (const deltap of [0.1, 0.7, 2, 9]) {
        // The BBP outlier of the Hessian at m = 0, μ = μ_th (THEORY §4.1) reaches the bulk edge 0
        // when θ = σ; Brent on θ − σ read off hessianSpectrum, to 1e-13.
        const bbp = brentRoot(
          (a) => {
            const f = spikedCovariance({ p, delta2: 1 / a, deltap });
            const h = hessianSpectrum(f, 0, thresholdMultiplier(f));
            return h.theta - h.sigma;
          },
          0.5,
          50,
          { tol: 1e-13 },
        );
        expect(gfThreshold(p, deltap)).toBeCloseTo(bbp, 11);
        // Just above, the outlier is negative: a direction of descent towards the signal.
        const f = spikedCovariance({ p, delta2: 1 / (bbp * 1.01), deltap });
        expect(hessianSpectrum(f, 0, thresholdMultiplier(f)).lowestEigenvalue).toBeLessThan(0);
      }
    }
  });
});

describe('mlAmpThreshold (THEORY §6.1)', () => {
  it('is where m = 0 becomes linearly unstable for the ML-AMP state evolution', () => {
    for (const deltap of [0.2, 1, 5]) {
      // Slope of m ↦ f'(m)/√(f'(m)² + f'(1)) at m = 0, by a forward difference at m = 1e-7
      // (second-order terms are O(m) = 1e-7 relative): the instability is where it equals 1.
      const slope = (a: number) => {
        const f = spikedCovariance({ p: 3, delta2: 1 / a, deltap });
        const m = 1e-7;
        const fp = f.df(m);
        return fp / Math.sqrt(fp * fp + f.df(1)) / m - 1;
      };
      expect(mlAmpThreshold(deltap)).toBeCloseTo(brentRoot(slope, 0.5, 20), 5);
    }
  });
});

describe('trivialisationThreshold (THEORY §4.2)', () => {
  it('separates positive from negative spurious complexity on a brute-force grid in m ≥ 0', () => {
    const p = 3;
    const deltap = 1;
    const a = trivialisationThreshold(p, deltap, { convention: 'nonNegative' });
    // Brute force: max of Σ_min on 20 001 points of [0, 1), away from the signal minimum.
    const maxSpurious = (inv: number) => {
      const f = spikedCovariance({ p, delta2: 1 / inv, deltap });
      const mStar = signalMinimum(f)?.m ?? 2;
      let best = Number.NEGATIVE_INFINITY;
      for (let i = 0; i <= 20_000; i++) {
        const m = (i / 20_000) * 0.9999;
        if (Math.abs(m - mStar) < 0.05) continue;
        best = Math.max(best, complexityMinima(f, m).complexity);
      }
      return best;
    };
    // 1e-3 relative on each side: the spurious complexity changes by O(1e-5) there, far above
    // the grid's resolution of the peak (the maximum sits at the end point m = 0).
    expect(maxSpurious(a * (1 - 1e-3))).toBeGreaterThan(0);
    expect(maxSpurious(a * (1 + 1e-3))).toBeLessThan(0);
  });

  it('odd p, all m: the last band vanishes where the mirror minimum turns physical (closed form)', () => {
    // The mirror end-state point m_d < 0 (THEORY §3 equation at negative m) turns physical when
    // σχ = 1, i.e. f'(m_d) = σ m_d; with the end-state equation this gives m_d² = 1 − q1/q2 and,
    // for p = 3, 1/Δ2 + m_d/Δp = σ: one equation in a = 1/Δ2, solved here by Brent.
    for (const deltap of [0.2, 0.3, 1, 2]) {
      const closed = brentRoot(
        (a) => {
          const q1 = a + 1 / deltap;
          const q2 = a + 2 / deltap;
          return a - Math.sqrt(1 - q1 / q2) / deltap - Math.sqrt(q2);
        },
        1,
        20,
        { tol: 1e-14 },
      );
      // Both are root findings to ≤ 1e-10 relative.
      expect(trivialisationThreshold(3, deltap, { convention: 'all' })).toBeCloseTo(closed, 8);
    }
  });

  it('continuation from a guess gives the same threshold as a cold start', () => {
    const cold = trivialisationThreshold(4, 0.8);
    // Brent's tolerance is 1e-10 relative; both runs bracket the same sign change.
    expect(trivialisationThreshold(4, 0.8, { guess: cold * 1.1 })).toBeCloseTo(cold, 8);
    expect(trivialisationThreshold(4, 0.8, { guess: cold * 0.97 })).toBeCloseTo(cold, 8);
  });
});

describe('langevinConjecture (THEORY §6.3, a conjecture)', () => {
  it('for p = 3 reduces to the closed form max(1, √(2/Δp))', () => {
    // With q = 1 − 1/a from (1 − q)² a² = 1 and a² = f″(q) = a + 2q/Δp one gets a = √(2/Δp);
    // below a = 1 there is no plateau and the line is 1 (1e-10: Brent tolerance 1e-12 relative).
    for (const deltap of [0.05, 0.3, 1, 1.9, 2.5, 10]) {
      expect(langevinConjecture(3, deltap)).toBeCloseTo(Math.max(1, Math.sqrt(2 / deltap)), 10);
    }
  });

  it('at T = 0 is the GF line, and tends to 1 without the tensor', () => {
    expect(langevinConjecture(4, 0.7, 0)).toBe(gfThreshold(4, 0.7));
    expect(langevinConjecture(3, Number.POSITIVE_INFINITY)).toBeCloseTo(1, 12);
  });
});

describe('validateLineParams', () => {
  it('names the bad parameter', () => {
    expect(() => validateLineParams(2, 1)).toThrow(/p must be/);
    expect(() => validateLineParams(3.5, 1)).toThrow(/p must be/);
    expect(() => validateLineParams(3, 0)).toThrow(/deltap/);
    expect(() => gfThreshold(3, -1)).toThrow(/deltap/);
  });
});
