import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { firstGradientFlowViolation, gradientFlowCut } from './agingBounds.ts';

// p = 3, Δp = 1, 1/Δ2 = 1.9: f''(1) = 1.9 + 2 = 3.9, μ_th = 2√3.9 (THEORY §4.1).
const f = spikedCovariance({ p: 3, delta2: 1 / 1.9, deltap: 1 });
const muTh = 2 * Math.sqrt(3.9);
const falling = [-1, -1.1, -1.2];

describe('gradient-flow bounds (THEORY §3, §4.1)', () => {
  it('finds the first row above μ_th while m is small, where m changes sign, or where e rises', () => {
    const v = firstGradientFlowViolation;
    expect(v(f, 1e-5, [1e-5, 2e-5, 4e-5], [3, muTh * 0.999, muTh * 1.001], falling)).toBe(2);
    // Above μ_th is allowed once m has grown (after the escape μ → μ* > μ_th).
    expect(v(f, 1e-5, [1e-5, 0.5, 0.8], [3, 5, 5], falling)).toBe(3);
    expect(v(f, 1e-5, [1e-5, 2e-5, -1e-7], [3, 3.5, 3.6], falling)).toBe(2);
    // m0 = 0 (pure aging): m ≡ 0 is no sign change.
    expect(v(f, 0, [0, 0, 0], [3, 3.5, 3.9], falling)).toBe(3);
    // e may wobble by the quadrature's one-off jumps (≤ 3e-4 |e|), not more.
    expect(v(f, 0, [0, 0, 0, 0], [3, 3, 3, 3], [-1, -1.2, -1.2 + 2e-4, -1.3])).toBe(4);
    expect(v(f, 0, [0, 0, 0, 0], [3, 3, 3, 3], [-1, -1.2, -1.2 + 1e-3, -1.3])).toBe(2);
  });

  it('a partial run is cut back to the rows that obey them, and the note says from when', () => {
    // Outputs shaped like the last rows of the long-plateau runs that failed before the cure of
    // README "Long plateaus (issue 10, session 6)" (window 32: μ rose above μ_th at t ≈ 4681
    // before the failure at 5385); no T = 0 run at hand still fails this way, so the cut is
    // checked on its own.
    const t = [4000, 4400, 4681, 4900, 5385];
    const m = [1e-38, 1e-38, 1e-38, 1e-38, 1e-38];
    const mu = [muTh - 3e-3, muTh - 2e-3, muTh + 1e-2, muTh + 0.4, muTh - 1e-3];
    const e = [-1.69, -1.6901, -1.6902, -1.6903, -1.6904];
    const cut = gradientFlowCut(f, 1e-40, t, m, mu, e, t.length);
    expect(cut.count).toBe(2);
    expect(cut.note).toMatch(/rows from t = 4681 on broke the gradient-flow bounds .* were dropped$/);
    // Only the first `count` outputs are looked at (the rest were never accepted).
    expect(gradientFlowCut(f, 1e-40, t, m, mu, e, 2)).toEqual({ count: 2, note: '' });
    // e rising by more than the slack is cut as well.
    const eUp = [-1.69, -1.6901, -1.6901 + 1e-3, -1.6903, -1.6904];
    expect(
      gradientFlowCut(
        f,
        0,
        t,
        [0, 0, 0, 0, 0],
        mu.map(() => 3),
        eUp,
        5,
      ).count,
    ).toBe(2);
  });
});
