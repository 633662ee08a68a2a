/**
 * The gradient flows the figures of `saddlesurf reproduce` draw: at N = ∞ (THEORY §3) and at
 * finite N (THEORY §2), with their summaries over seeds (the dynamics, surfing and AMP-vs-GF
 * figures), each with the same solver settings everywhere.
 */
import { type DynamicsResult, solveDynamics } from '../dmft/index.ts';
import { type DescentOptions, type DescentResult, runDescent } from '../dynamics/index.ts';
import { type Covariance, pointAtOverlap, sampleInstance, sphereObjective } from '../model/index.ts';
import type { SpreadRow } from '../plot/index.ts';
import { Rng } from '../random/index.ts';

/** Mean, min and max of equally long series, per index. */
export function spread(series: readonly Float64Array[], k: number): SpreadRow {
  let mean = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    mean += s[k];
    lo = Math.min(lo, s[k]);
    hi = Math.max(hi, s[k]);
  }
  return { mean: mean / series.length, lo, hi };
}

/** Quantile q of sorted values, linearly interpolated (numpy's default 'linear' method). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i]! + (h - i) * (sorted[i + 1]! - sorted[i]!) : sorted[i]!;
}

/** Median and the 10 % / 90 % quantiles over seeds, per index (a band that one outlier cannot stretch). */
export function quantileBand(series: readonly Float64Array[], k: number): SpreadRow {
  const sorted = series.map((s) => s[k]!).sort((a, b) => a - b);
  return {
    mean: quantileSorted(sorted, 0.5),
    lo: quantileSorted(sorted, 0.1),
    hi: quantileSorted(sorted, 0.9),
  };
}

/** Gradient flow at N = ∞ from m0 on the adaptive grid of the figure's `window` and `tol`. */
export function largeNFlow(
  covariance: Covariance,
  m0: number,
  c: { readonly tmax: number; readonly window: number; readonly tol: number },
): DynamicsResult {
  return solveDynamics({
    covariance,
    temperature: 0,
    m0,
    tmax: c.tmax,
    grid: { kind: 'adaptive', window: c.window, tol: c.tol },
  });
}

/**
 * One finite-N gradient flow (THEORY §2) on the instance of `seed`, from overlap exactly m0
 * (the start drawn from the seed's stream 1), recorded on a log schedule of `observations`
 * times from tmax·1e-4; `extra` adds options (the Hessian probe, progress).
 */
export function finiteNFlow(
  c: { p: number; deltap: number; invDelta2: number; n: number; tmax: number; observations: number },
  m0: number,
  seed: number,
  extra: Partial<DescentOptions> = {},
): DescentResult {
  const inst = sampleInstance({ n: c.n, p: c.p, delta2: 1 / c.invDelta2, deltap: c.deltap, seed });
  const x0 = pointAtOverlap(inst.signal, m0, Rng.fromSeed(seed).stream(1));
  return runDescent(sphereObjective(inst), x0, {
    method: 'gf',
    tmax: c.tmax,
    dt: Number.POSITIVE_INFINITY,
    rtol: 1e-6,
    atol: 1e-8,
    signal: inst.signal,
    schedule: { spacing: 'log', count: c.observations, tmin: c.tmax * 1e-4 },
    ...extra,
  });
}

/** Finite-N gradient flows from overlap exactly m0 (THEORY §2), recorded on a shared log schedule. */
export function finiteNFlows(
  c: { p: number; deltap: number; invDelta2: number; n: number; tmax: number; observations: number },
  m0: number,
  seeds: readonly number[],
  progress: (k: number) => void,
) {
  const runs = seeds.map((seed, k) => {
    const run = finiteNFlow(c, m0, seed);
    progress(k + 1);
    return run.observations;
  });
  const t = Float64Array.from(runs[0].map((o) => o.t));
  const pick = (key: 'm' | 'energy' | 'mu') => runs.map((r) => Float64Array.from(r.map((o) => o[key])));
  return { t, m: pick('m'), energy: pick('energy'), mu: pick('mu') };
}
