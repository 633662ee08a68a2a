import { describe, expect, it } from 'vitest';
import { channelCovariance, spikedCovariance } from '../model/index.ts';
import { annealedGridCovariance, annealFactor, validateAnnealProtocol } from './anneal.ts';
import { solveFixedGrid } from './fixedGrid.ts';
import { crossingTime } from './observables.ts';
import { solveDynamics } from './solve.ts';
import type { DynamicsOptions, DynamicsResult } from './types.ts';

// The annealing protocol on the fixed grid (anneal.ts, THEORY §3 with a time-dependent tensor
// coefficient), against the published default protocol run, against exact identities of the
// protocol (C = 0; a constant factor is a rescaling of time and temperature; at T = 0 on a pure
// tensor model the protocol is a time change) and bit for bit against plain Langevin at C = 0.

const same = (a: DynamicsResult, b: DynamicsResult) => {
  expect(a.stats.status).toBe(b.stats.status);
  // Float64 identity: the same code path with every factor exactly 1.
  expect(Array.from(a.m)).toEqual(Array.from(b.m));
  expect(Array.from(a.mu)).toEqual(Array.from(b.mu));
  expect(Array.from(a.energy)).toEqual(Array.from(b.energy));
};

describe('annealing protocol on the fixed grid (issue 15)', () => {
  it('the published default protocol run: m jumps near t ≈ 1.1 and ends at m(10) = 0.90042', () => {
    // The published T = 1 program's defaults: p = 3, Δp = 0.2, Δ2 = 0.1, m0 = 1e-4, its step 0.1 in
    // units of Δ2 (physical dt = 0.01), t ≤ 10, C = 100, τ = 70, the factor held for t ≤ 1. Its
    // discretisation is `euler`.
    const r = solveDynamics({
      covariance: spikedCovariance({ p: 3, delta2: 0.1, deltap: 0.2 }),
      temperature: 1,
      m0: 1e-4,
      tmax: 10,
      grid: { kind: 'fixed', h: 0.01, scheme: 'euler' },
      anneal: { c: 100, tau: 70, hold: 1 },
    });
    expect(r.stats.status).toBe('ok');
    // Measured 0.9004176: the quoted 0.90042 is rounded to 5 digits (±5e-6), and the published
    // program's float32 moves m by ≤ 3e-6 (shared notes). m(10) moves by 1.7e-5 per ΔC = 10, so
    // this pins the protocol (plain Langevin, C = 0, ends at 0.932).
    expect(Math.abs(r.m[r.m.length - 1] - 0.90042)).toBeLessThan(5e-6);
    // "Near 1.1": m crosses 0.1 at t = 1.152 (0.5 at 1.50); without the protocol at 1.374.
    const jump = crossingTime(r, 0.1);
    expect(jump).not.toBeNull();
    expect(jump!).toBeGreaterThan(1.05);
    expect(jump!).toBeLessThan(1.25);
  }, 30_000);

  it.each([
    ['2+3, euler', spikedCovariance({ p: 3, delta2: 0.25, deltap: 1 }), 'euler'],
    ['2+3, heun', spikedCovariance({ p: 3, delta2: 0.25, deltap: 1 }), 'heun'],
    [
      '2+3+4, heun',
      channelCovariance([
        { order: 2, delta: 0.3 },
        { order: 3, delta: 1 },
        { order: 4, delta: 2 },
      ]),
      'heun',
    ],
  ] as const)('C = 0 is plain Langevin bit for bit (%s)', (_name, covariance, scheme) => {
    const base: DynamicsOptions = {
      covariance,
      temperature: 1,
      m0: 0.01,
      tmax: 3,
      grid: { kind: 'fixed', h: 0.01, scheme },
    };
    same(solveDynamics({ ...base, anneal: { c: 0, tau: 5 } }), solveDynamics(base));
  });

  it('a constant factor u is plain dynamics at temperature T/u and step u h (pure tensor)', () => {
    // Pure tensor: H_t = u H exactly, so dx = −u∇H dt − μx dt + √(2T) dW is, in s = u t, the plain
    // Langevin at T/u; the discrete maps coincide term by term (μ_ann = u μ', memory terms carry u²),
    // so only rounding separates them. The factor is held constant by hold ≥ tmax.
    const deltap = 0.5;
    const c = 0.75;
    const u = deltap / (deltap + c);
    const covariance = spikedCovariance({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap });
    const h = 0.02;
    const T = 0.4;
    const annealed = solveDynamics({
      covariance,
      temperature: T,
      m0: 0.2,
      tmax: 6,
      grid: { kind: 'fixed', h, scheme: 'heun' },
      anneal: { c, tau: 1, hold: 10 },
    });
    const plain = solveDynamics({
      covariance,
      temperature: T / u,
      m0: 0.2,
      tmax: 6 * u,
      grid: { kind: 'fixed', h: h * u, scheme: 'heun' },
    });
    expect(annealed.m.length).toBe(plain.m.length);
    for (let i = 0; i < plain.m.length; i++) {
      // Rounding only (values O(1), 300 steps): 1e-12.
      expect(Math.abs(annealed.m[i] - plain.m[i])).toBeLessThan(1e-12);
      expect(Math.abs(annealed.mu[i] - u * plain.mu[i])).toBeLessThan(1e-12);
    }
  });

  it('at T = 0 on a pure tensor model the protocol is the time change s(t) = ∫u (two-time factor)', () => {
    // Gradient flow on u(t) H is gradient flow on H in s = ∫_0^t u: m_ann(t) = m(s(t)) exactly in the
    // continuum. This holds only if the memory terms carry u at BOTH times (u(t) u(s) f); the
    // discrete schemes agree up to their truncation error, which must shrink at the scheme's order.
    const deltap = 0.5;
    const c = 1;
    const tau = 2;
    const covariance = spikedCovariance({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap });
    const u = (t: number) => deltap / (deltap + c * Math.exp(-t / tau));
    // ∫_0^t 1/(1 + (c/Δp) e^{−s/τ}) ds = t + τ ln((1 + (c/Δp) e^{−t/τ}) / (1 + c/Δp)).
    const s = (t: number) => t + tau * Math.log((1 + (c / deltap) * Math.exp(-t / tau)) / (1 + c / deltap));
    expect(Math.abs(s(1) - 0.5 * (u(0) + u(1)))).toBeLessThan(0.1); // the closed form is sane
    const deviation = (h: number) => {
      const o: DynamicsOptions = {
        covariance,
        temperature: 0,
        m0: 0.3,
        tmax: 8,
        grid: { kind: 'fixed', h, scheme: 'heun' },
      };
      const a = solveFixedGrid({ ...o, anneal: { c, tau } });
      const p = solveFixedGrid(o);
      let worst = 0;
      for (let i = 0; i < a.t.length; i++) {
        // Cubic (4-point Lagrange) interpolation of the plain run at s(t_i): error O(h⁴).
        const x = s(a.t[i]) / h;
        const j = Math.min(Math.max(Math.floor(x) - 1, 0), p.m.length - 4);
        let v = 0;
        for (let k = 0; k < 4; k++) {
          let w = 1;
          for (let q = 0; q < 4; q++) if (q !== k) w *= (x - (j + q)) / (k - q);
          v += w * p.m[j + k];
        }
        worst = Math.max(worst, Math.abs(a.m[i] - v));
      }
      return worst;
    };
    const coarse = deviation(0.02);
    const fine = deviation(0.01);
    // Second order (measured with linear interpolation: 1.96e-4, 5.1e-5, 1.3e-5 at h = 0.02, 0.01,
    // 0.005), against an O(1e-2) effect of the protocol (m(8) = 0.182 annealed, 0.161 plain).
    expect(coarse).toBeLessThan(5e-4);
    expect(fine).toBeLessThan(coarse / 3);
  });

  it('weights: u_k = Δk/(Δk + C e^{−t/τ}) on tensor channels only, F at both times', () => {
    const f = spikedCovariance({ p: 3, delta2: 0.1, deltap: 0.2 });
    const F = annealedGridCovariance(f, { c: 100, tau: 70 }, 0.5, 4);
    const u0 = 0.2 / 100.2;
    const u2 = 0.2 / (0.2 + 100 * Math.exp(-1 / 70));
    // F'(q) at (t_0, t_2): 1/Δ2 q + u(0) u(1) q²/Δp; signal: q/Δ2 + u(1) q²/Δp.
    expect(F.df(0, 2, 0.5)).toBeCloseTo(10 * 0.5 + (u0 * u2 * 0.25) / 0.2, 14);
    expect(F.dSignal(2, 0.5)).toBeCloseTo(10 * 0.5 + (u2 * 0.25) / 0.2, 14);
    expect(annealFactor({ c: 100, tau: 70, hold: 1 }, 3, 1 / 0.6, 0.9)).toBe(u0);
    expect(annealFactor({ c: 100, tau: 70 }, 2, 5, 0)).toBe(1);
    expect(() => validateAnnealProtocol({ c: -1, tau: 1 })).toThrow(/anneal C/);
    expect(() => validateAnnealProtocol({ c: 1, tau: 0 })).toThrow(/anneal τ/);
  });
});
