/**
 * The `census` figure of `saddlesurf reproduce` (issue 15): a finite-N census of the landscape
 * (THEORY §2, §4) on two models. (1) One spiked model at one N: many gradient descents from random
 * starts and from overlap ±m0, polished to stationary points and classified (signal, mirror,
 * spurious minimum, saddle by Hessian index), histograms of (m, e, λ_min), against the GF end state
 * of THEORY §3. (2) The Σ estimate ln(#distinct minima)/N across N against the annealed Kac–Rice
 * max_m Σ_min(m) of THEORY §4.2 (a finite-N count ~ e^{NΣ} times a prefactor). Every instance and
 * start is that of `saddlesurf census --seed S --instances K` (instance seed S + k, starts from
 * stream 1 of it), so each number can be rerun from the CLI.
 */
import {
  type CensusOptions,
  type CensusResult,
  defaultDescentStep,
  type EndPoint,
  type InstanceSummary,
  kacRiceMinima,
  mirrorOverlap,
  runCensusSync,
  summarizeInstance,
  summarizeInstances,
} from '../census/index.ts';
import { gradientFlowEndState } from '../dmft/index.ts';
import { sampleInstance, spikedCovariance } from '../model/index.ts';
import {
  CENSUS_CLASSES,
  CENSUS_OBSERVABLES,
  type CensusClass,
  type CensusHistogramRow,
  type CensusTrendRow,
} from '../plot/index.ts';
import { Rng } from '../random/index.ts';
import type { StageProgress, StageResult } from './types.ts';

/** One model of the census figure. */
export interface CensusModel {
  readonly p: number;
  readonly deltap: number;
  /** 1/Δ2 (0: the pure p-spin, no matrix channel). */
  readonly invDelta2: number;
}

/** Settings of the census figure. */
export interface CensusStageConfig {
  /** The classified end points: one spiked model at one N. */
  readonly landscape: CensusModel & {
    readonly n: number;
    /** Instance seeds (contiguous, as `census --seed S --instances K`). */
    readonly seeds: readonly number[];
    readonly descents: number;
    /** Descents from +m0 and as many from −m0 per instance. */
    readonly signalStarts: number;
    readonly m0: number;
  };
  /** The Σ estimate across N: random starts only. */
  readonly trend: CensusModel & {
    readonly ns: readonly number[];
    readonly seeds: readonly number[];
    readonly descents: number;
  };
  /** Stop a descent at |grad|/√N < gtol (then Newton); cap of each descent; same-point ε; m tolerance. */
  readonly gtol: number;
  readonly tmax: number;
  readonly epsilon: number;
  readonly mTolerance: number;
  /** Bins of each histogram. */
  readonly bins: number;
}

const fmt = (x: number, digits = 4): string => Number(x.toPrecision(digits)).toString();
const covOf = (q: CensusModel) => spikedCovariance({ p: q.p, delta2: 1 / q.invDelta2, deltap: q.deltap });

/** The census of each seed's instance at dimension n, with the `census` task's defaults. */
function censuses(
  q: CensusModel,
  n: number,
  seeds: readonly number[],
  starts: { descents: number; signalStarts: number; m0: number },
  config: CensusStageConfig,
): { seed: number; census: CensusResult }[] {
  const cov = covOf(q);
  const end = gradientFlowEndState(cov);
  const options: Omit<CensusOptions, 'rng'> = {
    randomStarts: starts.descents,
    signalStarts: starts.signalStarts,
    startOverlap: starts.m0,
    method: 'gd',
    dt: defaultDescentStep(cov),
    tmax: config.tmax,
    gtol: config.gtol,
    epsilon: config.epsilon,
    signalOverlap: end?.m ?? null,
    mirrorOverlap: mirrorOverlap(cov, q.p % 2 === 0),
    mTolerance: config.mTolerance,
  };
  return seeds.map((seed) => {
    const inst = sampleInstance({ n, p: q.p, delta2: 1 / q.invDelta2, deltap: q.deltap, seed });
    return { seed, census: runCensusSync(inst, { ...options, rng: Rng.fromSeed(seed).stream(1) }) };
  });
}

/**
 * Histograms of m, e, λ_min on common bins per observable, split by class. The range is that of the
 * finite values, widened to at least 0.05 × max(1, |centre|): the end points of one minimum agree to
 * rounding (and for even p the signal and mirror minima have the same e and λ_min, H(−x) = H(x)),
 * so bins of the raw range would be ~1e-16 wide.
 */
export function classHistograms(points: readonly EndPoint[], bins: number): CensusHistogramRow[] {
  const value = (e: EndPoint, o: (typeof CENSUS_OBSERVABLES)[number]) =>
    o === 'm' ? e.m : o === 'energy' ? e.energy : e.lambdaMin;
  return CENSUS_OBSERVABLES.flatMap((o) => {
    const v = points.map((e) => value(e, o)).filter(Number.isFinite);
    if (v.length === 0) return [];
    let lo = Math.min(...v);
    let hi = Math.max(...v);
    const minWidth = 0.05 * Math.max(1, Math.abs((lo + hi) / 2));
    if (hi - lo < minWidth) {
      // The centre in the middle of a bin (not on an edge, which would split equal values).
      const centre = (lo + hi) / 2;
      lo = centre - (minWidth / bins) * (Math.floor(bins / 2) + 0.5);
      hi = lo + minWidth;
    }
    const width = (hi - lo) / bins;
    return CENSUS_CLASSES.flatMap((c) => {
      const counts = new Array<number>(bins).fill(0);
      for (const e of points) {
        const x = value(e, o);
        if (e.endClass !== c || !Number.isFinite(x)) continue;
        counts[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))]++;
      }
      return counts.map((count, k) => ({
        observable: o,
        endClass: c as CensusClass,
        lo: lo + k * width,
        hi: k === bins - 1 ? hi : lo + (k + 1) * width,
        count,
      }));
    });
  });
}

/**
 * The census figure: classified end points of one spiked model, and Σ̂ across N against Kac–Rice.
 * @example
 * censusStage(QUICK.census!, () => {}).keyNumbers.trend; // Σ̂, Chao1 and the gap per N
 */
export function censusStage(config: CensusStageConfig, progress: StageProgress): StageResult {
  const L = config.landscape;
  const T = config.trend;
  const totalWork = L.seeds.length * L.n ** L.p + T.seeds.length * T.ns.reduce((a, n) => a + n ** T.p, 0);
  let work = 0;
  // Landscape: classified end points.
  const landscapeRuns = L.seeds.map((seed) => {
    const [r] = censuses(L, L.n, [seed], L, config);
    work += L.n ** L.p;
    progress(work / totalWork, `N = ${L.n}, instance ${seed}`);
    return r!;
  });
  const endPoints = landscapeRuns.flatMap((r) => r.census.endPoints);
  const summaries = landscapeRuns.map((r) => summarizeInstance(r.seed, L.n, r.census));
  const lCov = covOf(L);
  const end = gradientFlowEndState(lCov);
  const mirror = mirrorOverlap(lCov, L.p % 2 === 0);
  const lKacRice = kacRiceMinima(lCov);
  const landscapeSummary = summarizeInstances(summaries, lKacRice.complexity, L.n);
  const counts = landscapeSummary.counts as Record<CensusClass, number>;
  const histograms = classHistograms(endPoints, config.bins);
  // Trend across N.
  const tKacRice = kacRiceMinima(covOf(T));
  const trendSummaries: (ReturnType<typeof summarizeInstances> & {
    n: number;
    perInstance: InstanceSummary[];
  })[] = [];
  for (const n of T.ns) {
    const per = T.seeds.map((seed) => {
      const [r] = censuses(T, n, [seed], { descents: T.descents, signalStarts: 0, m0: 0.9 }, config);
      work += n ** T.p;
      progress(work / totalWork, `N = ${n}, instance ${seed}`);
      return summarizeInstance(seed, n, r!.census);
    });
    trendSummaries.push({ ...summarizeInstances(per, tKacRice.complexity, n), n, perInstance: per });
  }
  const trendRows: CensusTrendRow[] = trendSummaries.map((s) => ({
    n: s.n,
    sigma: s.sigmaEstimate,
    sigmaStderr: s.sigmaEstimateStderr,
    sigmaChao1: s.sigmaChao1,
    resolvable: s.resolvableSigma,
  }));
  const nGaps = trendSummaries.map((s) => s.n * s.gap);
  const saturated = trendSummaries.filter((s) => s.sigmaEstimate > 0.85 * s.resolvableSigma).map((s) => s.n);
  const model = (q: CensusModel) =>
    `p = ${q.p}, Δp = ${q.deltap}, ${q.invDelta2 === 0 ? 'no matrix channel (1/Δ2 = 0)' : `1/Δ2 = ${q.invDelta2}`}`;
  const classSentence = CENSUS_CLASSES.map((c) => `${c} ${counts[c]}`).join(', ');
  const best = summaries.flatMap((s) => (s.best === null ? [] : [s.best]));
  const caption =
    `Finite-N census of the landscape (THEORY §2, §4). Top: ${model(L)}, N = ${L.n}, instances (seeds) ` +
    `${L.seeds.join(', ')}, each with ${L.descents} gradient descents from uniform random starts and ` +
    `${L.signalStarts} from overlap +${L.m0} and −${L.m0} with the signal, run until |grad|/√N < ${config.gtol.toExponential(0)} ` +
    `(step 1.5/λ_bound, time cap ${config.tmax}) and polished by Riemannian Newton; histograms of the end points' ` +
    `overlap m, energy e = H/N and lowest Riemannian-Hessian eigenvalue λ_min (THEORY §4.1), stacked by class: ` +
    `signal = a minimum within ${config.mTolerance} of the GF end state m*, mirror = within it of the negative-m ` +
    `deterministic minimum, spurious = any other minimum, saddle = Hessian index ≥ 1. Dotted: ` +
    (end === null
      ? 'no GF end state at these Δ. '
      : `the GF end state m* = ${fmt(end.m)}, e* = ${fmt(end.energy)} of THEORY §3${mirror === null ? '' : `, the mirror overlap ${fmt(mirror)}`}. `) +
    `Counts: ${classSentence}. Distinct minima per instance: ${summaries.map((s) => s.distinctMinima).join(', ')}; ` +
    `Kac–Rice max_m Σ_min(m) = ${fmt(lKacRice.complexity, 3)} at m = ${fmt(lKacRice.m, 3)} (e^{NΣ} = ` +
    `${fmt(Math.exp(L.n * lKacRice.complexity), 3)}). ` +
    (best.length === 0
      ? ''
      : `Lowest minimum found per instance: ${best.map((b) => `m = ${fmt(b.m, 3)}, e = ${fmt(b.energy)} (${b.endClass})`).join('; ')}` +
        `${end === null ? '' : `, against the GF end state e* = ${fmt(end.energy)}`}. `) +
    `\n\nBottom: ${model(T)}, Σ̂ = ln(#distinct minima)/N (mean ± standard error over ${T.seeds.length} instances, ` +
    `${T.descents} random starts each; distinct: overlap x_a·x_b/N ≤ 1 − ${config.epsilon}) and the Chao1 estimate, ` +
    `against the annealed Kac–Rice complexity max_m Σ_min(m) = ${fmt(tKacRice.complexity, 4)} of THEORY §4.2; ` +
    `dashed: ln(descents)/N, the largest Σ a census of this size can show. ` +
    trendSummaries
      .map(
        (s) =>
          `N = ${s.n}: ${fmt(s.distinctMinimaMean, 3)} distinct minima, Σ̂ = ${s.sigmaEstimate.toFixed(3)} ± ` +
          `${s.sigmaEstimateStderr.toFixed(3)} (Chao1 ${s.sigmaChao1.toFixed(3)}), N·(Σ̂ − Σ_KR) = ${(s.n * s.gap).toFixed(2)}`,
      )
      .join('; ') +
    `. The finite-N gap: Σ̂ lies above Kac–Rice and comes down as N grows, with N·(Σ̂ − Σ_KR) between ` +
    `${Math.min(...nGaps).toFixed(2)} and ${Math.max(...nGaps).toFixed(2)}: a census finds e^{N·gap} ≈ ` +
    `${fmt(Math.exp(Math.min(...nGaps)), 2)}–${fmt(Math.exp(Math.max(...nGaps)), 2)} times e^{NΣ_KR} minima, ` +
    `a sub-exponential prefactor rather than a different rate. Caveats: descents sample minima by basin size (Σ̂ is ` +
    `a lower bound of the count), and Kac–Rice is annealed (an upper bound of the typical count)` +
    (saturated.length === 0
      ? '.'
      : `; at N = ${saturated.join(', ')} Σ̂ is within 15 % of ln(descents)/N: the census is near saturation there and those points are lower bounds.`);
  const pointRows = landscapeRuns.flatMap((r) =>
    r.census.endPoints.map((e) => [
      r.seed,
      e.start,
      e.m0,
      e.m,
      e.energy,
      e.mu,
      e.index,
      e.lambdaMin,
      e.endClass,
      e.cluster,
    ]),
  );
  return {
    id: 'census',
    title: 'A finite-N census of minima and saddles, and the complexity across N',
    caption,
    figure: {
      kind: 'census',
      data: {
        landscape: {
          p: L.p,
          deltap: L.deltap,
          invDelta2: L.invDelta2,
          n: L.n,
          instances: L.seeds.length,
          counts,
          histograms,
          signalOverlap: end?.m ?? null,
          signalEnergy: end?.energy ?? null,
          mirrorOverlap: mirror,
        },
        trend: {
          p: T.p,
          deltap: T.deltap,
          invDelta2: T.invDelta2,
          kacRice: tKacRice.complexity,
          rows: trendRows,
        },
      },
    },
    tables: [
      {
        name: 'end-points',
        columns: [
          'instance_seed',
          'start',
          'm0',
          'm',
          'energy',
          'mu',
          'index',
          'lambda_min',
          'class',
          'cluster',
        ],
        rows: pointRows,
      },
      {
        name: 'histograms',
        columns: ['observable', 'class', 'lo', 'hi', 'count'],
        rows: histograms.map((h) => [h.observable, h.endClass, h.lo, h.hi, h.count]),
      },
      {
        name: 'trend',
        columns: [
          'n',
          'instances',
          'distinct_minima_mean',
          'sigma',
          'sigma_stderr',
          'sigma_chao1',
          'sigma_chao1_stderr',
          'resolvable_sigma',
          'kac_rice',
          'gap',
          'n_gap',
        ],
        rows: trendSummaries.map((s) => [
          s.n,
          s.instances,
          s.distinctMinimaMean,
          s.sigmaEstimate,
          s.sigmaEstimateStderr,
          s.sigmaChao1,
          s.sigmaChao1Stderr,
          s.resolvableSigma,
          s.kacRice,
          s.gap,
          s.n * s.gap,
        ]),
      },
    ],
    params: { ...config, method: 'gd', step: '1.5/λ_bound (defaultDescentStep)', startStream: 1 },
    keyNumbers: {
      landscape: {
        counts,
        distinctMinima: summaries.map((s) => s.distinctMinima),
        kacRice: lKacRice,
        gradientFlowEndState: end === null ? null : { m: end.m, energy: end.energy, mu: end.mu },
        mirrorOverlap: mirror,
        best,
      },
      trend: {
        kacRice: tKacRice,
        rows: trendSummaries.map(({ perInstance: _, ...s }) => s),
        nGapRange: [Math.min(...nGaps), Math.max(...nGaps)],
        saturatedAt: saturated,
      },
    },
  };
}
