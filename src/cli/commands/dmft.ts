/**
 * `saddlesurf dmft`: the large-N dynamics (THEORY §3) of gradient flow (T = 0) or Langevin
 * (T > 0) from initial overlap m0, on a fixed grid or the adaptive time-doubling grid.
 *
 * Files: `DIR/params.json`; `DIR/dynamics.csv` with columns `t,m,mu,energy`; with
 * `--save-correlations` also `DIR/C.npy`, `DIR/R.npy` (n×n, row = later time t, column = t';
 * on the adaptive grid R holds interval averages, see `Correlations` in src/dmft/types.ts),
 * `DIR/chi.npy` (integrated response) and `DIR/times.npy` (their grid). `--json` prints
 * `{"final": {"t","m","mu","energy"}, "escapeTime": t at which m first reaches 0.1 or null, …}`.
 *
 * An adaptive run that cannot be continued accurately (status 'partial') still writes everything
 * up to its last accurate time, with `"status": "partial"` and the reason in params.json and the
 * --json summary, says so on stderr, and exits with 0. A fixed-grid instability exits with
 * status 1, writes nothing and says what to change.
 */
import {
  crossingTime,
  type DynamicsResult,
  progressStatus,
  runOutcome,
  solveDynamicsAsync,
} from '../../dmft/index.ts';
import { toJson } from '../../io/json.ts';
import { spikedCovariance } from '../../model/index.ts';
import type { CommandModule } from '../command.ts';
import { CancelledError, UsageError } from '../errors.ts';
import { addFlags, choiceFlag, integerFlag, numberFlag, readFlags, switchFlag } from '../flags.ts';
import { forceFlag, jsonFlag, modelFlags, modelParams, outFlag } from '../options.ts';
import { paramsDocument, withOutputDir } from '../output.ts';
import { createProgress } from '../progress.ts';

/** The level of m that defines the escape time reported by --json. */
const ESCAPE_LEVEL = 0.1;
/** Largest fixed grid accepted: O(n²) memory (two triangles of doubles, ~1 GB at n = 11000). */
const MAX_FIXED_STEPS = 11000;

const flags = {
  ...modelFlags,
  temperature: numberFlag('--temperature', {
    description: 'temperature T (0: gradient flow; 1: posterior sampling at matched noise)',
    ge: 0,
    default: 0,
  }),
  m0: numberFlag('--m0', {
    description: 'initial overlap m0 (0: m stays 0, pure aging)',
    ge: 0,
    lt: 1,
    default: 1e-5,
  }),
  tmax: numberFlag('--tmax', { description: 'final time', gt: 0, default: 100 }),
  grid: choiceFlag('--grid', ['fixed', 'adaptive'] as const, {
    description: 'fixed: uniform step --h (O(n³) time); adaptive: time-doubling grid with error control',
    default: 'adaptive',
    defaultText: 'adaptive',
  }),
  scheme: choiceFlag('--scheme', ['euler', 'heun'] as const, {
    description:
      "fixed grid only: heun (second-order two-step map; the more accurate at equal cost, stable while h (μ + 2√f''(1)) < 1.5) or euler (the published first-order scheme, stable to 2); both end exactly on the GF end state at any h (src/dmft/README.md)",
    default: 'heun',
    defaultText: 'heun',
  }),
  h: numberFlag('--h', {
    description: 'fixed grid only: time step (jump-time error at 0.05: euler 0.5–3 %, heun 0.04–0.5 %)',
    gt: 0,
    default: 0.05,
  }),
  tol: numberFlag('--tol', {
    description:
      'adaptive grid only: local error tolerance per step (defaults: ~2e-3 in μ through the jump of m, escape times ~3 % low at the GF threshold; --tol 1e-8 --window 256 keeps m, μ, e within 1e-3 of the extrapolated fixed grid, ~6× the cost: src/dmft/README.md). A step that fails is retried from the last grid at half the step; a run that still cannot continue writes its results so far with status "partial"',
    gt: 0,
    lt: 1,
    default: 1e-7,
  }),
  window: integerFlag('--window', {
    description:
      'adaptive grid only: nominal window of grid points, a multiple of 4 (while the step may not double it grows to 4×; memory 6 × (4·window)²/2 doubles, 4× that with the saved grids for step rejection)',
    ge: 32,
    le: 1024,
    default: 128,
  }),
  saveCorrelations: switchFlag('--save-correlations', 'also write C.npy, R.npy, chi.npy and times.npy'),
  out: outFlag(),
  force: forceFlag,
  json: jsonFlag,
} as const;

export const command: CommandModule = {
  name: 'dmft',
  register(program, ctx) {
    const cmd = program
      .command('dmft')
      .description('integrate the large-N (CHSCK) dynamics: m(t), μ(t), e(t) from overlap m0 (THEORY §3)');
    addFlags(cmd, flags).action(async () => {
      const o = readFlags(cmd, flags);
      const raw = cmd.opts() as Record<string, unknown>;
      const params = modelParams(o);
      // Validate everything before writing anything.
      if (o.grid === 'fixed') {
        for (const key of ['tol', 'window'] as const)
          if (raw[key] !== undefined) throw new UsageError(`--${key}`, 'applies to --grid adaptive only');
        if (o.h > o.tmax) throw new UsageError('--h', `must not exceed --tmax (${o.tmax}), got ${o.h}`);
        if (o.tmax / o.h > MAX_FIXED_STEPS)
          throw new UsageError(
            '--h',
            `gives ${Math.round(o.tmax / o.h)} steps; the fixed grid allows at most ${MAX_FIXED_STEPS} (O(n²) memory): use a larger --h, a smaller --tmax or --grid adaptive`,
          );
      } else {
        for (const key of ['h', 'scheme'] as const)
          if (raw[key] !== undefined) throw new UsageError(`--${key}`, 'applies to --grid fixed only');
        if (o.window % 4 !== 0) throw new UsageError('--window', `must be a multiple of 4, got ${o.window}`);
      }
      const covariance = spikedCovariance(params);
      const grid =
        o.grid === 'fixed'
          ? ({ kind: 'fixed', h: o.h, scheme: o.scheme } as const)
          : ({ kind: 'adaptive', tol: o.tol, window: o.window } as const);
      const parameters = {
        ...params,
        temperature: o.temperature,
        m0: o.m0,
        tmax: o.tmax,
        grid: o.grid,
        ...(o.grid === 'fixed' ? { h: o.h, scheme: o.scheme } : { tol: o.tol, window: o.window }),
        saveCorrelations: o.saveCorrelations,
        escapeLevel: ESCAPE_LEVEL,
      };
      const result = await withOutputDir(o.out, o.force, async (out) => {
        out.json('params.json', paramsDocument('dmft', parameters));
        // Progress in log10 of time for the adaptive grid (its cost grows like log t).
        const logScale = o.grid === 'adaptive';
        const progress = createProgress(ctx, {
          label: `dmft ${o.grid}`,
          total: logScale ? Math.log10(o.tmax) + 6 : o.tmax,
          json: o.json,
        });
        // Ctrl-C stops the run at the next step (the async solver returns to the event loop
        // regularly so the handler can fire); nothing is written (exit status 130).
        let interrupted = false;
        const onSigint = (): void => {
          interrupted = true;
        };
        process.on('SIGINT', onSigint);
        let run: DynamicsResult;
        try {
          run = await solveDynamicsAsync({
            covariance,
            temperature: o.temperature,
            m0: o.m0,
            tmax: o.tmax,
            grid,
            saveCorrelations: o.saveCorrelations,
            shouldStop: () => interrupted,
            onProgress: (t, m, mu, energy) =>
              progress.update(
                logScale ? Math.max(0, Math.log10(Math.max(t, 1e-6)) + 6) : t,
                progressStatus(t, m, mu, energy),
              ),
          });
        } finally {
          process.off('SIGINT', onSigint);
        }
        const outcome = runOutcome(run);
        progress.stop(outcome.status === 'ok' ? 'done' : 'aborted');
        if (run.stats.status === 'stopped')
          throw new CancelledError(`interrupted (${run.stats.message}); no output written`);
        if (outcome.status === 'failed') throw new Error(`dmft: ${run.stats.message}`);
        if (outcome.status === 'partial') {
          ctx.stderr(`dmft: partial result up to t = ${outcome.reached}: ${run.stats.message}\n`);
          out.json(
            'params.json',
            paramsDocument('dmft', parameters, { status: 'partial', reason: run.stats.message }),
          );
        } else if (run.stats.message !== undefined) ctx.stderr(`warning: ${run.stats.message}\n`);
        out.csvColumns('dynamics.csv', { t: run.t, m: run.m, mu: run.mu, energy: run.energy });
        const c = run.correlations;
        if (c) {
          const n = c.times.length;
          out.npy('times.npy', { data: c.times, shape: [n] });
          out.npy('C.npy', { data: c.C, shape: [n, n] });
          out.npy('R.npy', { data: c.R, shape: [n, n] });
          out.npy('chi.npy', { data: c.chi, shape: [n, n] });
        }
        const k = run.t.length - 1;
        const { message: warning, ...stats } = run.stats;
        return {
          final: { t: run.t[k], m: run.m[k], mu: run.mu[k], energy: run.energy[k] },
          escapeTime: crossingTime(run, ESCAPE_LEVEL),
          status: outcome.status,
          ...(outcome.status === 'partial' ? { reason: warning } : {}),
          warning: outcome.status === 'partial' ? null : (warning ?? null),
          stats,
          parameters,
        };
      });
      if (o.json) ctx.stdout(toJson({ ...result, out: o.out }, 0));
      else {
        const f = result.final;
        ctx.stdout(
          `${result.status === 'partial' ? 'PARTIAL (see above): ' : ''}t = ${f.t}: m = ${f.m.toFixed(6)}, μ = ${f.mu.toFixed(6)}, e = ${f.energy.toFixed(6)}; ` +
            `m reaches ${ESCAPE_LEVEL} at t = ${result.escapeTime === null ? 'never' : result.escapeTime.toPrecision(6)}\n` +
            `wrote ${o.out}\n`,
        );
      }
    });
  },
};
