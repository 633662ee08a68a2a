/**
 * The `dmft` task: the large-N dynamics (THEORY §3) of gradient flow (T = 0) or Langevin (T > 0)
 * from initial overlap m0, on a fixed grid or the adaptive time-doubling grid.
 *
 * Files: `params.json`; `dynamics.csv` with columns `t,m,mu,energy`; with `saveCorrelations`
 * also `C.npy`, `R.npy` (n×n, row = later time t, column = t'; on the adaptive grid R holds
 * interval averages, see `Correlations` in src/dmft/types.ts), `chi.npy` (integrated response)
 * and `times.npy` (their grid). The document: `{"final": {"t","m","mu","energy"}, "escapeTime":
 * first time m reaches `level` or null, "warning", "stats", "parameters"}`.
 *
 * An adaptive run that cannot be continued accurately (status 'partial') keeps everything up to its
 * last accurate time: the files are written, the document and params.json carry `"status":
 * "partial"` and the reason, and the CLI exits 0 after saying so on stderr. A fixed-grid
 * instability is a value of --h too large for the model, found while running: it throws a
 * UsageError naming --h (exit status 2, nothing written) that says what to change; a cancelled run throws
 * `TaskCancelledError`.
 */

import type { DynamicsCheckpoint } from '../dmft/checkpoint.ts';
import { crossingTime, type DynamicsResult, runOutcome, solveDynamicsAsync } from '../dmft/index.ts';
import { thresholdEnergy } from '../landscape/index.ts';
import { checkpointOptions } from './checkpoint.ts';
import { choiceFlag, integerFlag, numberFlag, stringFlag, switchFlag } from './flags.ts';
import { channelsFlag, type ModelRecord, modelFlags, modelRecord, tensorChannelsLabel } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { checkStiffness, levelFlag, recordCovariance, writeCsvColumns, writeNpy } from './shared.ts';
import {
  defineTask,
  TaskCancelledError,
  type TaskFigure,
  type TaskOutput,
  type TaskRunOptions,
} from './task.ts';
import { UsageError } from './usageError.ts';

/** Largest fixed grid accepted: O(n²) memory (two triangles of doubles, ~1 GB at n = 11000). */
const MAX_FIXED_STEPS = 11000;

export const dmftFlags = {
  ...modelFlags,
  channels: channelsFlag,
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
    defaultText: '1e-5',
  }),
  tmax: numberFlag('--tmax', { description: 'final time', gt: 0, default: 100 }),
  grid: choiceFlag('--grid', ['fixed', 'adaptive'] as const, {
    description: 'fixed: uniform step --h (O(n³) time); adaptive: time-doubling grid with error control',
    default: 'adaptive',
  }),
  scheme: choiceFlag('--scheme', ['euler', 'heun'] as const, {
    description:
      "fixed grid only: heun (second-order two-step map; the more accurate at equal cost, stable while h (μ + 2√f''(1)) < 1.5) or euler (the published first-order scheme, stable to 2); both end exactly on the GF end state at any h (src/dmft/README.md)",
    default: 'heun',
  }),
  h: numberFlag('--h', {
    description: 'fixed grid only: time step (jump-time error at 0.05: euler 0.5–3 %, heun 0.04–0.5 %)',
    gt: 0,
    default: 0.05,
  }),
  tol: numberFlag('--tol', {
    description:
      'adaptive grid only: local error tolerance per step (defaults at T = 0: escape time at the GF threshold within 0.2 % of the converged fixed grid (432.5 against 433.3 at p = 3, Δp = 1, 1/Δ2 = 2), μ and e within 1e-3 of the fixed grid through the jump of m at T = 0 and T = 1: src/dmft/README.md). A step that fails is retried from the last grid at half the step; a run that still cannot continue writes its results so far with status "partial"',
    gt: 0,
    lt: 1,
    default: 1e-7,
  }),
  window: integerFlag('--window', {
    description:
      'adaptive grid only: nominal window of grid points, a multiple of 4 (while the step may not double it grows to 4×, then the far history is thinned through the jump of m; memory 6 × (4·window)²/2 doubles, 4× that with the saved grids for step rejection)',
    ge: 32,
    le: 1024,
    default: 128,
  }),
  level: levelFlag,
  anneal: stringFlag('--anneal', {
    description:
      'annealing protocol C:TAU on either grid — every tensor channel is seen with Δk + C e^{−t/τ} while the data keep Δk; e is then the energy of the annealed loss (C ≥ 0, τ > 0; the published T = 1 program uses 100:70; src/dmft/README.md)',
    valueName: '<C:TAU>',
    required: false,
  }),
  saveCorrelations: switchFlag('--save-correlations', 'also write C.npy, R.npy, chi.npy and times.npy'),
} as const;

/** `channels` (with --channels) holds the whole set; p, delta2, deltap are then derived from it. */
export interface DmftParams extends ModelRecord {
  readonly temperature: number;
  readonly m0: number;
  readonly tmax: number;
  readonly grid: 'fixed' | 'adaptive';
  readonly h?: number;
  readonly scheme?: 'euler' | 'heun';
  readonly tol?: number;
  readonly window?: number;
  readonly saveCorrelations: boolean;
  readonly escapeLevel: number;
  /** Annealing protocol (either grid), THEORY §3 with a time-dependent tensor noise. */
  readonly anneal?: { readonly c: number; readonly tau: number };
}

/** `C:TAU` → { c, tau }, exit 2 naming --anneal on anything else. */
export function parseAnneal(raw: string): { c: number; tau: number } {
  const m = /^\s*([0-9.eE+-]+)\s*:\s*([0-9.eE+-]+)\s*$/.exec(raw);
  const c = m ? Number(m[1]) : Number.NaN;
  const tau = m ? Number(m[2]) : Number.NaN;
  if (!(Number.isFinite(c) && c >= 0 && Number.isFinite(tau) && tau > 0))
    throw new UsageError('--anneal', `must be C:TAU with C ≥ 0 and τ > 0 (e.g. 100:70), got '${raw}'`);
  return { c, tau };
}

export interface DmftDocument {
  readonly final: { t: number; m: number; mu: number; energy: number };
  readonly escapeTime: number | null;
  /**
   * 'ok', or 'partial': the adaptive grid could not continue accurately; everything up to the last
   * accurate time is kept (written, exit 0) and `reason` says why.
   */
  readonly status: 'ok' | 'partial';
  readonly reason?: string;
  readonly warning: string | null;
  readonly stats: Omit<DynamicsResult['stats'], 'message'>;
  readonly parameters: DmftParams;
}

/** m(t), e(t), μ(t) with the dynamics builder; at T = 0 the threshold values 2σ and e_th (THEORY §4.1). */
function dmftFigure(params: DmftParams, run: DynamicsResult): TaskFigure {
  const invDelta2 = 1 / params.delta2;
  const cov = recordCovariance(params);
  const theory = Array.from(run.t, (t, k) => ({
    invDelta2,
    t,
    m: run.m[k],
    e: run.energy[k],
    mu: run.mu[k],
  }));
  const thresholds =
    params.temperature === 0 ? [{ invDelta2, mu: 2 * Math.sqrt(cov.d2f(1)), e: thresholdEnergy(cov) }] : [];
  return {
    name: 'dynamics',
    spec: {
      kind: 'dynamics',
      data: {
        p: params.p,
        deltap: params.deltap,
        ...(params.channels === undefined
          ? {}
          : { model: `tensor channels ${tensorChannelsLabel(params.channels)}` }),
        theory,
        thresholds,
      },
    },
  };
}

export const dmftTask = defineTask<DmftParams, DmftDocument>({
  name: 'dmft',
  description: 'integrate the large-N (CHSCK) dynamics: m(t), μ(t), e(t) from overlap m0 (THEORY §3)',
  flags: dmftFlags,
  validate(raw) {
    const { values: o, given } = parseParams('dmft', dmftFlags, raw);
    const model = modelRecord(o, given);
    checkStiffness(model, o.tmax, 'dynamics');
    if (o.grid === 'fixed') {
      for (const key of ['tol', 'window'] as const)
        if (given.has(key)) throw new UsageError(`--${key}`, 'applies to --grid adaptive only');
      if (o.h > o.tmax) throw new UsageError('--h', `must not exceed --tmax (${o.tmax}), got ${o.h}`);
      if (o.tmax / o.h > MAX_FIXED_STEPS)
        throw new UsageError(
          '--h',
          `gives ${Math.round(o.tmax / o.h)} steps; the fixed grid allows at most ${MAX_FIXED_STEPS} (O(n²) memory): use a larger --h, a smaller --tmax or --grid adaptive`,
        );
    } else {
      for (const key of ['h', 'scheme'] as const)
        if (given.has(key)) throw new UsageError(`--${key}`, 'applies to --grid fixed only');
      if (o.window % 4 !== 0) throw new UsageError('--window', `must be a multiple of 4, got ${o.window}`);
    }
    // A default level at or below m0 gives escapeTime 0 (m starts above it); an explicit one is an error.
    if (given.has('level') && !(o.level > o.m0))
      throw new UsageError('--level', `must exceed --m0 (${o.m0}), got ${o.level}`);
    return {
      ...model,
      temperature: o.temperature,
      m0: o.m0,
      tmax: o.tmax,
      grid: o.grid,
      ...(o.grid === 'fixed' ? { h: o.h, scheme: o.scheme } : { tol: o.tol, window: o.window }),
      saveCorrelations: o.saveCorrelations,
      escapeLevel: o.level,
      ...(o.anneal === undefined ? {} : { anneal: parseAnneal(o.anneal) }),
    };
  },
  execute: executeDmft,
});

/** What a dmft run produced, with what the explorer draws and exports beside the files. */
export interface DmftOutput extends TaskOutput<DmftDocument> {
  /** `params.json`: version, command, every parameter (and the status of a partial run). */
  readonly provenance: ReturnType<typeof paramsDocument>;
  /** The one-time observables on the solver's grid (`dynamics.csv`). */
  readonly trajectory: {
    readonly t: Float64Array;
    readonly m: Float64Array;
    readonly mu: Float64Array;
    readonly energy: Float64Array;
  };
}

/** The dmft task's `execute` (the explorer's worker calls it directly for the trajectory). */
export async function executeDmft(params: DmftParams, options: TaskRunOptions = {}): Promise<DmftOutput> {
  const { signal, onProgress } = options;
  const grid =
    params.grid === 'fixed'
      ? ({ kind: 'fixed', h: params.h ?? 0.05, scheme: params.scheme ?? 'heun' } as const)
      : ({ kind: 'adaptive', tol: params.tol ?? 1e-7, window: params.window ?? 128 } as const);
  // Progress in log10 of time on the adaptive grid (its cost grows like log t).
  const logScale = params.grid === 'adaptive';
  const scale = (t: number) => (logScale ? Math.max(0, Math.log10(Math.max(t, 1e-6)) + 6) : t);
  const total = scale(params.tmax);
  const run = await solveDynamicsAsync({
    covariance: recordCovariance(params),
    temperature: params.temperature,
    m0: params.m0,
    tmax: params.tmax,
    grid,
    saveCorrelations: params.saveCorrelations,
    ...(params.anneal === undefined ? {} : { anneal: params.anneal }),
    shouldStop: () => signal?.aborted ?? false,
    ...checkpointOptions<DynamicsCheckpoint>(options.checkpoint),
    onProgress:
      onProgress &&
      ((t, m, mu, energy) =>
        onProgress(Math.min(1, scale(t) / total), {
          t,
          m,
          ...(mu === undefined ? {} : { μ: mu }),
          ...(energy === undefined ? {} : { e: energy }),
        })),
  });
  const outcome = runOutcome(run);
  if (outcome.status === 'stopped') throw new TaskCancelledError(`interrupted (${run.stats.message})`);
  // A fixed grid fails only when its explicit map turns unstable: the step the user chose is too
  // large for this model, a bad value of --h found while running (exit 2 naming it, nothing written).
  if (outcome.status === 'failed') {
    if (params.grid === 'fixed')
      throw new UsageError('--h', `too large for this model: ${run.stats.message}`);
    throw new Error(`dmft: ${run.stats.message}`);
  }
  const k = run.t.length - 1;
  const { message: warning, ...stats } = run.stats;
  const partial = outcome.status === 'partial';
  const document: DmftDocument = {
    final: { t: run.t[k], m: run.m[k], mu: run.mu[k], energy: run.energy[k] },
    escapeTime: crossingTime(run, params.escapeLevel),
    status: partial ? 'partial' : 'ok',
    ...(partial ? { reason: `partial result up to t = ${outcome.reached}: ${warning ?? ''}` } : {}),
    warning: partial ? null : (warning ?? null),
    stats,
    parameters: params,
  };
  const provenance = paramsDocument(
    'dmft',
    { ...params },
    partial ? { status: 'partial', reason: document.reason } : {},
  );
  return {
    document,
    provenance,
    trajectory: { t: run.t, m: run.m, mu: run.mu, energy: run.energy },
    figure: () => dmftFigure(params, run),
    write(files) {
      files.json('params.json', provenance);
      writeCsvColumns(files, 'dynamics.csv', { t: run.t, m: run.m, mu: run.mu, energy: run.energy });
      const c = run.correlations;
      if (c) {
        const n = c.times.length;
        writeNpy(files, 'times.npy', { data: c.times, shape: [n] });
        writeNpy(files, 'C.npy', { data: c.C, shape: [n, n] });
        writeNpy(files, 'R.npy', { data: c.R, shape: [n, n] });
        writeNpy(files, 'chi.npy', { data: c.chi, shape: [n, n] });
      }
    },
  };
}
