/**
 * The `flow` task: descent dynamics on one finite-N instance (THEORY §2) — gradient flow,
 * gradient descent or Langevin — recording the overlap m, energy e = H/N, multiplier μ, gradient
 * norm and (on demand) the lowest Riemannian-Hessian eigenvalue with its squared signal overlap
 * (THEORY §4.1).
 *
 * Files: `params.json` (every parameter and the seed); `trajectory.csv`, columns
 * `t,m,energy,mu,grad_norm,lambda_min,lambda_min_overlap`:
 * - `t`: gf lands exactly on the recorded times (its steps are shortened to hit them);
 *   gd and langevin record at the step nearest each requested time, `t = k·dt`.
 * - `energy` = H/N; `mu` = −x·∇H/N (langevin adds T(N−1)/N, THEORY §2);
 *   `grad_norm` = |Riemannian gradient|/√N (root mean square of its coordinates).
 * - `lambda_min`: lowest eigenvalue of P(∇²H + μ)P on the tangent space (Lanczos with x
 *   deflated); `lambda_min_overlap`: the SQUARED overlap of its eigenvector with the tangent
 *   signal direction (THEORY §4.1's 1 − σ²/θ²). Both empty where not probed: probes run every
 *   `hessianEvery` recorded times and at the end (0: only at the end).
 * `dt` is the gd step η, the langevin time step, or the largest gf step (default inf: the
 * adaptive Dormand–Prince 5(4) controller alone decides, with tolerances rtol and rtol/100).
 *
 * Seeds: the instance is `sampleInstance({…, seed})`; the initial condition uses stream 1 and
 * the Langevin noise stream 2 of `Rng.fromSeed(seed)` (independent of the instance draw), so an
 * instance file written by `saddlesurf sample --seed S` with `--seed S` reproduces the run.
 *
 * `--anneal C:TAU` (langevin only) runs the annealing protocol of issue 15 (src/dynamics/
 * annealedLangevin.ts): the tensor channel is seen with Δp_eff(t) = Δp + C e^{−t/τ}; `energy`, `mu`,
 * `grad_norm` and the Hessian columns are those of the loss being descended at t, and two columns
 * follow: `energy_plain` (H/N with the true Δp) and `deltap_eff`. With C = 0 the first seven columns
 * are those of plain Langevin, bit for bit.
 *
 * Runs that could not end in practice are refused (exit 2 naming the flag): more than 1e9
 * steps of gd/langevin (tmax/dt), a gf step bound dt below tmax·1e-9, and a gf flow so stiff
 * that the explicit integrator needs more than 1e8 steps (tmax·(1/Δ2 + (p−1)/Δp), the rate of
 * the fastest direction, THEORY §4.1: Δ → 0 freezes the flow at t ≈ 0).
 */

import { gradientFlowEndState, nishimoriPlateau, solveDynamicsAsync } from '../dmft/index.ts';
import type { DescentCheckpoint } from '../dynamics/checkpoint.ts';
import {
  type AnnealedObservation,
  type DescentMethod,
  type Observation,
  runAnnealedLangevinAsync,
  runDescentAsync,
} from '../dynamics/index.ts';
import { type Instance, pointAtOverlap, randomPointOnSphere, sphereObjective } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { checkpointOptions } from './checkpoint.ts';
import { parseAnneal } from './dmft.ts';
import { choiceFlag, integerFlag, numberFlag, stringFlag } from './flags.ts';
import { type InstanceSource, obtainInstance, rememberInstance, validateInstance } from './instance.ts';
import { channelsFlag, modelFlags, seedFlag, tensorChannelsLabel } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { checkStiffness, largeNCurve, recordCovariance, writeCsv } from './shared.ts';
import {
  defineTask,
  TaskCancelledError,
  type TaskFigure,
  type TaskOutput,
  type TaskRunOptions,
} from './task.ts';
import { UsageError } from './usageError.ts';

/** gd/langevin: at most this many steps (tmax/dt). */
const MAX_FIXED_STEPS = 1e9;

export const instanceFlag = stringFlag('--instance', {
  description: "instance file written by 'saddlesurf sample' (replaces sampling; N, p, Δ2, Δp come from it)",
  valueName: '<file.npz>',
});

export const flowFlags = {
  n: integerFlag('--n', { description: 'dimension N', ge: 3, le: 100000, default: 200 }),
  ...modelFlags,
  channels: channelsFlag,
  seed: seedFlag,
  method: choiceFlag('--method', ['gf', 'gd', 'langevin'] as const, {
    description:
      'gf: gradient flow (adaptive Dormand–Prince 5(4)); gd: gradient descent; langevin: Euler–Maruyama',
    default: 'gf',
  }),
  temperature: numberFlag('--temperature', {
    description: 'Langevin temperature T (langevin only; T = 1 is Bayes sampling with matched noise)',
    ge: 0,
    le: 1e6,
    default: 1,
  }),
  tmax: numberFlag('--tmax', { description: 'final time', gt: 0, le: 1e9, default: 100 }),
  dt: numberFlag('--dt', {
    description:
      'gd: step η; langevin: time step; gf: largest step of the adaptive integrator (inf: no limit) ' +
      '(default: gf inf, gd and langevin 0.01)',
    gt: 0,
    allowInf: true,
  }),
  rtol: numberFlag('--rtol', {
    description: 'gf: relative tolerance per step (absolute tolerance rtol/100 per coordinate)',
    ge: 1e-13,
    le: 0.1,
    default: 1e-6,
    defaultText: '1e-6',
  }),
  m0: numberFlag('--m0', {
    description: 'initial overlap with the signal (default: uniform on the sphere, m0 ~ N^-1/2)',
    ge: -1,
    le: 1,
  }),
  observations: integerFlag('--observations', {
    description: 'number of recorded times after t = 0',
    ge: 1,
    le: 1000000,
    default: 200,
  }),
  spacing: choiceFlag('--spacing', ['log', 'linear'] as const, {
    description: 'spacing of the recorded times (log: geometric from --tmin to --tmax)',
    default: 'log',
  }),
  tmin: numberFlag('--tmin', {
    description: 'first positive recorded time of a log schedule (default tmax·1e-4)',
    gt: 0,
  }),
  gtol: numberFlag('--gtol', {
    description: 'end the run at the first recorded time where |grad|/√N < gtol (0: run to --tmax)',
    ge: 0,
    le: 1e6,
    default: 0,
  }),
  hessianEvery: integerFlag('--hessian-every', {
    description: 'probe the Hessian every K-th recorded time and at the end (0: only at the end)',
    ge: 0,
    le: 1000000,
    default: 0,
  }),
  instance: instanceFlag,
  anneal: stringFlag('--anneal', {
    description:
      'langevin only: annealing protocol C:TAU — the tensor channel is seen with Δp + C e^{−t/τ} (C ≥ 0, τ > 0); adds the columns energy_plain and deltap_eff',
    valueName: '<C:TAU>',
    required: false,
  }),
} as const;

/** The parameters recorded in params.json and the document (the seed is recorded beside them). */
export interface FlowParameters extends InstanceSource {
  readonly method: DescentMethod;
  readonly temperature: number;
  readonly tmax: number;
  readonly dt: number;
  readonly rtol: number | null;
  readonly atol: number | null;
  readonly integrator: string;
  readonly m0: number | 'uniform';
  readonly observations: number;
  readonly spacing: 'log' | 'linear';
  readonly tmin: number | null;
  readonly gtol: number;
  readonly hessianEvery: number;
  /** Annealing protocol Δp_eff(t) = Δp + c e^{−t/τ} (langevin only); absent for plain dynamics. */
  readonly anneal?: { readonly c: number; readonly tau: number };
}

export interface FlowParams {
  readonly parameters: FlowParameters;
  readonly seed: number;
}

/** The trajectory file's columns (issue 2). */
export const TRAJECTORY_COLUMNS = [
  't',
  'm',
  'energy',
  'mu',
  'grad_norm',
  'lambda_min',
  'lambda_min_overlap',
] as const;

/** The two columns `--anneal` adds. */
export const ANNEAL_COLUMNS = ['energy_plain', 'deltap_eff'] as const;

const row = (o: Observation) => [o.t, o.m, o.energy, o.mu, o.gradNorm, o.lambdaMin, o.lambdaMinOverlap];
const annealRow = (o: AnnealedObservation) => [...row(o), o.energyPlain, o.deltapEff];

const finalJson = (o: Observation) => ({
  t: o.t,
  m: o.m,
  energy: o.energy,
  mu: o.mu,
  gradNorm: o.gradNorm,
  lambdaMin: Number.isNaN(o.lambdaMin) ? null : o.lambdaMin,
  lambdaMinOverlap: Number.isNaN(o.lambdaMinOverlap) ? null : o.lambdaMinOverlap,
});

export interface LargeNPrediction {
  readonly kind: string;
  readonly m: number | null;
  readonly energy: number;
  readonly mu: number;
  readonly lambdaMin: number | null;
}

export interface FlowDocument {
  readonly final: ReturnType<typeof finalJson> & { energyPlain?: number; deltapEff?: number };
  readonly converged: boolean;
  readonly largeN: LargeNPrediction | null;
  readonly parameters: FlowParameters;
  readonly seed: number;
  readonly stats: { accepted: number; rejected: number; evaluations: number };
}

/**
 * The large-N prediction a run should approach, for comparison: the GF end state of THEORY §3
 * (gf, gd) with the THEORY §4.1 bulk edge μ* − 2√f''(1) (at the end state θ(m*) < √f''(1), so no
 * outlier is predicted), or the Nishimori values of THEORY §3 (langevin at T = 1). Null
 * otherwise, or when the signal is not reachable.
 */
function largeNPrediction(inst: InstanceSource, method: DescentMethod, temperature: number) {
  const cov = recordCovariance(inst);
  if (method === 'langevin') {
    if (temperature !== 1) return null;
    const nishimori = nishimoriPlateau(cov);
    return { kind: 'nishimori', m: null, energy: nishimori.energy, mu: nishimori.mu, lambdaMin: null };
  }
  const end = gradientFlowEndState(cov);
  if (end === null) return null;
  const sigma = Math.sqrt(cov.d2f(1));
  const theta = cov.d2f(end.m) * (1 - end.m * end.m);
  // THEORY §4.1: outlier μ − θ − σ²/θ if θ > σ, else the bulk edge μ − 2σ.
  const lambdaMin = theta > sigma ? end.mu - theta - (sigma * sigma) / theta : end.mu - 2 * sigma;
  return { kind: 'gradient-flow end state', m: end.m, energy: end.energy, mu: end.mu, lambdaMin };
}

/** Largest tmax of the N = ∞ annealed curve of `--plot` (fixed grid h = 0.05: ≤ 2000 steps, a few s). */
const ANNEALED_CURVE_TMAX = 100;

/**
 * The annealed large-N dynamics (src/dmft/anneal.ts) beside an annealed run: the adaptive grid has
 * no protocol, so the fixed grid (second-order scheme, h = 0.05; at T = 1 its escape times come
 * ≈ 3 % early, src/reproduce/annealStage.ts); null above {@link ANNEALED_CURVE_TMAX}, for m0 = 0, or
 * when the solver fails.
 */
async function annealedLargeNCurve(q: FlowParameters, anneal: { c: number; tau: number }, m0: number) {
  const start = Math.min(Math.abs(m0), 0.999);
  if (!(start > 0) || q.tmax > ANNEALED_CURVE_TMAX) return null;
  const run = await solveDynamicsAsync({
    covariance: recordCovariance(q),
    temperature: q.temperature,
    m0: start,
    tmax: q.tmax,
    grid: { kind: 'fixed', h: 0.05, scheme: 'heun' },
    anneal,
  });
  return run.stats.status === 'ok' ? run : null;
}

/**
 * The run's m, e, μ with the dynamics builder (one run: a band of zero width, legend 'one run'),
 * beside the large-N dynamics (THEORY §3) from the run's own |m(0)| at its temperature. For a run
 * that ends in the mirror minimum (m < 0) the N = ∞ curve is that of |m|.
 */
async function flowFigure(q: FlowParameters, observations: readonly Observation[]): Promise<TaskFigure> {
  const invDelta2 = 1 / q.delta2;
  const dmft =
    q.anneal === undefined
      ? await largeNCurve(q, q.temperature, observations[0].m, q.tmax)
      : await annealedLargeNCurve(q, q.anneal, observations[0].m);
  const theory =
    dmft === null
      ? []
      : Array.from(dmft.t, (t, k) => ({ invDelta2, t, m: dmft.m[k], e: dmft.energy[k], mu: dmft.mu[k] }));
  const finiteN = observations.flatMap((o) =>
    (['m', 'e', 'mu'] as const).map((observable) => {
      const v = observable === 'm' ? o.m : observable === 'e' ? o.energy : o.mu;
      return { invDelta2, t: o.t, observable, mean: v, lo: v, hi: v };
    }),
  );
  return {
    name: 'trajectory',
    spec: {
      kind: 'dynamics',
      data: {
        p: q.p,
        deltap: q.deltap,
        ...(q.channels === undefined ? {} : { model: `tensor channels ${tensorChannelsLabel(q.channels)}` }),
        theory,
        finiteN,
        N: q.n,
        seeds: 1,
      },
    },
  };
}

export const flowTask = defineTask<FlowParams, FlowDocument>({
  name: 'flow',
  description:
    'run gradient flow, gradient descent or Langevin dynamics on one instance and record m, e, μ, |grad|, Hessian',
  flags: flowFlags,
  validate(raw, environment) {
    const { values: o, given } = parseParams('flow', flowFlags, raw);
    const method: DescentMethod = o.method;
    const dt = o.dt ?? (method === 'gf' ? Number.POSITIVE_INFINITY : 0.01);
    if (method !== 'gf' && !Number.isFinite(dt))
      throw new UsageError('--dt', `must be a finite real > 0 for --method ${method}`);
    if (o.tmax / dt > MAX_FIXED_STEPS)
      throw new UsageError(
        '--dt',
        `gives ${(o.tmax / dt).toPrecision(3)} ${method === 'gf' ? 'steps at the largest step' : 'steps'}; tmax/dt must be ≤ 1e9`,
      );
    if (method !== 'gf' && Math.round(o.tmax / dt) < 1)
      throw new UsageError('--dt', `must be ≤ 2·tmax (at least one step), got ${dt}`);
    const tmin = o.tmin ?? o.tmax * 1e-4;
    if (o.spacing === 'log' && !(tmin < o.tmax))
      throw new UsageError('--tmin', `must be in (0, tmax = ${o.tmax}), got ${tmin}`);
    if (method !== 'langevin' && given.has('temperature'))
      throw new UsageError('--temperature', `applies to --method langevin only (got --method ${method})`);
    if (given.has('anneal') && method !== 'langevin')
      throw new UsageError('--anneal', `applies to --method langevin only (got --method ${method})`);
    const anneal = o.anneal === undefined ? undefined : parseAnneal(o.anneal);
    const { source, inst } = validateInstance(o, given, environment);
    if (method === 'gf') checkStiffness(source, o.tmax, 'flow');
    const parameters: FlowParameters = {
      n: source.n,
      p: source.p,
      delta2: source.delta2,
      deltap: source.deltap,
      ...(source.channels === undefined ? {} : { channels: source.channels }),
      method,
      temperature: method === 'langevin' ? o.temperature : 0,
      tmax: o.tmax,
      dt,
      rtol: method === 'gf' ? o.rtol : null,
      atol: method === 'gf' ? o.rtol / 100 : null,
      integrator:
        method === 'gf'
          ? 'dormand-prince-5(4), projected'
          : method === 'gd'
            ? 'gradient-descent'
            : anneal === undefined
              ? 'euler-maruyama, projected'
              : 'euler-maruyama, projected, annealed (Δp + C e^{−t/τ})',
      m0: o.m0 ?? 'uniform',
      observations: o.observations,
      spacing: o.spacing,
      tmin: o.spacing === 'log' ? tmin : null,
      gtol: o.gtol,
      hessianEvery: o.hessianEvery,
      instance: source.instance,
      instanceSeed: source.instanceSeed,
      ...(anneal === undefined ? {} : { anneal }),
    };
    const params = { parameters, seed: o.seed };
    rememberInstance(parameters, inst);
    return params;
  },
  execute: executeFlow,
});

/** What a flow run produced, with what the explorer draws and exports beside the files. */
export interface FlowOutput extends TaskOutput<FlowDocument> {
  /** `params.json`: version, command, every parameter and the seed. */
  readonly provenance: ReturnType<typeof paramsDocument>;
  /** The recorded observations (the rows of `trajectory.csv`). */
  readonly observations: readonly Observation[];
}

/** The flow task's `execute` (the explorer's worker calls it directly for the trajectory). */
export async function executeFlow(params: FlowParams, options: TaskRunOptions = {}): Promise<FlowOutput> {
  const { parameters: q, seed } = params;
  const { signal, onProgress } = options;
  const inst: Instance = await obtainInstance(q, options);
  const root = Rng.fromSeed(seed);
  const x0 =
    q.m0 === 'uniform'
      ? randomPointOnSphere(inst.n, root.stream(1))
      : pointAtOverlap(inst.signal, q.m0, root.stream(1));
  const sampled = q.instance === null ? 0.5 : 0;
  const common = {
    shouldStop: () => signal?.aborted ?? false,
    tmax: q.tmax,
    dt: q.dt,
    temperature: q.temperature,
    schedule: { spacing: q.spacing, count: q.observations, tmin: q.tmin ?? undefined },
    hessianEvery: q.hessianEvery,
    gradientTolerance: q.gtol,
    rng: root.stream(2),
    onProgress:
      onProgress && ((t: number) => onProgress(sampled + (1 - sampled) * Math.min(1, t / q.tmax), { t })),
    ...checkpointOptions<DescentCheckpoint>(options.checkpoint),
  };
  const run =
    q.anneal === undefined
      ? await runDescentAsync(sphereObjective(inst), x0, {
          ...common,
          method: q.method,
          rtol: q.rtol ?? 1e-6,
          atol: q.atol ?? 1e-8,
          signal: inst.signal,
        })
      : await runAnnealedLangevinAsync(inst, x0, { ...common, anneal: q.anneal });
  if (run.stopped) throw new TaskCancelledError(`interrupted at t = ${run.observations.at(-1)!.t}`);
  const end = run.observations.at(-1)!;
  const document: FlowDocument = {
    final:
      q.anneal === undefined
        ? finalJson(end)
        : {
            ...finalJson(end),
            energyPlain: (end as AnnealedObservation).energyPlain,
            deltapEff: (end as AnnealedObservation).deltapEff,
          },
    converged: run.converged,
    largeN: largeNPrediction(q, q.method, q.temperature),
    parameters: q,
    seed,
    stats: run.stats,
  };
  const provenance = paramsDocument('flow', { ...q }, { seed });
  return {
    document,
    provenance,
    observations: run.observations,
    figure: () => flowFigure(q, run.observations),
    write(files) {
      files.json('params.json', provenance);
      if (q.anneal === undefined)
        writeCsv(files, 'trajectory.csv', TRAJECTORY_COLUMNS, run.observations.map(row));
      else
        writeCsv(
          files,
          'trajectory.csv',
          [...TRAJECTORY_COLUMNS, ...ANNEAL_COLUMNS],
          (run.observations as AnnealedObservation[]).map(annealRow),
        );
    },
  };
}
