/**
 * T > 0 aging: the adaptive grid at its defaults against the fixed grid, the second method
 * (src/dmft/README.md, "T > 0 aging: a fixed-grid reference (issue 10, session 8)"). Stress case
 * 2 (T = 0.5, p = 5, Δp = 1, 1/Δ2 = 2.759, m0 = 0: pure aging below the critical temperature of
 * the p = 2 part) to t = 100, where C(t, t/2), C(t, t/4), μ and e are compared.
 *
 * The reference: the published Euler scheme (fixedGrid.ts) at h = 0.1, 0.0625, 0.05, 0.04, whose
 * error is a polynomial in h (order 1, measured: successive differences at h = 0.1, 0.05, 0.025
 * shrink by 2.2 and 2.0), extrapolated to h = 0 by the cubic through the four values. At T > 0
 * the explicit map's error in C(t, t/2) is large (0.035 at h = 0.1, 0.017 at 0.05: its invariant
 * measure is biased, THEORY §3), which is why four steps are needed. Measured (README): this
 * four-step value is 0.666069 against 0.666112 from h = 0.0625 … 0.025 and 0.666118–0.666128
 * from the second-order scheme's own extrapolations, so its error is ≲ 6e-5 in C, 1e-5 in μ,
 * 3e-5 in e.
 */
import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { rowStart } from './fixedGridKernel.ts';
import { solveDynamics } from './solve.ts';
import { sampleStressCases } from './stress.ts';

const c = sampleStressCases(3, 1)[2];
const covariance = spikedCovariance({ p: c.p, delta2: 1 / c.invDelta2, deltap: c.deltap });
const TMAX = 100;
const base = { covariance, temperature: c.temperature, m0: c.m0, tmax: TMAX } as const;

interface Aging {
  readonly half: number;
  readonly quarter: number;
  readonly mu: number;
  readonly energy: number;
}

/** Euler on the fixed grid at step h: C(t, t/2), C(t, t/4) read from the last row of the run's state. */
function fixedGridAging(h: number): Aging {
  const n = Math.round(TMAX / h);
  let calls = 0;
  let half = Number.NaN;
  let quarter = Number.NaN;
  const r = solveDynamics({
    ...base,
    grid: { kind: 'fixed', h, scheme: 'euler' },
    // Polled once per step from i = 1 on: due at the last row only (no dense n × n copy).
    checkpointDue: () => ++calls === n,
    onCheckpoint: (s) => {
      if (s.kind !== 'fixed' || s.i !== n) return;
      half = s.C[rowStart(n) + n / 2];
      quarter = s.C[rowStart(n) + n / 4];
    },
  });
  expect(r.stats.status).toBe('ok');
  return { half, quarter, mu: r.mu[n], energy: r.energy[n] };
}

/** The value at h = 0 of the polynomial through (h_k, v_k). */
function extrapolateToZero(hs: readonly number[], vs: readonly number[]): number {
  return hs.reduce(
    (sum, h, k) => sum + vs[k] * hs.reduce((w, g, j) => (j === k ? w : (w * g) / (g - h)), 1),
    0,
  );
}

/** Adaptive grid: the same quantities on the last row of its final window (linear in t′). */
function adaptiveAging(): Aging & { tEnd: number } {
  const r = solveDynamics({ ...base, saveCorrelations: true, grid: { kind: 'adaptive' } });
  expect(r.stats.status).toBe('ok');
  const { times, C } = r.correlations!;
  const n = times.length;
  const tEnd = times[n - 1];
  const at = (x: number) => {
    let j = 1;
    while (j < n - 1 && times[j] < x) j++;
    const w = (x - times[j - 1]) / (times[j] - times[j - 1]);
    return C[(n - 1) * n + j - 1] + w * (C[(n - 1) * n + j] - C[(n - 1) * n + j - 1]);
  };
  const last = r.t.length - 1;
  return { half: at(tEnd / 2), quarter: at(tEnd / 4), mu: r.mu[last], energy: r.energy[last], tEnd };
}

describe('T > 0 aging: adaptive defaults against the extrapolated fixed grid (stress case 2)', () => {
  it('agrees on C(t, t/2), C(t, t/4), μ and e at t = 100', () => {
    expect([c.temperature, c.p, c.deltap, c.m0]).toEqual([0.5, 5, 1, 0]);
    const hs = [0.1, 0.0625, 0.05, 0.04];
    const runs = hs.map(fixedGridAging);
    const ref = {} as Record<keyof Aging, number>;
    for (const key of ['half', 'quarter', 'mu', 'energy'] as const) {
      const vs = runs.map((r) => r[key]);
      ref[key] = extrapolateToZero(hs, vs);
      // The reference's own error scale: the cubic against the parabola through the three
      // finest steps (measured 1.9e-4 in C(t, t/2), 1e-5 in μ, 3e-5 in e; the cubic itself is
      // closer, above): below the tolerances on the adaptive grid, so a failure there is its own.
      const coarse = extrapolateToZero(hs.slice(1), vs.slice(1));
      expect(Math.abs(ref[key] - coarse)).toBeLessThan(key === 'mu' || key === 'energy' ? 1e-4 : 5e-4);
    }
    // Pinned to the measured reference (README table), so that a change of the fixed grid shows.
    expect(ref.half).toBeCloseTo(0.66607, 4);
    expect(ref.quarter).toBeCloseTo(0.53937, 4);
    expect(ref.mu).toBeCloseTo(4.695, 4);
    const a = adaptiveAging();
    // The adaptive grid's last node lies ≤ one step (≈ 0.5 here) past t = 100; C(t, t/2) changes
    // by −0.012 per unit of ln t there, i.e. by < 1e-4: inside the tolerances.
    expect(a.tEnd - TMAX).toBeLessThan(1);
    // Measured at the defaults: C(t, t/2) −1.3e-3, C(t, t/4) −1.6e-3, μ −9e-5, e +1e-5 off
    // (window 256 / tol 1e-8: −7.2e-4, −9.6e-4, +5e-5, −1e-5). Tolerances: 1.5–2 × the defaults'
    // measured deviation and ≥ 10 × the reference's own error. They fail for a coarser solver:
    // tol 1e-5 (C(t, t/2) −2.3e-3, μ −3.1e-4), window 32 / tol 1e-5 (+5.0e-3, −4.2e-3), and for
    // the state the run jumped into before session 7 (0.1 off in C(t, t/2), README "T > 0: aging").
    expect(Math.abs(a.half - ref.half)).toBeLessThan(2e-3);
    expect(Math.abs(a.quarter - ref.quarter)).toBeLessThan(3e-3);
    expect(Math.abs(a.mu - ref.mu)).toBeLessThan(2e-4);
    expect(Math.abs(a.energy - ref.energy)).toBeLessThan(2e-4);
  }, 60_000);
});
