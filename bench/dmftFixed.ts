/**
 * Fixed-grid cost (src/dmft, THEORY §3) against a plain baseline of the same scheme, in one run.
 *
 * Case: p = 3, Δp = 1, 1/Δ2 = 3, m0 = 0.01, T = 0, h = 0.05, n = 1000, 2000, 4000 steps.
 * - `baseline`: a straightforward contiguous port of the published explicit-Euler scheme (packed
 *   lower triangles, one loop per history sum for every (i, j), R read down its columns): the
 *   (2/3) n³ inner iterations of the published program. It runs at n = 1000 and 2000 (2.6 s and
 *   24 s CPU here); n = 4000 (≈ 3 min) only with DMFT_FIXED_BASELINE_4000=1.
 * - `solveFixedGrid` with `euler` and `heun` (the two-step scheme, same cost per step).
 * Notes give CPU-time ratios baseline / ours (same run) and published / ours, the published
 * program's cost on this kind of machine being 3, 28 and 409 CPU s at n = 1000, 2000, 4000
 * (measured once, shared notes). The baseline's m(t_n) must equal Euler's: same scheme.
 */
import { rowStart } from '../src/dmft/fixedGridKernel.ts';
import { solveFixedGrid } from '../src/dmft/index.ts';
import { type Covariance, spikedCovariance } from '../src/model/index.ts';
import type { BenchRow } from './run.ts';

const PUBLISHED_CPU_MS: Record<number, number> = { 1000: 3000, 2000: 28000, 4000: 409000 };

const cpuMs = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** The published Euler scheme, written plainly: returns m(t_n). */
export function baselineEuler(f: Covariance, m0: number, h: number, n: number): number {
  const C = new Float64Array(rowStart(n + 1));
  const R = new Float64Array(rowStart(n + 1));
  const m = new Float64Array(n + 1);
  const a = new Float64Array(n + 1);
  const fp = new Float64Array(n + 1);
  const dC = new Float64Array(n + 1);
  const dR = new Float64Array(n + 1);
  C[0] = 1;
  m[0] = m0;
  for (let i = 0; i < n; i++) {
    const ri = rowStart(i);
    let mu = m[i] * f.df(m[i]);
    let mInt = 0;
    for (let l = 0; l <= i; l++) {
      const w = l === 0 ? 0.5 * h : h;
      const c = C[ri + l];
      fp[l] = f.df(c);
      a[l] = w * R[ri + l] * f.d2f(c);
      mu += w * R[ri + l] * (fp[l] + c * f.d2f(c));
      mInt += a[l] * m[l];
    }
    for (let j = 0; j <= i; j++) {
      const rj = rowStart(j);
      let memory = 0;
      for (let l = 0; l <= j; l++) memory += a[l] * C[rj + l];
      for (let l = j + 1; l <= i; l++) memory += a[l] * C[rowStart(l) + j];
      let noise = 0;
      for (let k = 0; k <= j; k++) noise += (k === 0 ? 0.5 : 1) * R[rj + k] * fp[k];
      let response = 0;
      for (let l = j + 1; l < i; l++) response += a[l] * R[rowStart(l) + j];
      dC[j] = -mu * C[ri + j] + f.df(m[i]) * m[j] + memory + h * noise;
      dR[j] = -mu * R[ri + j] + response;
    }
    const rn = rowStart(i + 1);
    for (let j = 0; j <= i; j++) {
      C[rn + j] = C[ri + j] + h * dC[j];
      R[rn + j] = R[ri + j] + h * dR[j];
    }
    C[rn + i + 1] = 1;
    R[rn + i] = 1;
    m[i + 1] = m[i] + h * (-mu * m[i] + f.df(m[i]) + mInt);
  }
  return m[n];
}

export async function benchFixedGridSpeed(): Promise<BenchRow[]> {
  const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
  const h = 0.05;
  const m0 = 0.01;
  const rows: BenchRow[] = [];
  for (const n of [1000, 2000, 4000]) {
    const ours: Record<string, { ms: number; m: number }> = {};
    for (const scheme of ['euler', 'heun'] as const) {
      let m = 0;
      const ms = cpuMs(() => {
        const r = solveFixedGrid({
          covariance,
          temperature: 0,
          m0,
          tmax: n * h,
          grid: { kind: 'fixed', h, scheme },
        });
        m = r.m[r.m.length - 1];
      });
      ours[scheme] = { ms, m };
    }
    const published = PUBLISHED_CPU_MS[n];
    let baseline: { ms: number; m: number } | null = null;
    if (n <= 2000 || process.env.DMFT_FIXED_BASELINE_4000 === '1') {
      let m = 0;
      const ms = cpuMs(() => {
        m = baselineEuler(covariance, m0, h, n);
      });
      baseline = { ms, m };
      rows.push({ name: `baseline euler n=${n}`, ms, note: `m(t_n)=${m.toFixed(9)}` });
    }
    for (const scheme of ['euler', 'heun'] as const) {
      const { ms, m } = ours[scheme];
      const vsBaseline = baseline === null ? '' : `, baseline/ours ×${(baseline.ms / ms).toFixed(1)}`;
      const same =
        scheme === 'euler' && baseline !== null
          ? `, |m − baseline| = ${Math.abs(m - baseline.m).toExponential(1)}`
          : '';
      rows.push({
        name: `fixed ${scheme} n=${n}`,
        ms,
        note: `m(t_n)=${m.toFixed(9)}, published/ours ×${(published / ms).toFixed(1)}${vsBaseline}${same}`,
      });
    }
  }
  return rows;
}
