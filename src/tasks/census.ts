/**
 * The `census` task: a finite-N census of the landscape (THEORY §2, §4). On each of `instances`
 * instances (seeds seed, seed+1, …) run `descents` descents from uniform random starts and
 * `signal-starts` from overlap +m0 and as many from −m0, each to a stationary point
 * (|grad|/√N < gtol, then Riemannian Newton), classify the end points (signal, mirror, spurious
 * minimum, saddle by Hessian index, unconverged), count distinct minima by overlap
 * (x_a·x_b/N > 1 − ε), and compare Σ ≈ ln(#distinct minima)/N with the annealed Kac–Rice
 * max_m Σ_min(m) (THEORY §4.2), the best end state with the GF end state (THEORY §3).
 *
 * Descents sample minima by basin size, not uniformly, and a census of R descents cannot show
 * more than R minima (Σ ≤ ln R/N, `resolvableSigma`): the estimate is a lower bound; the Chao1
 * estimate adds the unseen minima that the singletons imply.
 *
 * Any channel set (--channels, exclusive with --p/--delta2/--deltap): the instances hold one
 * tensor per channel and the references use the whole covariance f; the mirror is −m* only when
 * every order is even (src/census/README.md says where the Kac–Rice side does not carry over).
 *
 * Files: `params.json`; `census.csv` (one row per descent); `minima.csv` (distinct minima).
 * Seeds: instance k is `sampleInstance({…, seed: seed + k})` (or the `--instance` file, with
 * `--instances 1`); its starts use stream 1 of `Rng.fromSeed(seed + k)` (as `flow` does), so
 * `flow --seed S` draws the same instance. `instance_seed` in the files is the instance's own.
 */

import {
  defaultDescentStep,
  type EndPoint,
  type InstanceSummary,
  kacRiceMinima,
  minimaHistograms,
  mirrorOverlap,
  runCensus,
  summarizeInstance,
  summarizeInstances,
} from '../census/index.ts';
import { gradientFlowEndState } from '../dmft/index.ts';
import type { Channel } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { choiceFlag, integerFlag, numberFlag } from './flags.ts';
import { instanceFlag } from './flow.ts';
import { obtainInstance, rememberInstance, validateInstance } from './instance.ts';
import { channelsFlag, modelFlags, modelParams, seedFlag } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { recordCovariance, writeCsv } from './shared.ts';
import { defineTask, TaskCancelledError, type TaskRunOptions } from './task.ts';
import { UsageError } from './usageError.ts';

/** gd: at most this many steps per descent (tmax/dt). */
const MAX_STEPS = 1e7;

export const censusFlags = {
  n: integerFlag('--n', { description: 'dimension N', ge: 4, le: 2000, default: 40 }),
  ...modelFlags,
  channels: channelsFlag,
  seed: seedFlag,
  instances: integerFlag('--instances', {
    description: 'number of instances (seeds seed, seed+1, …)',
    ge: 1,
    le: 10000,
    default: 1,
  }),
  descents: integerFlag('--descents', {
    description: 'descents from uniform random starts per instance',
    ge: 0,
    le: 1000000,
    default: 30,
  }),
  signalStarts: integerFlag('--signal-starts', {
    description: 'descents from overlap +m0 with the signal per instance, and as many from −m0',
    ge: 0,
    le: 100000,
    default: 2,
  }),
  m0: numberFlag('--m0', {
    description: '|overlap| of the starts near ±the signal',
    gt: 0,
    le: 1,
    default: 0.9,
  }),
  method: choiceFlag('--method', ['gd', 'gf'] as const, {
    description: 'gd: gradient descent with step --dt; gf: gradient flow (adaptive Dormand–Prince 5(4))',
    default: 'gd',
  }),
  dt: numberFlag('--dt', {
    description:
      'gd: step η (default 1.5/λ_bound, λ_bound = max(μ_th, μ*) + 2√f″(1), the largest Hessian eigenvalue of THEORY §4.1); gf: largest step (default inf)',
    gt: 0,
    allowInf: true,
  }),
  tmax: numberFlag('--tmax', { description: 'time cap of each descent', gt: 0, le: 1e9, default: 2000 }),
  gtol: numberFlag('--gtol', {
    description:
      'a descent ends at |grad|/√N < gtol (then Newton polishing); end points above it are unconverged',
    gt: 0,
    lt: 1,
    default: 1e-6,
    defaultText: '1e-6',
  }),
  epsilon: numberFlag('--epsilon', {
    description: 'end points with overlap x_a·x_b/N > 1 − ε are the same point',
    gt: 0,
    lt: 1,
    default: 1e-3,
    defaultText: '1e-3',
  }),
  mTolerance: numberFlag('--m-tolerance', {
    description:
      'a minimum within this of m* (THEORY §3) is the signal minimum (of the mirror overlap: the mirror)',
    gt: 0,
    lt: 2,
    default: 0.15,
  }),
  instance: instanceFlag,
} as const;

export interface CensusParameters {
  readonly n: number;
  /** The instance file, or null to sample instances with seeds seed, seed+1, …. */
  readonly instance: string | null;
  /** The first instance's seed (the file's, or --seed). */
  readonly instanceSeed: number;
  readonly p: number;
  readonly delta2: number;
  readonly deltap: number;
  /** The channel set of --channels (p, Δ2, Δp above are derived from it); absent otherwise. */
  readonly channels?: ReadonlyArray<Channel>;
  readonly instances: number;
  readonly descents: number;
  readonly signalStarts: number;
  readonly m0: number;
  readonly method: 'gd' | 'gf';
  readonly dt: number;
  readonly tmax: number;
  readonly gtol: number;
  readonly epsilon: number;
  readonly mTolerance: number;
}

export interface CensusParams {
  readonly parameters: CensusParameters;
  readonly seed: number;
}

export const CENSUS_COLUMNS = [
  'instance_seed',
  'descent',
  'start',
  'm0',
  't',
  'm',
  'energy',
  'mu',
  'grad_norm',
  'index',
  'lambda_min',
  'newton_steps',
  'class',
  'cluster',
] as const;

export const MINIMA_COLUMNS = [
  'instance_seed',
  'cluster',
  'hits',
  'class',
  'm',
  'energy',
  'mu',
  'lambda_min',
] as const;

export type CensusDocument = Awaited<ReturnType<typeof computeCensus>>['document'];

async function computeCensus(params: CensusParams, options: TaskRunOptions = {}) {
  const { parameters: q, seed } = params;
  const { signal, onProgress } = options;
  const cov = recordCovariance(q);
  const end = gradientFlowEndState(cov);
  // H(−x) = H(x) when every channel has even order: the mirror is −m*; otherwise the deterministic
  // point of the negative-m band (census/theory.ts).
  const mirror = mirrorOverlap(
    cov,
    cov.terms.every((t) => t.order % 2 === 0),
  );
  const kacRice = kacRiceMinima(cov);
  const summaries: InstanceSummary[] = [];
  const rows: (string | number)[][] = [];
  const minimaRows: (string | number)[][] = [];
  const all: EndPoint[] = [];
  for (let k = 0; k < q.instances; k++) {
    // Starts from stream 1 of seed + k; the instance is seed + k's draw, or the file's (loaded
    // in validate and remembered under the parameters object).
    const inst = await obtainInstance(
      q.instance === null ? { ...q, instanceSeed: seed + k } : q,
      { signal },
      0,
    );
    const s = inst.seed;
    if (signal?.aborted) throw new TaskCancelledError();
    const census = await runCensus(inst, {
      randomStarts: q.descents,
      signalStarts: q.signalStarts,
      startOverlap: q.m0,
      method: q.method,
      dt: q.dt,
      tmax: q.tmax,
      gtol: q.gtol,
      epsilon: q.epsilon,
      signalOverlap: end?.m ?? null,
      mirrorOverlap: mirror,
      mTolerance: q.mTolerance,
      rng: Rng.fromSeed(seed + k).stream(1),
      shouldStop: () => signal?.aborted ?? false,
      onDescent: (done, total) =>
        onProgress?.((k + done / total) / q.instances, { instance: k + 1, descent: done }),
    });
    if (census.stopped) throw new TaskCancelledError(`interrupted in instance ${k + 1} of ${q.instances}`);
    census.endPoints.forEach((e, j) => {
      rows.push([
        s,
        j,
        e.start,
        e.m0,
        e.t,
        e.m,
        e.energy,
        e.mu,
        e.gradNorm,
        e.index,
        e.lambdaMin,
        e.newtonSteps,
        e.endClass,
        e.cluster,
      ]);
    });
    for (const d of census.distinct)
      if (d.index === 0)
        minimaRows.push([s, d.cluster, d.hits, d.endClass, d.m, d.energy, d.mu, d.lambdaMin]);
    all.push(...census.endPoints);
    summaries.push(summarizeInstance(s, q.n, census));
  }
  const summary = summarizeInstances(summaries, kacRice.complexity, q.n);
  const bests = summaries.flatMap((s) => (s.best === null ? [] : [s.best]));
  const document = {
    parameters: q,
    seed,
    theory: {
      gradientFlowEndState: end === null ? null : { m: end.m, energy: end.energy, mu: end.mu },
      mirrorOverlap: mirror,
      kacRice,
    },
    summary,
    /** The lowest-energy minimum of each instance, averaged, next to the GF end state. */
    bestMean:
      bests.length === 0
        ? null
        : {
            m: bests.reduce((a, b) => a + b.m, 0) / bests.length,
            energy: bests.reduce((a, b) => a + b.energy, 0) / bests.length,
            mu: bests.reduce((a, b) => a + b.mu, 0) / bests.length,
          },
    instances: summaries,
    histograms: minimaHistograms(all),
  };
  return { document, rows, minimaRows };
}

export const censusTask = defineTask<CensusParams, CensusDocument>({
  name: 'census',
  description:
    'census of one or more instances: many descents to stationary points, classified by Hessian index and overlap, distinct minima counted and compared with Kac–Rice',
  flags: censusFlags,
  validate(raw, environment) {
    const { values: o, given } = parseParams('census', censusFlags, raw);
    if (o.instance !== undefined && o.instances !== 1)
      throw new UsageError(
        '--instances',
        `must be 1 with --instance (one instance file), got ${o.instances}`,
      );
    // The instance file (model from it, checked against explicit flags) or the sampling plan's
    // memory check (all instances have the same size).
    const { source, inst } = validateInstance({ ...o, ...modelParams(o) }, given, environment);
    const model = {
      p: source.p,
      delta2: source.delta2,
      deltap: source.deltap,
      ...(source.channels === undefined ? {} : { channels: source.channels }),
    };
    const dt =
      o.dt ?? (o.method === 'gf' ? Number.POSITIVE_INFINITY : defaultDescentStep(recordCovariance(model)));
    if (o.method === 'gd' && !Number.isFinite(dt))
      throw new UsageError('--dt', 'must be finite for --method gd');
    if (o.method === 'gd' && o.tmax / dt > MAX_STEPS)
      throw new UsageError(
        '--dt',
        `gives ${(o.tmax / dt).toPrecision(3)} steps per descent; tmax/dt must be ≤ ${MAX_STEPS}`,
      );
    if (o.descents + 2 * o.signalStarts < 1)
      throw new UsageError('--descents', 'and --signal-starts are both 0: no descent would run');
    const parameters: CensusParameters = {
      n: source.n,
      ...model,
      instance: source.instance,
      instanceSeed: source.instanceSeed,
      instances: o.instances,
      descents: o.descents,
      signalStarts: o.signalStarts,
      m0: o.m0,
      method: o.method,
      dt,
      tmax: o.tmax,
      gtol: o.gtol,
      epsilon: o.epsilon,
      mTolerance: o.mTolerance,
    };
    const params = { parameters, seed: o.seed };
    rememberInstance(params.parameters, inst);
    return params;
  },
  async execute(params, options = {}) {
    const { document, rows, minimaRows } = await computeCensus(params, options);
    return {
      document,
      write(files) {
        files.json('params.json', paramsDocument('census', { ...params.parameters }, { seed: params.seed }));
        writeCsv(files, 'census.csv', CENSUS_COLUMNS, rows);
        writeCsv(files, 'minima.csv', MINIMA_COLUMNS, minimaRows);
      },
    };
  },
});
