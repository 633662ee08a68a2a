/**
 * ML-AMP and gradient flow reach the same overlap (THEORY §6.1, §3): the AMP-vs-GF figure of
 * `saddlesurf reproduce`.
 * Pure and deterministic: no I/O, no clock, randomness only through seeded `Rng`s, so reruns
 * are identical.
 */
import { mlStateEvolution, runAmp } from '../amp/index.ts';
import { signalMinimum } from '../landscape/index.ts';
import { sampleInstance, spikedCovariance } from '../model/index.ts';
import type { AmpVsGfData } from '../plot/index.ts';
import { Rng } from '../random/index.ts';
import type { AmpVsGfConfig } from './config.ts';
import { finiteNFlows, largeNFlow, spread } from './finiteNFlows.ts';
import { fmt } from './format.ts';
import type { StageProgress, StageResult } from './types.ts';

/**
 * ML-AMP (state evolution and finite N) against gradient flow (N = ∞ and finite N), both
 * from the same m0, reaching the common fixed point m* (THEORY §6.1: the SE fixed point
 * equals the GF end state of §3).
 * @example
 * ampVsGfStage(QUICK.ampVsGf, () => {}).keyNumbers.fixedPoint; // ≈ 0.85488 at p = 3, Δp = 1, 1/Δ2 = 3
 */
export function ampVsGfStage(config: AmpVsGfConfig, progress: StageProgress): StageResult {
  const { p, deltap, invDelta2: x, m0, n } = config;
  const spec = { p, delta2: 1 / x, deltap };
  const cov = spikedCovariance(spec);
  const se = mlStateEvolution(spec, m0, config.iterations);
  const end = signalMinimum(cov);
  const fixedPoint = end?.m ?? se.fixedPoint;
  progress(0.05, 'state evolution');
  const dmft = largeNFlow(cov, m0, config);
  progress(0.3, 'N = ∞ gradient flow');
  const amps: Float64Array[] = [];
  for (const [k, seed] of config.seeds.entries()) {
    const inst = sampleInstance({ n, ...spec, seed });
    const run = runAmp(inst, {
      variant: 'ml',
      m0,
      maxIters: config.iterations,
      rng: Rng.fromSeed(seed).stream(3),
      tol: 0,
    });
    const m = new Float64Array(config.iterations + 1);
    for (let i = 0; i <= config.iterations; i++) m[i] = run.m[Math.min(i, run.m.length - 1)];
    amps.push(m);
    progress(0.3 + (0.3 * (k + 1)) / config.seeds.length, `ML-AMP N = ${n}`);
  }
  const flows = finiteNFlows({ ...config, invDelta2: x }, m0, config.seeds, (k) =>
    progress(0.6 + (0.4 * k) / config.seeds.length, `gradient flow N = ${n}`),
  );
  const ampFiniteN = Array.from({ length: config.iterations + 1 }, (_, i) => ({
    iteration: i,
    ...spread(amps, i),
  }));
  const gfFiniteN = Array.from(flows.t, (t, k) => ({ t, ...spread(flows.m, k) }));
  const data: AmpVsGfData = {
    p,
    deltap,
    invDelta2: x,
    fixedPoint,
    stateEvolution: Array.from(se.m, (m, iteration) => ({ iteration, m })),
    ampFiniteN,
    dmft: Array.from(dmft.t, (t, i) => ({ t, m: dmft.m[i] })).filter((r) => r.t >= config.tmax * 1e-4),
    gfFiniteN,
    N: n,
    seeds: config.seeds.length,
  };
  const ampEnd = ampFiniteN.at(-1)!;
  const gfEnd = gfFiniteN.at(-1)!;
  const dmftEnd = dmft.m[dmft.m.length - 1];
  const caption =
    `ML-AMP and gradient flow reach the same overlap (THEORY §6.1, §3): p = ${p}, Δp = ${deltap}, 1/Δ2 = ${x}, ` +
    `all started at overlap m0 = ${m0}. Left: ML-AMP state evolution and N = ${n} ML-AMP runs (mean and min–max over ` +
    `seeds ${config.seeds.join(', ')}) against iterations. Right: N = ∞ gradient flow (THEORY §3) and N = ${n} ` +
    `gradient flows (same seeds) against time. Dotted grey: the common fixed point m* = ${fmt(fixedPoint, 6)} ` +
    `(GF end state = ML-AMP fixed point).\n\n` +
    `State evolution after ${se.iters} iterations: ${fmt(se.m[se.m.length - 1], 6)}; ML-AMP N = ${n} mean after ` +
    `${config.iterations} iterations: ${fmt(ampEnd.mean)}; N = ∞ gradient flow at t = ${fmt(dmft.t[dmft.t.length - 1], 3)}: ` +
    `${fmt(dmftEnd, 6)}; N = ${n} gradient flow mean at t = ${fmt(gfEnd.t, 3)}: ${fmt(gfEnd.mean)}.`;
  return {
    id: 'amp-vs-gf',
    title: 'ML-AMP and gradient flow reach the same overlap',
    caption,
    figure: { kind: 'ampVsGf', data },
    tables: [
      {
        name: 'state-evolution',
        columns: ['iteration', 'm'],
        rows: data.stateEvolution.map((r) => [r.iteration, r.m]),
      },
      {
        name: 'amp-finite-n',
        columns: ['iteration', 'mean', 'min', 'max'],
        rows: ampFiniteN.map((r) => [r.iteration, r.mean, r.lo, r.hi]),
      },
      { name: 'dmft', columns: ['t', 'm'], rows: data.dmft.map((r) => [r.t, r.m]) },
      {
        name: 'gf-finite-n',
        columns: ['t', 'mean', 'min', 'max'],
        rows: gfFiniteN.map((r) => [r.t, r.mean, r.lo, r.hi]),
      },
    ],
    params: { ...config },
    keyNumbers: {
      fixedPoint,
      stateEvolution: se.m[se.m.length - 1],
      ampFiniteNMean: ampEnd.mean,
      dmftFinal: dmftEnd,
      gfFiniteNMean: gfEnd.mean,
    },
  };
}
