/**
 * The `amp` task: ML-AMP or Bayes-optimal AMP (THEORY §6.1, §6.2) on one finite-N instance, side
 * by side with its state evolution from the same m0; or, with `seOnly`, the state evolution
 * alone (no instance, any N).
 *
 * Files: `params.json`; `iterations.csv` with columns `iteration,m,m_state_evolution` (the
 * algorithm's overlap x̂·x* / N and the undamped state-evolution prediction; `m` is empty with
 * `seOnly`). The document: `{"final": {"m", "iters", "converged"} | null, "stateEvolution":
 * {"m", "iters", "converged"}, "variant", "parameters", "seed"}` where `stateEvolution.m` is the
 * fixed point reached from m0.
 *
 * Any channel set (--channels) works for both variants: the algorithms and their state evolutions
 * use the model only through its covariance f (THEORY §6.1, §6.2; `modelCovariance`).
 *
 * Seeds: the instance is `sampleInstance({…, seed})` (or an instance file); the random part of
 * the initial estimate uses stream 1 of `Rng.fromSeed(seed)`, as in `flow`.
 */
import {
  type AmpVariant,
  bayesStateEvolution,
  mlStateEvolution,
  runAmpAsync,
  STATE_EVOLUTION_DELTA_MIN,
} from '../amp/index.ts';
import { Rng } from '../random/index.ts';
import { choiceFlag, integerFlag, numberFlag, switchFlag } from './flags.ts';
import { instanceFlag } from './flow.ts';
import { type InstanceSource, obtainInstance, rememberInstance, validateInstance } from './instance.ts';
import { channelsFlag, type ModelRecord, modelFlags, modelRecord, seedFlag } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { largeNCurve, recordCovariance, requireModelDeltaRange, writeCsv } from './shared.ts';
import { defineTask, TaskCancelledError, throwIfAborted } from './task.ts';
import { UsageError } from './usageError.ts';

/** Iterations allowed to the state evolution when it reports its fixed point. */
const SE_MAX_ITERS = 1_000_000;
/** Convergence of the state evolution (its fixed point is then polished by a root search). */
const SE_TOL = 1e-14;

export const ampFlags = {
  variant: choiceFlag('--variant', ['ml', 'bayes'] as const, {
    description: 'ml: maximum-likelihood AMP (THEORY §6.1); bayes: Bayes-optimal AMP (THEORY §6.2)',
    default: 'ml',
  }),
  n: integerFlag('--n', { description: 'dimension N', ge: 3, le: 100000, default: 200 }),
  ...modelFlags,
  channels: channelsFlag,
  seed: seedFlag,
  iters: integerFlag('--iters', {
    description: 'maximum number of iterations',
    ge: 1,
    le: 1000000,
    default: 50,
  }),
  m0: numberFlag('--m0', {
    description: 'initial overlap x̂·x*/N (ml: in [-1, 1]; bayes: in [0, 1], with |x̂|²/N = m0)',
    ge: -1,
    le: 1,
    default: 0.1,
  }),
  damping: numberFlag('--damping', {
    description: 'damping D: x̂ ← (1−D) x̂_new + D x̂_old (changes the path, not the fixed point)',
    ge: 0,
    lt: 1,
    default: 0,
  }),
  tol: numberFlag('--tol', {
    description: 'stop when |x̂^{t+1} − x̂^t|/√N ≤ tol',
    ge: 0,
    le: 1,
    default: 1e-10,
  }),
  seOnly: switchFlag('--se-only', 'run only the state evolution (no instance; any N)'),
  instance: instanceFlag,
} as const;

export interface AmpParameters extends ModelRecord {
  readonly variant: AmpVariant;
  readonly n: number | null;
  readonly iters: number;
  readonly m0: number;
  readonly damping: number | null;
  readonly tol: number | null;
  readonly onsager: true;
  readonly seOnly: boolean;
  readonly instance: string | null;
  readonly initialisation: string;
  readonly stateEvolutionTol: number;
}

export interface AmpParams {
  readonly parameters: AmpParameters;
  readonly seed: number;
  /** The instance to run on (null with seOnly). */
  readonly source: InstanceSource | null;
}

export interface AmpDocument {
  readonly final: { m: number; iters: number; converged: boolean } | null;
  readonly stateEvolution: { m: number; iters: number; converged: boolean };
  readonly variant: AmpVariant;
  readonly parameters: AmpParameters;
  readonly seed: number;
}

export const ampTask = defineTask<AmpParams, AmpDocument>({
  name: 'amp',
  description:
    'run ML-AMP or Bayes-AMP on one instance next to its state evolution (or the state evolution alone)',
  flags: ampFlags,
  validate(raw, environment) {
    const { values: o, given } = parseParams('amp', ampFlags, raw);
    const variant: AmpVariant = o.variant;
    if (variant === 'bayes' && o.m0 < 0)
      throw new UsageError('--m0', `must be in [0, 1] for --variant bayes (m0 = q ≥ 0), got ${o.m0}`);
    if (o.seOnly && o.instance !== undefined)
      throw new UsageError(
        '--instance',
        'cannot be combined with --se-only (the state evolution needs no instance)',
      );
    for (const key of ['damping', 'tol'] as const) {
      if (o.seOnly && given.has(key))
        throw new UsageError(`--${key}`, 'applies to the finite-N algorithm, not to --se-only');
    }
    const record = modelRecord(o, given);
    requireModelDeltaRange(record, STATE_EVOLUTION_DELTA_MIN);
    // --se-only needs no instance, only validated model parameters.
    const resolved = o.seOnly ? null : validateInstance(o, given, environment);
    const source = resolved?.source ?? null;
    const model: ModelRecord = source
      ? {
          p: source.p,
          delta2: source.delta2,
          deltap: source.deltap,
          ...(source.channels === undefined ? {} : { channels: source.channels }),
        }
      : record;
    const parameters: AmpParameters = {
      variant,
      n: source === null ? null : source.n,
      ...model,
      iters: o.iters,
      m0: o.m0,
      damping: o.seOnly ? null : o.damping,
      tol: o.seOnly ? null : o.tol,
      onsager: true,
      seOnly: o.seOnly,
      instance: o.instance ?? null,
      initialisation:
        variant === 'ml'
          ? 'uniform on the sphere at overlap m0'
          : 'Nishimori-consistent: |x̂|²/N = x̂·x*/N = m0',
      stateEvolutionTol: SE_TOL,
    };
    if (source !== null) rememberInstance(source, resolved?.inst ?? null);
    return { parameters, seed: o.seed, source };
  },
  async execute(params, options = {}) {
    const { parameters: q, seed, source } = params;
    const { signal, onProgress } = options;
    const model =
      q.channels === undefined ? { p: q.p, delta2: q.delta2, deltap: q.deltap } : recordCovariance(q);
    let ampM: Float64Array | null = null;
    let final: AmpDocument['final'] = null;
    if (source !== null) {
      const inst = await obtainInstance(source, options);
      const sampled = source.instance === null ? 0.5 : 0;
      const run = await runAmpAsync(inst, {
        variant: q.variant,
        m0: q.m0,
        maxIters: q.iters,
        rng: Rng.fromSeed(seed).stream(1),
        damping: q.damping ?? 0,
        tol: q.tol ?? 1e-10,
        shouldStop: () => signal?.aborted ?? false,
        onIteration: onProgress && ((t, m) => onProgress(sampled + ((1 - sampled) * t) / q.iters, { m })),
      });
      if (run === null) throw new TaskCancelledError('interrupted during the AMP iteration');
      ampM = run.m;
      final = { m: run.m[run.iters], iters: run.iters, converged: run.converged };
    }
    throwIfAborted(signal);
    // The SE map is the same whichever way the instance was obtained (scalar: milliseconds).
    const evolve = q.variant === 'ml' ? mlStateEvolution : bayesStateEvolution;
    const rows = ampM === null ? q.iters : ampM.length - 1;
    const trajectory = evolve(model, q.m0, rows, 0).m;
    const fixed = evolve(model, q.m0, SE_MAX_ITERS, SE_TOL);
    const document: AmpDocument = {
      final,
      stateEvolution: { m: fixed.fixedPoint, iters: fixed.iters, converged: fixed.converged },
      variant: q.variant,
      parameters: q,
      seed,
    };
    return {
      document,
      // ML-AMP's fixed point is the GF end state (THEORY §6.1): the right panel is GF from m0.
      figure: async () => {
        const gf = q.variant === 'ml' ? await largeNCurve(q, 0, q.m0, 100) : null;
        const finite =
          ampM === null
            ? {}
            : {
                ampFiniteN: Array.from(ampM, (m, iteration) => ({ iteration, mean: m, lo: m, hi: m })),
                N: q.n ?? undefined,
                seeds: 1,
              };
        return {
          name: 'iterations',
          spec: {
            kind: 'ampVsGf',
            data: {
              p: q.p,
              deltap: q.deltap,
              invDelta2: 1 / q.delta2,
              fixedPoint: fixed.fixedPoint,
              stateEvolution: Array.from(trajectory, (m, iteration) => ({ iteration, m })),
              ...finite,
              dmft: gf === null ? [] : Array.from(gf.t, (t, k) => ({ t, m: gf.m[k] })),
            },
          },
        };
      },
      write(files) {
        files.json('params.json', paramsDocument('amp', { ...q }, { seed }));
        writeCsv(
          files,
          'iterations.csv',
          ['iteration', 'm', 'm_state_evolution'],
          Array.from(trajectory, (mse, t) => [t, ampM === null ? null : ampM[t], mse]),
        );
      },
    };
  },
});
