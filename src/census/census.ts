/**
 * A finite-N census of one instance's landscape (THEORY §2, §4): many descents from random
 * starts on the sphere and from near ±the signal, each run to a stationary point (gradient flow
 * or descent until |grad|/√N < gtol, then Riemannian Newton polishing), end points classified
 * by the Hessian index and the overlap m, and distinct points counted by overlap.
 */
import { type DescentMethod, type DescentResult, runDescent, runDescentAsync } from '../dynamics/index.ts';
import { type Instance, pointAtOverlap, randomPointOnSphere, sphereObjective } from '../model/index.ts';
import { timeSlice } from '../numerics/timeSlice.ts';
import type { Rng } from '../random/index.ts';
import { clusterByOverlap } from './cluster.ts';
import { type PolishOptions, polishStationary, type StationaryPoint } from './stationary.ts';

/** Where a descent started: uniform on the sphere, or at overlap ±m0 with the signal. */
export type StartKind = 'random' | 'signal' | 'mirror';

/**
 * What a descent ended at: the signal minimum (index 0, m within `mTolerance` of m*), the mirror
 * minimum (index 0, m within `mTolerance` of the negative-m deterministic minimum: −m* for even
 * p, THEORY §4.2's band at negative m for odd p), another (spurious) minimum, a saddle
 * (index ≥ 1), or no stationary point within the time cap (|grad|/√N ≥ gtol after polishing).
 */
export type EndClass = 'signal' | 'mirror' | 'spurious' | 'saddle' | 'unconverged';

/** Options of {@link runCensus}. */
export interface CensusOptions {
  /** Descents from uniform random starts. */
  readonly randomStarts: number;
  /** Descents from overlap +startOverlap, and as many from −startOverlap. */
  readonly signalStarts: number;
  /** |m0| of the starts near ±the signal. */
  readonly startOverlap: number;
  /** gf (adaptive Dormand–Prince) or gd (step dt). */
  readonly method: DescentMethod;
  /** gd step η, or gf's largest step (Infinity: no limit). */
  readonly dt: number;
  /** Time cap of each descent. */
  readonly tmax: number;
  /** A descent stops once |grad|/√N < gtol (checked on a log schedule of `checks` times); then Newton polishing. */
  readonly gtol: number;
  readonly checks?: number;
  readonly polish?: PolishOptions;
  /** Same point when x_a·x_b/N > 1 − epsilon. */
  readonly epsilon: number;
  /** Closed-form overlaps for the classification (null: that class is not predicted). */
  readonly signalOverlap: number | null;
  readonly mirrorOverlap: number | null;
  /** |m − m*| (or |m − m_mirror|) below this classifies a minimum as signal (mirror). */
  readonly mTolerance: number;
  /** Start points are drawn from this stream. */
  readonly rng: Rng;
  /** Polled during descents and between them; true ends the census (`stopped`). */
  readonly shouldStop?: () => boolean;
  /** After each finished descent: how many are done of how many. */
  readonly onDescent?: (done: number, total: number) => void;
}

/** One descent's end point: the polished stationary point with its start, overlap and class. */
export interface EndPoint extends StationaryPoint {
  readonly start: StartKind;
  /** Overlap of the start with the signal. */
  readonly m0: number;
  /** Time (gf) or steps × η (gd) when the descent stopped. */
  readonly t: number;
  readonly m: number;
  readonly endClass: EndClass;
  /** Cluster of converged end points (−1 for unconverged ones). */
  readonly cluster: number;
}

/** A distinct stationary point found, with how often descents ended there. */
export interface DistinctPoint {
  readonly cluster: number;
  readonly hits: number;
  readonly endClass: EndClass;
  readonly index: number;
  readonly m: number;
  readonly energy: number;
  readonly mu: number;
  readonly lambdaMin: number;
}

export interface CensusResult {
  readonly endPoints: EndPoint[];
  /** Distinct converged end points (minima and saddles), by cluster id. */
  readonly distinct: DistinctPoint[];
  readonly stopped: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Class of a polished point (THEORY §3 end state m*, §4.2 mirror band). */
export function classify(
  p: { gradNorm: number; index: number; m: number },
  o: Pick<CensusOptions, 'gtol' | 'signalOverlap' | 'mirrorOverlap' | 'mTolerance'>,
): EndClass {
  if (!(p.gradNorm < o.gtol)) return 'unconverged';
  if (p.index > 0) return 'saddle';
  if (o.signalOverlap !== null && Math.abs(p.m - o.signalOverlap) <= o.mTolerance) return 'signal';
  if (o.mirrorOverlap !== null && Math.abs(p.m - o.mirrorOverlap) <= o.mTolerance) return 'mirror';
  return 'spurious';
}

/** The start kinds in run order: random starts first, then alternately near +signal and −signal. */
function startPlan(o: CensusOptions): StartKind[] {
  const plan: StartKind[] = new Array(o.randomStarts).fill('random');
  for (let k = 0; k < o.signalStarts; k++) plan.push('signal', 'mirror');
  return plan;
}

/** The descent settings of a census (the same for the sync and async drivers). */
function descentOptions(o: CensusOptions) {
  return {
    method: o.method,
    tmax: o.tmax,
    dt: o.dt,
    schedule: { spacing: 'log', count: o.checks ?? 400, tmin: Math.min(o.tmax / 10, 0.1) },
    gradientTolerance: o.gtol,
    shouldStop: () => o.shouldStop?.() ?? false,
  } as const;
}

/** The start point of one descent, drawn from `o.rng`. */
function startPoint(inst: Instance, start: StartKind, o: CensusOptions): Float64Array {
  return start === 'random'
    ? randomPointOnSphere(inst.n, o.rng)
    : pointAtOverlap(inst.signal, start === 'signal' ? o.startOverlap : -o.startOverlap, o.rng);
}

type RawEndPoint = Omit<EndPoint, 'cluster'>;

/**
 * One descent's end point: polish with Newton (only from below 100·gtol, where one stationary
 * point's quadratic region is expected), take the Hessian index and λ_min there, classify.
 */
function endPointOf(
  inst: Instance,
  start: StartKind,
  x0: Float64Array,
  run: DescentResult,
  o: CensusOptions,
) {
  const n = inst.n;
  const last = run.observations.at(-1)!;
  const fromNewton = last.gradNorm < 100 * o.gtol;
  const point = polishStationary(inst, run.x, fromNewton ? o.polish : { ...o.polish, maxSteps: 0 });
  const m = dot(point.x, inst.signal) / n;
  return {
    start,
    m0: dot(x0, inst.signal) / n,
    t: last.t,
    m,
    energy: point.energy,
    mu: point.mu,
    gradNorm: point.gradNorm,
    index: point.index,
    lambdaMin: point.lambdaMin,
    newtonSteps: point.newtonSteps,
    endClass: classify({ ...point, m }, o),
    x: point.x,
  } satisfies RawEndPoint;
}

/**
 * The census of one instance. Each descent: start, run `method` until |grad|/√N < gtol or tmax,
 * polish and classify ({@link endPointOf}); finally cluster the converged end points by overlap.
 * @example
 * const inst = sampleInstance({ n: 40, p: 4, delta2: Infinity, deltap: 1, seed: 1 });
 * const census = await runCensus(inst, { randomStarts: 50, signalStarts: 0, ... });
 * census.distinct.filter((d) => d.index === 0).length; // distinct minima found
 */
export async function runCensus(inst: Instance, o: CensusOptions): Promise<CensusResult> {
  const objective = sphereObjective(inst);
  const plan = startPlan(o);
  const raw: RawEndPoint[] = [];
  // Each descent yields to the event loop only after ~50 ms of its own work, so a census of many
  // short descents must yield between them too, or a cancellation timer never fires.
  const slice = timeSlice();
  for (const start of plan) {
    const turn = slice.tick();
    if (turn) await turn;
    if (o.shouldStop?.()) break;
    const x0 = startPoint(inst, start, o);
    const run = await runDescentAsync(objective, x0, descentOptions(o));
    if (run.stopped) break;
    raw.push(endPointOf(inst, start, x0, run, o));
    o.onDescent?.(raw.length, plan.length);
  }
  return collect(raw, plan.length, o);
}

/**
 * {@link runCensus} without returning to the event loop (for `reproduce`'s pure stages): the same
 * descents, draws and arithmetic, so the same result.
 */
export function runCensusSync(inst: Instance, o: CensusOptions): CensusResult {
  const objective = sphereObjective(inst);
  const plan = startPlan(o);
  const raw: RawEndPoint[] = [];
  for (const start of plan) {
    if (o.shouldStop?.()) break;
    const x0 = startPoint(inst, start, o);
    const run = runDescent(objective, x0, descentOptions(o));
    if (run.stopped) break;
    raw.push(endPointOf(inst, start, x0, run, o));
    o.onDescent?.(raw.length, plan.length);
  }
  return collect(raw, plan.length, o);
}

/** Cluster the converged end points by overlap and list the distinct points. */
function collect(raw: readonly RawEndPoint[], planned: number, o: CensusOptions): CensusResult {
  const converged = raw.map((p, k) => ({ p, k })).filter(({ p }) => p.endClass !== 'unconverged');
  const { ids, representatives } = clusterByOverlap(
    converged.map(({ p }) => p.x),
    o.epsilon,
  );
  const cluster = new Array<number>(raw.length).fill(-1);
  converged.forEach(({ k }, j) => {
    cluster[k] = ids[j];
  });
  const endPoints = raw.map((p, k) => ({ ...p, cluster: cluster[k] }));
  const distinct = representatives.map((j, c) => {
    const p = converged[j].p;
    return {
      cluster: c,
      hits: ids.filter((id) => id === c).length,
      endClass: p.endClass,
      index: p.index,
      m: p.m,
      energy: p.energy,
      mu: p.mu,
      lambdaMin: p.lambdaMin,
    };
  });
  return { endPoints, distinct, stopped: raw.length < planned };
}
