import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { firstGradientFlowViolation } from './agingBounds.ts';
import { solveDynamics } from './solve.ts';

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

  it('a long plateau that ends partial keeps only rows that obey them, and says what it dropped', () => {
    // Window 32 on the long plateau below the GF threshold (README "Long plateaus"): the solver
    // fails at t ≈ 5400 and the rows it accepted before already break the bounds; ~4 s idle.
    const r = solveDynamics({
      covariance: f,
      temperature: 0,
      m0: 1e-40,
      tmax: 3e4,
      grid: { kind: 'adaptive', window: 32 },
    });
    expect(r.stats.status).toBe('partial');
    expect(r.stats.message).toMatch(/broke the gradient-flow bounds .* were dropped: results up to t = /);
    expect(firstGradientFlowViolation(f, 1e-40, r.m, r.mu, r.energy)).toBe(r.m.length);
    const tEnd = r.t[r.t.length - 1];
    expect(r.stats.message).toContain(`results up to t = ${tEnd.toPrecision(4)}`);
    // What is kept is a long aging plateau: μ below μ_th, e falling.
    expect(tEnd).toBeGreaterThan(3000);
    expect(muTh - r.mu[r.mu.length - 1]).toBeGreaterThan(0);
  }, 120_000);
});
