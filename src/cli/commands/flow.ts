/**
 * `saddlesurf flow`: descent dynamics on one finite-N instance (THEORY §2) —
 * gradient flow, gradient descent or Langevin — writing the trajectory of the
 * overlap m, energy e = H/N, multiplier μ, gradient norm and (on demand) the lowest
 * Riemannian-Hessian eigenvalue with its squared signal overlap (THEORY §4.1).
 *
 * Output `DIR/trajectory.csv`, columns `t,m,energy,mu,grad_norm,lambda_min,lambda_min_overlap`:
 * - `t`: gf lands exactly on the recorded times (its steps are shortened to hit them);
 *   gd and langevin record at the step nearest each requested time, `t = k·dt`.
 * - `energy` = H/N; `mu` = −x·∇H/N (langevin adds T(N−1)/N, THEORY §2);
 *   `grad_norm` = |Riemannian gradient|/√N (root mean square of its coordinates).
 * - `lambda_min`: lowest eigenvalue of P(∇²H + μ)P on the tangent space (Lanczos with
 *   x deflated); `lambda_min_overlap`: the SQUARED overlap of its eigenvector with the
 *   tangent signal direction (THEORY §4.1's 1 − σ²/θ²). Both empty where not probed:
 *   probes run every `--hessian-every` recorded times and at the end (0: only at the end).
 * `--dt` is the gd step η, the langevin time step, or the largest gf step (default inf:
 * the adaptive Dormand–Prince 5(4) controller alone decides, with tolerances --rtol and
 * rtol/100). Recorded times: `--observations` of them after t = 0, `--spacing log`
 * (default, geometric from `--tmin` = tmax·1e-4) or `linear`. `--gtol` ends a run early
 * once |grad|/√N is below it. `DIR/params.json` records every parameter and the seed.
 *
 * Seeds: the instance is `sampleInstance({…, seed})`; the initial condition uses
 * stream 1 and the Langevin noise stream 2 of `Rng.fromSeed(seed)` (independent of
 * the instance draw), so `--instance FILE --seed S` with the file written by
 * `saddlesurf sample --seed S` reproduces the run without the file.
 */

import { gradientFlowEndState, nishimoriPlateau } from '../../dmft/index.ts';
import { type DescentMethod, type Observation, runDescentAsync } from '../../dynamics/index.ts';
import { toJson } from '../../io/index.ts';
import {
  type Instance,
  pointAtOverlap,
  randomPointOnSphere,
  sampleInstance,
  sphereObjective,
  spikedCovariance,
} from '../../model/index.ts';
import { Rng } from '../../random/index.ts';
import type { CommandModule } from '../command.ts';
import { CancelledError, UsageError } from '../errors.ts';
import { addFlags, choiceFlag, integerFlag, numberFlag, readFlags, stringFlag } from '../flags.ts';
import { resolveInstance } from '../instanceFile.ts';
import { forceFlag, jsonFlag, modelFlags, outFlag, seedFlag } from '../options.ts';
import { checkOutputTarget, paramsDocument, withOutputDir } from '../output.ts';
import { createProgress } from '../progress.ts';

const flags = {
  n: integerFlag('--n', { description: 'dimension N', ge: 3, le: 100000, default: 200 }),
  ...modelFlags,
  seed: seedFlag,
  method: choiceFlag('--method', ['gf', 'gd', 'langevin'] as const, {
    description:
      'gf: gradient flow (adaptive Dormand–Prince 5(4)); gd: gradient descent; langevin: Euler–Maruyama',
    default: 'gf',
    defaultText: 'gf',
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
    defaultText: 'log',
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
  instance: stringFlag('--instance', {
    description:
      "instance file written by 'saddlesurf sample' (replaces sampling; N, p, Δ2, Δp come from it)",
    valueName: '<file.npz>',
  }),
  out: outFlag(),
  force: forceFlag,
  json: jsonFlag,
} as const;

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

const row = (o: Observation) => [o.t, o.m, o.energy, o.mu, o.gradNorm, o.lambdaMin, o.lambdaMinOverlap];

const finalJson = (o: Observation) => ({
  t: o.t,
  m: o.m,
  energy: o.energy,
  mu: o.mu,
  gradNorm: o.gradNorm,
  lambdaMin: Number.isNaN(o.lambdaMin) ? null : o.lambdaMin,
  lambdaMinOverlap: Number.isNaN(o.lambdaMinOverlap) ? null : o.lambdaMinOverlap,
});

/**
 * The large-N prediction a run should approach, for comparison: the GF end state of
 * THEORY §3 (gf, gd) with the THEORY §4.1 bulk edge μ* − 2√f''(1) (at the end state
 * θ(m*) < √f''(1), so no outlier is predicted), or the Nishimori values of THEORY §3
 * (langevin at T = 1). Null otherwise, or when the signal is not reachable.
 */
function largeNPrediction(inst: Instance, method: DescentMethod, temperature: number) {
  const cov = spikedCovariance({ p: inst.p, delta2: inst.delta2, deltap: inst.deltap });
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

export const command: CommandModule = {
  name: 'flow',
  register(program, ctx) {
    const cmd = program
      .command('flow')
      .description(
        'run gradient flow, gradient descent or Langevin dynamics on one instance and record m, e, μ, |grad|, Hessian',
      );
    addFlags(cmd, flags).action(async () => {
      const o = readFlags(cmd, flags);
      // Validate everything before sampling or writing anything.
      const method: DescentMethod = o.method;
      const dt = o.dt ?? (method === 'gf' ? Number.POSITIVE_INFINITY : 0.01);
      if (method !== 'gf' && !Number.isFinite(dt))
        throw new UsageError('--dt', `must be a finite real > 0 for --method ${method}`);
      if (method !== 'gf' && o.tmax / dt > 1e9)
        throw new UsageError('--dt', `gives ${Math.round(o.tmax / dt)} steps; tmax/dt must be ≤ 1e9`);
      if (method !== 'gf' && Math.round(o.tmax / dt) < 1)
        throw new UsageError('--dt', `must be ≤ 2·tmax (at least one step), got ${dt}`);
      const tmin = o.tmin ?? o.tmax * 1e-4;
      if (o.spacing === 'log' && !(tmin < o.tmax))
        throw new UsageError('--tmin', `must be in (0, tmax = ${o.tmax}), got ${tmin}`);
      checkOutputTarget(o.out, o.force);
      const raw = cmd.opts() as Record<string, unknown>;
      if (method !== 'langevin' && raw.temperature !== undefined)
        throw new UsageError('--temperature', `applies to --method langevin only (got --method ${method})`);
      const source = resolveInstance(o, raw);
      const inst: Instance = source.inst ?? sampleInstance(source.plan);
      const parameters = {
        n: inst.n,
        p: inst.p,
        delta2: inst.delta2,
        deltap: inst.deltap,
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
              : 'euler-maruyama, projected',
        m0: o.m0 ?? 'uniform',
        observations: o.observations,
        spacing: o.spacing,
        tmin: o.spacing === 'log' ? tmin : null,
        gtol: o.gtol,
        hessianEvery: o.hessianEvery,
        instance: o.instance ?? null,
        instanceSeed: inst.seed,
      };
      const root = Rng.fromSeed(o.seed);
      const x0 =
        o.m0 === undefined
          ? randomPointOnSphere(inst.n, root.stream(1))
          : pointAtOverlap(inst.signal, o.m0, root.stream(1));
      const result = await withOutputDir(o.out, o.force, async (out) => {
        out.json('params.json', paramsDocument('flow', parameters, { seed: o.seed }));
        const progress = createProgress(ctx, { label: `flow ${method}`, total: o.tmax, json: o.json });
        // Ctrl-C stops the run at the next step (the async run lets the handler fire between
        // observations); nothing is written (exit status 130).
        let interrupted = false;
        const onSigint = (): void => {
          interrupted = true;
        };
        process.on('SIGINT', onSigint);
        const run = await runDescentAsync(sphereObjective(inst), x0, {
          shouldStop: () => interrupted,
          method,
          tmax: o.tmax,
          dt,
          temperature: o.temperature,
          rtol: o.rtol,
          atol: o.rtol / 100,
          schedule: { spacing: o.spacing, count: o.observations, tmin },
          signal: inst.signal,
          hessianEvery: o.hessianEvery,
          gradientTolerance: o.gtol,
          rng: root.stream(2),
          onProgress: (t) => progress.update(t, `t = ${t.toPrecision(4)}`),
        }).finally(() => process.off('SIGINT', onSigint));
        progress.stop(run.stopped ? 'aborted' : 'done');
        if (run.stopped) {
          throw new CancelledError(`interrupted at t = ${run.observations.at(-1)!.t}; no output written`);
        }
        out.csv('trajectory.csv', TRAJECTORY_COLUMNS, run.observations.map(row));
        return {
          final: finalJson(run.observations.at(-1)!),
          converged: run.converged,
          largeN: largeNPrediction(inst, method, o.temperature),
          parameters,
          seed: o.seed,
          stats: run.stats,
        };
      });
      if (o.json) ctx.stdout(toJson({ ...result, out: o.out }, 0));
      else {
        const f = result.final;
        ctx.stdout(
          `wrote ${o.out}: ${method} to t = ${f.t}: m = ${f.m.toFixed(6)}, e = ${f.energy.toFixed(6)}, μ = ${f.mu.toFixed(6)}, ` +
            `|grad|/√N = ${f.gradNorm.toExponential(3)}` +
            (f.lambdaMin === null
              ? ''
              : `, λmin = ${f.lambdaMin.toFixed(6)} (squared signal overlap ${f.lambdaMinOverlap?.toFixed(4)})`) +
            '\n',
        );
        const ref = result.largeN;
        if (ref !== null) {
          ctx.stdout(
            `large-N ${ref.kind} (THEORY §3): ${ref.m === null ? '' : `m = ${ref.m.toFixed(6)}, `}e = ${ref.energy.toFixed(6)}, ` +
              `μ = ${ref.mu.toFixed(6)}${ref.lambdaMin === null ? '' : `, λmin = ${ref.lambdaMin.toFixed(6)} (THEORY §4.1)`}\n`,
          );
        }
      }
    });
  },
};
