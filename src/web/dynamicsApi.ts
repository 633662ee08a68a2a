/**
 * The explorer's dynamics, each a task of src/tasks: the large-N gradient flow is the `dmft`
 * task, the finite-N run is `sample --precision float32` followed by `flow --instance` on that
 * instance (the two commands the CLI would run). Validated with the CLI's messages, stopped
 * through the task's signal, returned with the tasks' provenance.
 */

import type { AdaptiveGrid } from '../dmft/index.ts';
import { thresholdEnergy, thresholdMultiplier } from '../landscape/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { type DmftDocument, type DmftParams, dmftTask, executeDmft } from '../tasks/dmft.ts';
import { DEFAULT_MEMORY_BUDGET, type TaskEnvironment } from '../tasks/environment.ts';
import { executeFlow, flowTask } from '../tasks/flow.ts';
import { executeSample, sampleTask } from '../tasks/sample.ts';
import { UsageError } from '../tasks/usageError.ts';
import { type Provenance, taskProvenance } from './provenance.ts';
import { type ModelPoint, type Progress, runOptions } from './taskOptions.ts';

/**
 * The adaptive grid the explorer uses for the large-N dynamics (THEORY §3): a window
 * of 64 points and local tolerance 1e-6, against the solver's defaults when this was
 * measured (window 256, tol 1e-7; the window's default is 128 now). Measured in Node, m0 = 0.05:
 * - p = 3, Δp = 1, 1/Δ2 = 3, t = 100: 3.4 s (defaults: 50 s); m(t_max) within 1.2e-5 of
 *   the defaults and of m* = 0.854882 (the GF end state of THEORY §3).
 * - p = 4, Δp = 1, 1/Δ2 = 2, t = 1000: 3.0 s; m within 5e-4 of the defaults. With tol 1e-5
 *   (1.5 s at p = 3) the error was 3e-3 here and the run failed ('unstable') at t ≈ 100.
 */
export const EXPLORER_GRID = { kind: 'adaptive', window: 64, tol: 1e-6 } as const satisfies AdaptiveGrid;

/** Large-N gradient-flow run of the explorer: the model point, m0 and t_max. */
export interface LargeNRequest extends ModelPoint {
  readonly m0: number;
  readonly tmax: number;
}

/** One-time observables of a run (large N or finite N), as plain arrays for the page. */
export interface Trajectory {
  readonly t: Float64Array;
  readonly m: Float64Array;
  readonly energy: Float64Array;
  readonly mu: Float64Array;
  /** The task's provenance: params.json and the command line that reproduces the run. */
  readonly provenance: Provenance;
}

export interface LargeNResult extends Trajectory {
  /** 'ok', or 'partial': the run could not continue accurately (the arrays end at the last good point). */
  readonly status: DmftDocument['status'];
  readonly message: string | null;
  readonly steps: number;
  /** Threshold values the flow approaches on its plateau: μ_th = 2σ, e_th (THEORY §3, §4.1). */
  readonly muTh: number;
  readonly eTh: number;
  /** The document `saddlesurf dmft --json` prints for the same parameters. */
  readonly document: DmftDocument;
}

/** The raw `dmft` parameters of an explorer request (what the command line gives). */
function largeNRaw(request: LargeNRequest) {
  return {
    p: request.p,
    delta2: request.delta2,
    deltap: request.deltap,
    m0: request.m0,
    tmax: request.tmax,
    grid: EXPLORER_GRID.kind,
    window: EXPLORER_GRID.window,
    tol: EXPLORER_GRID.tol,
  };
}

/**
 * The `dmft` task's parameters of an explorer request: `saddlesurf dmft --p P --delta2 Δ2
 * --deltap Δp --m0 m0 --tmax T --grid adaptive --window 64 --tol 1e-6`, validated by the task
 * (a bad value is the CLI's `UsageError`, e.g. `--m0: must be a real number in [0, 1), got '1'`).
 */
export function largeNParams(request: LargeNRequest): DmftParams {
  return dmftTask.validate(largeNRaw(request));
}

/**
 * Gradient flow at N = ∞ (THEORY §3, T = 0) on {@link EXPLORER_GRID}: the `dmft` task with
 * {@link largeNParams}, reporting (t, m, μ, e) as it goes; `signal` stops it (TaskCancelledError).
 * @example
 * (await largeN({ p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 100 })).m.at(-1); // ≈ 0.8549 = m*
 */
export async function largeN(
  request: LargeNRequest,
  onProgress?: Progress,
  signal?: AbortSignal,
): Promise<LargeNResult> {
  const raw = largeNRaw(request);
  const params = dmftTask.validate(raw);
  const { document, provenance, trajectory } = await executeDmft(params, runOptions(onProgress, signal));
  const covariance = spikedCovariance(params);
  return {
    t: trajectory.t,
    m: trajectory.m,
    energy: trajectory.energy,
    mu: trajectory.mu,
    status: document.status,
    message: document.reason ?? document.warning,
    steps: document.stats.steps,
    muTh: thresholdMultiplier(covariance),
    eTh: thresholdEnergy(covariance),
    document,
    provenance: taskProvenance(provenance, raw),
  };
}

/** A finite-N gradient-flow run: model point, N, seed, m0 and t_max. */
export interface FiniteNRequest extends LargeNRequest {
  readonly n: number;
  readonly seed: number;
}

/** Recorded times of the finite-N run: 200 log-spaced from t_max·1e-4 (the `flow` command's default). */
export const FINITE_N_OBSERVATIONS = 200;

/** The instance file's name in the command line that reproduces a finite-N run. */
const INSTANCE_NAME = 'instance.npz';

/** Share of the finite-N progress the instance draw takes (it is O(C(N, p)), like a few gradients). */
const SAMPLE_SHARE = 0.1;

/**
 * Gradient flow on one sampled instance (THEORY §1–2) started at overlap m0, as
 * `saddlesurf sample --precision float32 --seed S --out instance.npz && saddlesurf flow
 * --instance instance.npz --seed S --m0 m0 --tmax T` does it: the `sample` task draws the
 * instance from `seed` with its tensor stored in float32 (the float64 instance rounded, summed
 * in f32x4, src/model: 1.6× faster at p = 3, and m(t) within 3e-9 of the float64 run, measured at
 * N = 250, p = 3 and N = 75, p = 4, t_max = 100; same step counts — far below the integrator's
 * rtol and the O(N^{−1/2}) differences between instances), and the `flow` task runs on it:
 * initial condition from stream 1 of `Rng.fromSeed(seed)`, adaptive Dormand–Prince with rtol
 * 1e-6 and atol 1e-8, 200 log-spaced observations from t_max·1e-4.
 * @example
 * (await finiteN({ p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 20, n: 40, seed: 1 })).m[0]; // 0.05
 */
export async function finiteN(
  request: FiniteNRequest,
  onProgress?: Progress,
  signal?: AbortSignal,
): Promise<Trajectory> {
  const model = { p: request.p, delta2: request.delta2, deltap: request.deltap };
  const sampleRaw = { n: request.n, ...model, seed: request.seed, precision: 'float32' };
  const sample = await executeSample(
    sampleTask.validate(sampleRaw),
    runOptions(onProgress && ((f) => onProgress(SAMPLE_SHARE * f)), signal),
  );
  // The instance file of the command line is the one just drawn.
  const environment: TaskEnvironment = {
    readInstance(path, flag) {
      if (path !== INSTANCE_NAME) throw new UsageError(flag, `no instance named ${path} in the explorer`);
      return sample.instance;
    },
    memoryBudget: () => DEFAULT_MEMORY_BUDGET,
  };
  const flowRaw = {
    ...model,
    instance: INSTANCE_NAME,
    seed: request.seed,
    m0: request.m0,
    tmax: request.tmax,
  };
  const out = await executeFlow(
    flowTask.validate(flowRaw, environment),
    runOptions(onProgress && ((f, v) => onProgress(SAMPLE_SHARE + (1 - SAMPLE_SHARE) * f, v)), signal),
  );
  const obs = out.observations;
  const sampled = taskProvenance(sample.provenance, { ...sampleRaw, out: INSTANCE_NAME });
  const flowed = taskProvenance(out.provenance, flowRaw);
  return {
    t: Float64Array.from(obs, (o) => o.t),
    m: Float64Array.from(obs, (o) => o.m),
    energy: Float64Array.from(obs, (o) => o.energy),
    mu: Float64Array.from(obs, (o) => o.mu),
    provenance: { document: out.provenance, command: `${sampled.command} && ${flowed.command}` },
  };
}
