/**
 * The stages of `reproduce` on the sweep engine's worker threads: every escape-time
 * measurement and every stage that stands alone is one task, so all cores work; the
 * escape-time fit and the phase diagrams (which need every measurement) are assembled on
 * the main thread. Each computation is deterministic and its result is placed by position,
 * so the results are identical to the sequential `reproduceStages` whatever the thread count
 * and order of completion.
 */
import { sourceUrl } from '../sweep/entry.ts';
import { LocalPool } from '../sweep/localPool.ts';
import type { TaskJob, TaskOutcome } from '../sweep/runTask.ts';
import { VERSION } from '../version.ts';
import { escapePoints, escapeSettings, type ReproduceConfig, solverSystematicOf } from './config.ts';
import { type EscapeMeasurement, escapeSeriesOf } from './escape.ts';
import { type EscapeRuns, escapeTimeStage } from './escapeStage.ts';
import { phaseDiagramStage } from './phaseDiagramStage.ts';
import type { EscapeTaskParams, StageTaskParams } from './tasks.ts';
import type { StageResult } from './types.ts';

/** The registry module the threads load. */
// From the package root: in the compiled CLI this module lives in a chunk under dist/cli/chunks/.
export const REPRODUCE_TASKS = sourceUrl('src/reproduce/tasks.ts').href;

export interface ParallelOptions {
  /** Worker threads (default: the machine's cores). */
  readonly workers?: number;
  /** After each finished computation: how many of how many, and what. */
  readonly onProgress?: (done: number, total: number, label: string) => void;
  /** Stops the threads; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Run every stage of `config`; results in the order of `reproduceStages`. */
export async function runStagesParallel(
  config: ReproduceConfig,
  options: ParallelOptions = {},
): Promise<StageResult[]> {
  const pool = new LocalPool({ size: options.workers, registry: REPRODUCE_TASKS });
  const cases = [
    ...config.escape.gf.map((c) => ({ c, temperature: 0 })),
    ...config.escape.langevin.map((c) => ({ c, temperature: 1 })),
  ];
  const stageParams: StageTaskParams[] = [
    { id: 'dynamics', config: config.dynamics },
    { id: 'surfing', config: config.surfing },
    { id: 'complexity', config: config.complexity },
    { id: 'amp-vs-gf', config: config.ampVsGf },
    // Last, as in the sequential order (run.ts), so outputs do not depend on the thread count.
    ...(config.anneal === undefined ? [] : [{ id: 'anneal' as const, config: config.anneal }]),
    ...(config.census === undefined ? [] : [{ id: 'census' as const, config: config.census }]),
  ];
  const points = cases.map(({ c, temperature }) => escapePoints(config.escape, c, temperature));
  const total = stageParams.length + points.reduce((s, q) => s + q.length, 0);
  let done = 0;
  let stop: (reason: unknown) => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    stop = reject;
  });
  stopped.catch(() => {});
  const onAbort = () => stop(options.signal?.reason ?? new Error('cancelled'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const run = async <T>(job: TaskJob, label: string): Promise<T> => {
    const outcome: TaskOutcome = await pool.run(job);
    if (outcome.status === 'failed') throw new Error(`${label}: ${outcome.error}`);
    options.onProgress?.(++done, total, label);
    return outcome.result as T;
  };
  const job = (task: string, command: string, raw: object): TaskJob => ({
    task,
    command,
    raw: raw as Record<string, unknown>,
    version: VERSION,
  });
  try {
    // Longest first, so that two threads finish together (results are placed by position whatever the
    // submission order): the escape points on a longer solver budget (the near-threshold points, minutes
    // each), then the stages (the census, ≈ 1.5 min in the full preset, first of all), then the other
    // escape points, longer budgets (Langevin) before shorter ones.
    const escapeJobs = points.flatMap((q, i) => q.map((point, k) => ({ i, k, point })));
    const budget = (j: (typeof escapeJobs)[number]) => j.point.settings.tmax;
    const longest = Math.max(0, ...cases.map((q) => escapeSettings(config.escape, q.temperature).tmax));
    const order = [...escapeJobs].sort((a, b) => budget(b) - budget(a));
    const measurements: Promise<EscapeMeasurement>[][] = points.map((q) => new Array(q.length));
    const submitEscape = (j: (typeof escapeJobs)[number]) => {
      const { c, temperature } = cases[j.i]!;
      const { invDelta2, settings } = j.point;
      const params: EscapeTaskParams = {
        point: { p: c.p, deltap: c.deltap, invDelta2, temperature },
        settings,
      };
      const name = `${temperature === 0 ? 'GF' : 'Langevin'} p = ${c.p}, Δp = ${c.deltap}, 1/Δ2 = ${invDelta2}`;
      measurements[j.i]![j.k] = run<EscapeMeasurement>(job(`escape-${j.i}-${j.k}`, 'escape', params), name);
    };
    for (const j of order) if (budget(j) > longest) submitEscape(j);
    const stages: Promise<StageResult>[] = new Array(stageParams.length);
    const censusFirst = [...stageParams.keys()].sort(
      (a, b) => Number(stageParams[b]!.id === 'census') - Number(stageParams[a]!.id === 'census'),
    );
    for (const i of censusFirst) {
      const p = stageParams[i]!;
      stages[i] = run<StageResult>(job(`stage-${p.id}`, 'stage', p), p.id);
    }
    for (const j of order) if (budget(j) <= longest) submitEscape(j);
    const series = cases.map(({ c, temperature }, i) =>
      Promise.all(measurements[i]!).then((m) =>
        escapeSeriesOf(c, temperature, m, solverSystematicOf(config.escape, c)),
      ),
    );
    const all = Promise.all([Promise.all(series), Promise.all(stages)]);
    const [seriesDone, stageResults] = await Promise.race([all, stopped]);
    const runs: EscapeRuns = {
      gf: seriesDone.filter((s) => s.temperature === 0),
      langevin: seriesDone.filter((s) => s.temperature !== 0),
    };
    const escapeStage = escapeTimeStage(config.escape, runs);
    const phase = phaseDiagramStage(
      config.phase,
      runs,
      () => {},
      Math.log(config.escape.level / config.escape.m0),
      config.escape,
    );
    return [escapeStage, phase, ...stageResults];
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await pool.destroy();
  }
}
