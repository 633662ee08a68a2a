/**
 * `saddlesurf amp`: ML-AMP or Bayes-optimal AMP (THEORY §6.1, §6.2) on one finite-N
 * instance, side by side with its state evolution from the same m0; or, with
 * `--se-only`, the state evolution alone (no instance, any N).
 *
 * Files: `DIR/params.json`; `DIR/iterations.csv` with columns `iter,m,m_state_evolution`
 * (the algorithm's overlap x̂·x* / N and the undamped state-evolution prediction; `m` is
 * empty with `--se-only`). `--json` prints
 * `{"final": {"m", "iters", "converged"} | null, "stateEvolution": {"m", "iters", "converged"}, …}`
 * where `stateEvolution.m` is the fixed point reached from m0.
 *
 * Seeds: the instance is `sampleInstance({…, seed})` (or `--instance FILE`); the
 * random part of the initial estimate uses stream 1 of `Rng.fromSeed(seed)`, as in
 * `saddlesurf flow`.
 */
import { type AmpVariant, bayesStateEvolution, mlStateEvolution, runAmp } from '../../amp/index.ts';
import { toJson } from '../../io/json.ts';
import { type Instance, sampleInstance } from '../../model/index.ts';
import { Rng } from '../../random/index.ts';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import {
  addFlags,
  choiceFlag,
  integerFlag,
  numberFlag,
  readFlags,
  stringFlag,
  switchFlag,
} from '../flags.ts';
import { resolveInstance } from '../instanceFile.ts';
import { forceFlag, jsonFlag, modelFlags, modelParams, outFlag, seedFlag } from '../options.ts';
import { paramsDocument, withOutputDir } from '../output.ts';
import { createProgress } from '../progress.ts';

/** Iterations allowed to the state evolution when it reports its fixed point. */
const SE_MAX_ITERS = 1_000_000;
/** Convergence of the state evolution (its fixed point is then polished by a root search). */
const SE_TOL = 1e-14;

const flags = {
  variant: choiceFlag('--variant', ['ml', 'bayes'] as const, {
    description: 'ml: maximum-likelihood AMP (THEORY §6.1); bayes: Bayes-optimal AMP (THEORY §6.2)',
    default: 'ml',
    defaultText: 'ml',
  }),
  n: integerFlag('--n', { description: 'dimension N', ge: 3, le: 100000, default: 200 }),
  ...modelFlags,
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
  instance: stringFlag('--instance', {
    description:
      "instance file written by 'saddlesurf sample' (replaces sampling; N, p, Δ2, Δp come from it)",
    valueName: '<file.npz>',
  }),
  out: outFlag(),
  force: forceFlag,
  json: jsonFlag,
} as const;

export const command: CommandModule = {
  name: 'amp',
  register(program, ctx) {
    const cmd = program
      .command('amp')
      .description(
        'run ML-AMP or Bayes-AMP on one instance next to its state evolution (or the state evolution alone)',
      );
    addFlags(cmd, flags).action(async () => {
      const o = readFlags(cmd, flags);
      const raw = cmd.opts() as Record<string, unknown>;
      const variant: AmpVariant = o.variant;
      // Validate everything before sampling or writing anything.
      if (variant === 'bayes' && o.m0 < 0)
        throw new UsageError('--m0', `must be in [0, 1] for --variant bayes (m0 = q ≥ 0), got ${o.m0}`);
      if (o.seOnly && o.instance !== undefined)
        throw new UsageError(
          '--instance',
          'cannot be combined with --se-only (the state evolution needs no instance)',
        );
      for (const key of ['damping', 'tol'] as const) {
        if (o.seOnly && raw[key] !== undefined)
          throw new UsageError(`--${key}`, 'applies to the finite-N algorithm, not to --se-only');
      }
      // --se-only needs no instance, only validated model parameters.
      const source = o.seOnly ? null : resolveInstance(o, raw);
      let inst: Instance | null = source?.inst ?? null;
      const params = inst ? { p: inst.p, delta2: inst.delta2, deltap: inst.deltap } : modelParams(o);
      const n = inst?.n ?? o.n;
      const parameters = {
        variant,
        n: o.seOnly ? null : n,
        ...params,
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
      // The SE map is the same whichever way the instance was obtained.
      const evolve = variant === 'ml' ? mlStateEvolution : bayesStateEvolution;
      const result = await withOutputDir(o.out, o.force, (out) => {
        out.json('params.json', paramsDocument('amp', parameters, { seed: o.seed }));
        let ampM: Float64Array | null = null;
        let final: { m: number; iters: number; converged: boolean } | null = null;
        if (!o.seOnly) {
          if (inst === null) {
            ctx.stderr(`sampling N = ${n}, p = ${params.p}\n`);
            inst = sampleInstance(source!.plan!);
          }
          const progress = createProgress(ctx, { label: `amp ${variant}`, total: o.iters, json: o.json });
          const run = runAmp(inst, {
            variant,
            m0: o.m0,
            maxIters: o.iters,
            rng: Rng.fromSeed(o.seed).stream(1),
            damping: o.damping,
            tol: o.tol,
            onIteration: (t, m) => progress.update(t, `m = ${m.toFixed(4)}`),
          });
          progress.stop();
          ampM = run.m;
          final = { m: run.m[run.iters], iters: run.iters, converged: run.converged };
        }
        const rows = ampM === null ? o.iters : ampM.length - 1;
        const trajectory = evolve(params, o.m0, rows, 0).m;
        const fixed = evolve(params, o.m0, SE_MAX_ITERS, SE_TOL);
        out.csv(
          'iterations.csv',
          ['iter', 'm', 'm_state_evolution'],
          Array.from(trajectory, (mse, t) => [t, ampM === null ? null : ampM[t], mse]),
        );
        return {
          final,
          stateEvolution: { m: fixed.fixedPoint, iters: fixed.iters, converged: fixed.converged },
          variant,
          parameters,
          seed: o.seed,
        };
      });
      // One line; Δ = ∞ printed as "inf" like in params.json.
      if (o.json) ctx.stdout(toJson({ ...result, out: o.out }, 0));
      else {
        const se = `state evolution from m0 = ${o.m0} → m = ${result.stateEvolution.m.toFixed(6)}`;
        const f = result.final;
        ctx.stdout(
          f === null
            ? `wrote ${o.out}: ${variant}, ${se}\n`
            : `wrote ${o.out}: ${variant}-AMP, N = ${n}: m = ${f.m.toFixed(6)} after ${f.iters} iterations` +
                `${f.converged ? ' (converged)' : ''}; ${se}\n`,
        );
      }
    });
  },
};
