/**
 * Large-N dynamics (src/dmft, THEORY §3), p = 3, Δp = 1, T = 0.
 *
 * 1. Fixed grid, explicit Euler (the literature's scheme; Heun costs 2×): n = 1000, 2000, 4000
 *    points at h = 0.05 (1/Δ2 = 3, m0 = 0.01). O(n³): `note` has the ratio to the previous n.
 * 2. Adaptive grid to t = 10³, 10⁴, 10⁵ at 1/Δ2 = 2.2, m0 = 1e-5 (defaults: window 128,
 *    tol 1e-7), with the escape time (m = 0.1) and the distance of m(t) from the end state m*.
 *    The window stays bounded, so the cost grows like log t once the dynamics has converged.
 * 3. Same accuracy at t = 400 (1/Δ2 = 2.2, m0 = 1e-5): the error of m, μ, e at t = 400 against a
 *    converged adaptive reference (window 256, tol 1e-8), for the fixed grid at h = 0.1 and for
 *    adaptive settings of decreasing cost; the cost ratio is fixed / cheapest adaptive setting
 *    that is at least as accurate.
 */
import { crossingTime, gradientFlowEndState, solveDynamics } from '../src/dmft/index.ts';
import { spikedCovariance } from '../src/model/index.ts';
import type { BenchRow } from './run.ts';

const cpuMs = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** Fixed-grid cost scaling. */
export async function benchDmftFixed(): Promise<BenchRow[]> {
  const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
  const rows: BenchRow[] = [];
  let previous = 0;
  for (const n of [1000, 2000, 4000]) {
    const h = 0.05;
    let m = 0;
    const ms = cpuMs(() => {
      const r = solveDynamics({
        covariance,
        temperature: 0,
        m0: 0.01,
        tmax: n * h,
        grid: { kind: 'fixed', h, scheme: 'euler' },
      });
      m = r.m[r.m.length - 1];
    });
    rows.push({
      name: `fixed euler n=${n} (h=${h})`,
      ms,
      note: `m(t_n)=${m.toFixed(5)}${previous > 0 ? `, ×${(ms / previous).toFixed(1)} vs n/2 (O(n³): ×8)` : ''}`,
    });
    previous = ms;
  }
  return rows;
}

/** Adaptive grid to long times. */
export async function benchDmftAdaptive(): Promise<BenchRow[]> {
  const covariance = spikedCovariance({ p: 3, delta2: 1 / 2.2, deltap: 1 });
  const end = gradientFlowEndState(covariance)!;
  const rows: BenchRow[] = [];
  for (const tmax of [1e3, 1e4, 1e5]) {
    let note = '';
    const ms = cpuMs(() => {
      const r = solveDynamics({ covariance, temperature: 0, m0: 1e-5, tmax, grid: { kind: 'adaptive' } });
      const k = r.t.length - 1;
      const s = r.stats;
      note =
        `${s.status}, escape(m=0.1) t=${crossingTime(r, 0.1)?.toFixed(2)}, |m−m*|=${Math.abs(r.m[k] - end.m).toExponential(1)}, ` +
        `|μ−μ*|=${Math.abs(r.mu[k] - end.mu).toExponential(1)}, steps ${s.steps}, doublings ${s.doublings}, ` +
        `growths ${s.windowGrowths}, sweeps/step ${s.meanSweeps?.toFixed(1)}, ${(s.storedFloats * 8e-6).toFixed(0)} MB`;
    });
    rows.push({ name: `adaptive t=${tmax}`, ms, note });
  }
  const p2 = spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 });
  const end2 = gradientFlowEndState(p2)!;
  let note2 = '';
  const ms2 = cpuMs(() => {
    const r = solveDynamics({
      covariance: p2,
      temperature: 0,
      m0: 1e-5,
      tmax: 1e4,
      grid: { kind: 'adaptive' },
    });
    const k = r.t.length - 1;
    note2 = `${r.stats.status}, escape(m=0.1) t=${crossingTime(r, 0.1)?.toFixed(1)}, |m−m*|=${Math.abs(r.m[k] - end2.m).toExponential(1)}, steps ${r.stats.steps}`;
  });
  rows.push({ name: 'adaptive 1/Δ2=2 (threshold) t=1e4', ms: ms2, note: note2 });
  return rows;
}

/** Cost of each grid for the same accuracy at t = 400. */
export async function benchDmftAccuracy(): Promise<BenchRow[]> {
  const covariance = spikedCovariance({ p: 3, delta2: 1 / 2.2, deltap: 1 });
  const base = { covariance, temperature: 0, m0: 1e-5, tmax: 400 } as const;
  const final = (r: { m: Float64Array; mu: Float64Array; energy: Float64Array }) => {
    const k = r.m.length - 1;
    return [r.m[k], r.mu[k], r.energy[k]];
  };
  const ref = final(solveDynamics({ ...base, grid: { kind: 'adaptive', window: 256, tol: 1e-8 } }));
  const err = (v: number[]) => Math.max(...v.map((x, q) => Math.abs(x - ref[q])));
  const rows: BenchRow[] = [];
  let fixedErr = 0;
  const fixedMs = cpuMs(() => {
    fixedErr = err(final(solveDynamics({ ...base, grid: { kind: 'fixed', h: 0.1, scheme: 'euler' } })));
  });
  rows.push({
    name: 'fixed euler h=0.1 (n=4000)',
    ms: fixedMs,
    note: `max error of m, μ, e at t=400: ${fixedErr.toExponential(2)}`,
  });
  let best: { name: string; ms: number; e: number } | null = null;
  for (const [window, tol] of [
    [128, 1e-7],
    [128, 1e-6],
    [64, 1e-6],
    [64, 1e-5],
  ] as const) {
    let e = 0;
    let status = '';
    const ms = cpuMs(() => {
      const r = solveDynamics({ ...base, grid: { kind: 'adaptive', window, tol } });
      status = r.stats.status;
      e = status === 'ok' ? err(final(r)) : Number.POSITIVE_INFINITY;
    });
    const name = `adaptive window=${window} tol=${tol}`;
    rows.push({ name, ms, note: status === 'ok' ? `max error ${e.toExponential(2)}` : status });
    if (e <= fixedErr && (best === null || ms < best.ms)) best = { name, ms, e };
  }
  if (best !== null)
    rows.push({
      name: 'ratio fixed / adaptive at equal accuracy',
      ms: best.ms,
      // A lower bound: the cheapest adaptive setting tried is usually far more accurate than
      // the fixed grid, whose error is first order in h.
      note: `${(fixedMs / best.ms).toFixed(1)}× cheaper and ${(fixedErr / best.e).toExponential(1)}× more accurate (${best.name})`,
    });
  return rows;
}
