import { describe, expect, it } from 'vitest';
import { channelCovariance, spikedCovariance } from '../model/index.ts';
import { AnnealedPairs } from './adaptiveAnneal.ts';
import { crossingTime } from './observables.ts';
import { solveDynamics } from './solve.ts';
import type { DynamicsOptions, DynamicsResult } from './types.ts';

// The annealing protocol on the adaptive grid (adaptiveAnneal.ts): bit for bit the plain run at
// C = 0, the published default protocol run against the Richardson-extrapolated fixed grid (a second
// method), and the exact time change of gradient flow on a pure tensor model (a closed form).

const bits = (r: DynamicsResult) =>
  [r.t, r.m, r.mu, r.energy].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64'));

describe('annealing protocol on the adaptive grid (issue 15)', () => {
  it.each([
    ['2+3, T = 1', spikedCovariance({ p: 3, delta2: 0.25, deltap: 1 }), 1],
    [
      '2+3+4, T = 0',
      channelCovariance([
        { order: 2, delta: 0.3 },
        { order: 3, delta: 1 },
        { order: 4, delta: 2 },
      ]),
      0,
    ],
  ] as const)('C = 0 is the plain adaptive run bit for bit (%s)', (_name, covariance, temperature) => {
    const base: DynamicsOptions = {
      covariance,
      temperature,
      m0: 0.01,
      tmax: 3,
      grid: { kind: 'adaptive', window: 64 },
    };
    const annealed = solveDynamics({ ...base, anneal: { c: 0, tau: 5 } });
    const plain = solveDynamics(base);
    // Float64 identity: every weight is exactly 1 and the terms are summed in f's order.
    expect(bits(annealed)).toEqual(bits(plain));
    expect(annealed.stats).toEqual(plain.stats);
  });

  it('the published default protocol run against the extrapolated fixed grid', () => {
    // p = 3, Δp = 0.2, 1/Δ2 = 10, T = 1, m0 = 1e-4, t ≤ 10, C = 100, τ = 70, held for t ≤ 1.
    const o = {
      covariance: spikedCovariance({ p: 3, delta2: 0.1, deltap: 0.2 }),
      temperature: 1,
      m0: 1e-4,
      tmax: 10,
      anneal: { c: 100, tau: 70, hold: 1 },
    };
    const adaptive = solveDynamics({ ...o, grid: { kind: 'adaptive' } });
    expect(adaptive.stats.status).toBe('ok');
    const fixed = (h: number) => solveDynamics({ ...o, grid: { kind: 'fixed', h, scheme: 'heun' } });
    const coarse = fixed(0.02);
    const fine = fixed(0.01);
    // Heun is second order: Richardson (4 fine − coarse)/3. Measured 0.9001560 (m(10)) and 1.11815
    // (m = 0.1); the extrapolation from h = 0.01, 0.005 gives 0.9001553 and 1.11757, so these
    // references are good to ~1e-6 and ~6e-4.
    const end = (r: DynamicsResult) => r.m[r.m.length - 1];
    const mRef = (4 * end(fine) - end(coarse)) / 3;
    const tRef = (4 * crossingTime(fine, 0.1)! - crossingTime(coarse, 0.1)!) / 3;
    // Adaptive 0.9001540 and 1.11750. Tolerances: the adaptive grid's measured accuracy on m at T = 1
    // against the extrapolated fixed grid is 5.4e-5 (README "Accuracy"); the crossing time adds the
    // reference's own 6e-4 uncertainty.
    expect(Math.abs(end(adaptive) - mRef)).toBeLessThan(5.4e-5);
    expect(Math.abs(crossingTime(adaptive, 0.1)! - tRef)).toBeLessThan(1.5e-3);
    // The published program (Euler, h = 0.01) quotes m(10) = 0.90042 and a jump near t = 1.15: its
    // first-order error, measured by halving h (0.9004176 → 0.9002828, crossing 1.1518 → 1.1347),
    // is 2.7e-4 in m(10) and 0.034 in the crossing, so the published numbers are matched within it.
    expect(Math.abs(end(adaptive) - 0.90042)).toBeLessThan(3e-4);
    expect(Math.abs(crossingTime(adaptive, 0.1)! - 1.152)).toBeLessThan(0.04);
    // …and the protocol matters far more than these tolerances (plain Langevin: 0.9318 and 1.340).
    expect(end(adaptive)).toBeLessThan(0.9315 - 0.03);
  }, 120_000);

  it('at T = 0 on a pure tensor model the protocol is the time change s(t) = ∫u', () => {
    // Gradient flow on u(t) H is gradient flow on H in s = ∫_0^t u, so the annealed m(t) equals the
    // plain m(s(t)) exactly in the continuum, and only with the factor at both times.
    const deltap = 0.5;
    const c = 1;
    const tau = 2;
    const covariance = spikedCovariance({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap });
    const s = (t: number) => t + tau * Math.log((1 + (c / deltap) * Math.exp(-t / tau)) / (1 + c / deltap));
    const o: DynamicsOptions = { covariance, temperature: 0, m0: 0.3, tmax: 8, grid: { kind: 'adaptive' } };
    const a = solveDynamics({ ...o, anneal: { c, tau } });
    const p = solveDynamics({ ...o, tmax: s(8) + 0.5 });
    // The plain run at s by cubic Lagrange interpolation through its (dense, smooth) outputs.
    const at = (x: number) => {
      let j = 0;
      while (j < p.t.length - 1 && p.t[j + 1] < x) j++;
      j = Math.min(Math.max(j - 1, 0), p.t.length - 4);
      let v = 0;
      for (let k = 0; k < 4; k++) {
        let w = 1;
        for (let q = 0; q < 4; q++) if (q !== k) w *= (x - p.t[j + q]) / (p.t[j + k] - p.t[j + q]);
        v += w * p.m[j + k];
      }
      return v;
    };
    let worst = 0;
    for (let i = 0; i < a.t.length; i++) worst = Math.max(worst, Math.abs(a.m[i] - at(s(a.t[i]))));
    // Measured 2.0e-4 (at t = 8; window 256, tol 1e-8: 5.2e-5, so it is the grid's error, first
    // order in the near-diagonal step, README "Annealing on the adaptive grid") against a protocol
    // effect of 0.021 (plain m(8) = 0.1609, annealed 0.1813).
    expect(worst).toBeLessThan(4e-4);
    expect(a.m[a.m.length - 1] - at(8)).toBeGreaterThan(0.018);
  }, 120_000);

  it('three channels (each with its own factor) against the Richardson-extrapolated fixed grid', () => {
    const o: DynamicsOptions = {
      covariance: channelCovariance([
        { order: 2, delta: 0.5 },
        { order: 3, delta: 1 },
        { order: 4, delta: 0.5 },
      ]),
      temperature: 0,
      m0: 0.05,
      tmax: 6,
      grid: { kind: 'adaptive' },
      anneal: { c: 2, tau: 2 },
    };
    const a = solveDynamics(o);
    const coarse = solveDynamics({ ...o, grid: { kind: 'fixed', h: 0.02, scheme: 'heun' } });
    const fine = solveDynamics({ ...o, grid: { kind: 'fixed', h: 0.01, scheme: 'heun' } });
    const at = (r: DynamicsResult, key: 'm' | 'mu' | 'energy', t: number) => {
      let j = 0;
      while (r.t[j + 1] < t) j++;
      const w = (t - r.t[j]) / (r.t[j + 1] - r.t[j]);
      return r[key][j] * (1 - w) + r[key][j + 1] * w;
    };
    for (const t of [1, 2, 3, 4, 5, 6]) {
      const ref = (key: 'm' | 'mu' | 'energy') => (4 * at(fine, key, t) - at(coarse, key, t)) / 3;
      // Measured at t = 6 (the jump: m 0.156 plain → 0.657 annealed): 1.3e-3 in m, 3.8e-3 in μ,
      // 1.25e-3 in e (window 256, tol 1e-8: 3.1e-4, 9.4e-4 in m, μ), the Richardson correction
      // being 5e-5. The plain adaptive grid's error through a jump at T = 0 is 4.4e-4 / 1.6e-3 on
      // the same model (8.8e-4 / 1.5e-3 / 6.8e-4 in README "Accuracy"); the protocol's band lag
      // adds to it: 2.5e-3, 8e-3, 2.5e-3.
      expect(Math.abs(at(a, 'm', t) - ref('m')), `m at t = ${t}`).toBeLessThan(2.5e-3);
      expect(Math.abs(at(a, 'mu', t) - ref('mu')), `μ at t = ${t}`).toBeLessThan(8e-3);
      expect(Math.abs(at(a, 'energy', t) - ref('energy')), `e at t = ${t}`).toBeLessThan(2.5e-3);
    }
  }, 120_000);

  it('selects u_k(t_i) u_k(t_l), the R-weighted interval mix and the signal factor per channel', () => {
    const f = channelCovariance([
      { order: 2, delta: 0.5 },
      { order: 3, delta: 1 },
      { order: 4, delta: 2 },
    ]);
    const protocol = { c: 3, tau: 2 };
    const pairs = new AnnealedPairs(f, protocol, 8);
    const t = Float64Array.of(0, 0.5, 1.5, 4);
    pairs.row(t, 3);
    const u = (delta: number, s: number) => delta / (delta + 3 * Math.exp(-s / 2));
    const q = 0.7;
    // F'(q) = q/Δ2 + u3 u3' q²/Δ3 + u4 u4' q³/Δ4 (a_k = 1/(k Δk)).
    const dF = (w3: number, w4: number) => 2 * q * (1 / 1) + w3 * q * q + (w4 * q * q * q) / 2;
    pairs.node(3, 1);
    expect(pairs.current.df(q)).toBeCloseTo(dF(u(1, 4) * u(1, 0.5), u(2, 4) * u(2, 0.5)), 14);
    // Interval [t_1, t_2] with R's mass split 1 : 3 (χ = 2, average 1.75, 1): θ = 0.75.
    pairs.interval(3, 2, 2, 1.75, 1);
    const mix = (delta: number) => u(delta, 4) * (0.25 * u(delta, 0.5) + 0.75 * u(delta, 1.5));
    expect(pairs.current.df(q)).toBeCloseTo(dF(mix(1), mix(2)), 14);
    pairs.signal(3);
    expect(pairs.current.f(q)).toBeCloseTo(q * q + (u(1, 4) * q ** 3) / 3 + (u(2, 4) * q ** 4) / 8, 14);
    // The matrix channel is never annealed; a fixed pair equals the selected one.
    pairs.node(3, 1);
    expect(pairs.at(4, 0.5).d2f(q)).toBeCloseTo(pairs.current.d2f(q), 14);
  });
});
