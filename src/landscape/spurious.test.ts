import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { complexityMinima, thresholdComplexity } from './complexity.ts';
import { spuriousMinima } from './spurious.ts';

describe('spuriousMinima (THEORY §4.2)', () => {
  it('at the GF threshold the most numerous m ≥ 0 spurious minima are the marginal ones at m = 0', () => {
    // p = 3, Δp = 1: 1/Δ2^GF = 2, where θ(0) = σ and Σ_min(0) is the closed form Σ_th.
    const f = spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 });
    const s = spuriousMinima(f, { convention: 'nonNegative' });
    // The maximum sits on the kink of Σ_min at m = 0 (θ(m) crosses σ there): Brent locates a kink
    // only to ~√ε ≈ 1e-8, and Σ_min has O(0.1) slopes around it, so Σ agrees to ~1e-9.
    expect(Math.abs(s.m)).toBeLessThan(1e-6);
    expect(s.complexity).toBeCloseTo(thresholdComplexity(f), 8);
    expect(spuriousMinima(f).complexity).toBeGreaterThanOrEqual(s.complexity);
  });

  it('for odd p the band at negative m outlives the m ≥ 0 minima', () => {
    const f = spikedCovariance({ p: 3, delta2: 1 / 2.3, deltap: 1 });
    const all = spuriousMinima(f, { convention: 'all' });
    const nonNegative = spuriousMinima(f, { convention: 'nonNegative' });
    expect(nonNegative.complexity).toBeLessThan(0);
    expect(all.complexity).toBeGreaterThan(0);
    expect(all.m).toBeLessThan(0);
    // It is a local maximum of Σ_min: neighbours 1e-3 away are lower.
    expect(complexityMinima(f, all.m - 1e-3).complexity).toBeLessThan(all.complexity);
    expect(complexityMinima(f, all.m + 1e-3).complexity).toBeLessThan(all.complexity);
  });

  it('for even p both conventions agree (Σ_min is even in m) and the signal is excluded', () => {
    const f = spikedCovariance({ p: 4, delta2: 0.4, deltap: 1 });
    const all = spuriousMinima(f);
    const nonNegative = spuriousMinima(f, { convention: 'nonNegative' });
    // Same maximum found on either half of a symmetric function: agreement to the refinement accuracy.
    expect(all.complexity).toBeCloseTo(nonNegative.complexity, 12);
    // Far above trivialisation only the signal minima (excluded) touch 0: spurious complexity < 0.
    const easy = spikedCovariance({ p: 4, delta2: 0.1, deltap: 1 });
    expect(spuriousMinima(easy).complexity).toBeLessThan(-1e-3);
  });
});
