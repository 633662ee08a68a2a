/**
 * Descent dynamics (src/dynamics) on the spiked matrix–tensor model at p = 3, Δp = 1,
 * 1/Δ2 = 3: gradient flow from m0 = 0.05 on N = 100, 200, 400 (seeds 1–4, the same
 * instances and starts as src/dynamics/descent.spiked.test.ts, which covers N = 100
 * and 200 only because N = 400 runs take tens of seconds). Reports, per N, the CPU
 * time per run and in `note` how many runs found the signal and the mean deviation
 * of the end state from the large-N GF end state of THEORY §3 (m*, e*, μ*) and of the
 * lowest Hessian eigenvalue from the THEORY §4.1 bulk edge μ − 2σ.
 */
import { runDescent } from '../src/dynamics/index.ts';
import { pointAtOverlap, sampleInstance, sphereObjective, spikedCovariance } from '../src/model/index.ts';
import { brentRoot } from '../src/numerics/index.ts';
import { Rng } from '../src/random/index.ts';
import type { BenchRow } from './run.ts';

/** Row type of this module (same shape as `BenchRow` of bench/run.ts). */
export type Row = BenchRow;

const params = { p: 3, delta2: 1 / 3, deltap: 1 };

/** GF end-state scaling with N (THEORY §3) and Hessian edge (THEORY §4.1). */
export async function benchDynamics(): Promise<Row[]> {
  const cov = spikedCovariance(params);
  const q1 = cov.df(1);
  const q2 = cov.d2f(1);
  const sigma = Math.sqrt(q2);
  const mStar = brentRoot((m) => m * m * (cov.df(m) ** 2 + q1) - cov.df(m) ** 2, 0.3, 1);
  const chi = mStar / cov.df(mStar);
  const muStar = q2 * chi + 1 / chi;
  const eStar = -cov.f(mStar) - chi * q1;
  const rows: Row[] = [];
  for (const n of [100, 200, 400]) {
    let cpu = 0;
    let evaluations = 0;
    const found: { m: number; e: number; mu: number; shift: number; overlap: number }[] = [];
    const seeds = [1, 2, 3, 4];
    for (const seed of seeds) {
      const inst = sampleInstance({ n, ...params, seed });
      const x0 = pointAtOverlap(inst.signal, 0.05, Rng.fromSeed(1000 + seed));
      const start = process.cpuUsage();
      const run = runDescent(sphereObjective(inst), x0, {
        method: 'gf',
        tmax: 30,
        dt: 1,
        rtol: 1e-5,
        signal: inst.signal,
        hessianEvery: 0,
        schedule: { spacing: 'linear', count: 60 },
        gradientTolerance: 1e-3,
      });
      const used = process.cpuUsage(start);
      cpu += (used.user + used.system) / 1000;
      evaluations += run.stats.evaluations;
      const o = run.observations.at(-1)!;
      if (o.m > 0.5 && o.gradNorm < 1e-2) {
        found.push({
          m: Math.abs(o.m - mStar),
          e: Math.abs(o.energy - eStar),
          mu: Math.abs(o.mu - muStar),
          shift: o.lambdaMin - (o.mu - 2 * sigma),
          overlap: o.lambdaMinOverlap,
        });
      }
    }
    const mean = (key: keyof (typeof found)[number]) =>
      found.length === 0 ? Number.NaN : found.reduce((s, r) => s + r[key], 0) / found.length;
    rows.push({
      name: `gf N=${n} (per run)`,
      ms: cpu / seeds.length,
      note:
        `found ${found.length}/${seeds.length}; mean |m−m*| ${mean('m').toFixed(4)}, |e−e*| ${mean('e').toFixed(4)}, ` +
        `|μ−μ*| ${mean('mu').toFixed(4)}, λmin−(μ−2σ) ${mean('shift').toFixed(4)}, ` +
        `squared overlap ${mean('overlap').toFixed(4)}; ${Math.round(evaluations / seeds.length)} gradients/run`,
    });
  }
  return rows;
}
