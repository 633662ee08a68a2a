/**
 * What the explorer's worker computes: every number is a task of src/tasks, the one the CLI,
 * sweeps and `reproduce` run — validated with the CLI's messages (a bad value is the task's
 * `UsageError` naming the flag), stopped through the task's AbortSignal, and returned with the
 * task's provenance (`params.json`) and the command line that reproduces it. Environment-free,
 * so it runs in a Web Worker and (for tests) in Node. The dynamics are in `dynamicsApi.ts`.
 */

import type { BayesInterval } from '../amp/index.ts';
import type { LineName } from '../phase/index.ts';
import type { PhaseDiagramData } from '../plot/phaseDiagramData.ts';
import { executeLandscape, landscapeTask } from '../tasks/landscape.ts';
import {
  deltapGrid,
  executePhaseDiagram,
  type PhaseDiagramParams,
  phaseDiagramTask,
} from '../tasks/phaseDiagram.ts';
import { executeThresholds, thresholdsTask } from '../tasks/thresholds.ts';
import { finiteN, largeN } from './dynamicsApi.ts';
import { type Provenance, taskProvenance } from './provenance.ts';
import { type ModelPoint, type Progress, runOptions } from './taskOptions.ts';

export type { ModelPoint, Progress } from './taskOptions.ts';

/**
 * Overlaps at which Σ_min(m) is evaluated: `saddlesurf landscape`'s default grid, 399 points
 * uniform on [−0.995, 0.995] (both signs: odd p has a band of spurious minima at m < 0,
 * THEORY §4.2; Σ → −∞ at |m| = 1).
 */
export const COMPLEXITY_GRID = { points: 399, mMax: 0.995 } as const;

/** Landscape at one point: Σ_min(m), the threshold states and their Hessian spectrum. */
export interface LandscapeResult {
  /** Overlap grid and Σ_min(m) on it (THEORY §4.2). */
  readonly m: Float64Array;
  readonly complexity: Float64Array;
  /** The multiplier of the dominant minima at each m. */
  readonly mu: Float64Array;
  /** The signal minimum (GF end state, Σ = 0), or null when none exists (THEORY §3 identities). */
  readonly signal: { readonly m: number; readonly mu: number; readonly energy: number } | null;
  /** Threshold states at m = 0 (THEORY §4.1–4.2). */
  readonly threshold: {
    readonly mu: number;
    readonly energy: number;
    readonly complexity: number;
  };
  /** Hessian spectrum of the threshold states (m = 0, μ = μ_th), THEORY §4.1. */
  readonly spectrum: {
    readonly mu: number;
    readonly sigma: number;
    readonly theta: number;
    readonly bulkLower: number;
    readonly bulkUpper: number;
    readonly outlier: number | null;
    readonly outlierOverlap: number | null;
  };
  /**
   * The lowest Hessian eigenvalue of the threshold states against 1/Δ2 at this p and Δp
   * (the outlier where it exists, else the bulk edge 0): where it turns negative the
   * threshold states become saddles, the GF threshold (THEORY §4.1, §5). Each value is
   * `zeroOverlap.lowestEigenvalue` of one `landscape` run, reproduced by its command.
   */
  readonly lowestVsSnr: {
    readonly invDelta2: Float64Array;
    readonly lowest: Float64Array;
    readonly commands: readonly string[];
  };
  /** The `landscape` task's provenance at this point. */
  readonly provenance: Provenance;
}

/** 1/Δ2 values of {@link LandscapeResult.lowestVsSnr}: 200 points on the phase diagram's [0.05, 4]. */
export const SNR_SWEEP = Array.from({ length: 200 }, (_, i) => 0.05 + (3.95 * i) / 199);

/** The sweep's landscape runs need no complexity grid or bulk samples: the smallest the task allows. */
const SWEEP_GRID = { points: 3, spectrumPoints: 3 } as const;

/** Sweeps already computed by this worker, by p and Δp (they do not depend on 1/Δ2), the latest kept. */
const sweepCache = new Map<string, LandscapeResult['lowestVsSnr']>();

/** How many sweeps the worker keeps (≈ 20 KB each; dragging along Δp visits many). */
const SWEEP_CACHE_SIZE = 64;

/** The lowest eigenvalue of the threshold states along {@link SNR_SWEEP}: one `landscape` task per 1/Δ2. */
async function lowestVsSnr(p: number, deltap: number, signal?: AbortSignal) {
  const key = `${p}|${deltap}`;
  const cached = sweepCache.get(key);
  if (cached !== undefined) return cached;
  const lowest = new Float64Array(SNR_SWEEP.length);
  const commands: string[] = [];
  for (const [i, a] of SNR_SWEEP.entries()) {
    const raw = { p, delta2: 1 / a, deltap, ...SWEEP_GRID };
    const out = await executeLandscape(landscapeTask.validate(raw), runOptions(undefined, signal));
    lowest[i] = out.document.zeroOverlap.lowestEigenvalue;
    commands.push(taskProvenance(out.provenance, raw).command);
  }
  const sweep = { invDelta2: Float64Array.from(SNR_SWEEP), lowest, commands };
  sweepCache.set(key, sweep);
  if (sweepCache.size > SWEEP_CACHE_SIZE) sweepCache.delete(sweepCache.keys().next().value!);
  return sweep;
}

/**
 * Σ_min(m), the threshold states and their Hessian spectrum at one model point: the
 * `landscape` task (`saddlesurf landscape --p P --delta2 Δ2 --deltap Δp`), and the lowest
 * eigenvalue along 1/Δ2 from one `landscape` run per value.
 * @example
 * const r = await landscape({ p: 3, delta2: 1 / 3, deltap: 1 });
 * r.spectrum.outlier; // 3 − 2 − 4/3 < 0: above the GF threshold the threshold states are saddles
 */
export async function landscape(
  point: ModelPoint,
  onProgress?: Progress,
  signal?: AbortSignal,
): Promise<LandscapeResult> {
  const raw = { p: point.p, delta2: point.delta2, deltap: point.deltap };
  const out = await executeLandscape(landscapeTask.validate(raw), runOptions(onProgress, signal));
  const { document: doc, threshold: s, complexity: rows } = out;
  const star = doc.signalMinimum;
  return {
    m: Float64Array.from(rows, (r) => r[0]),
    complexity: Float64Array.from(rows, (r) => r[1]),
    mu: Float64Array.from(rows, (r) => r[3]),
    signal: star === null ? null : { m: star.m, mu: star.mu, energy: star.energy },
    threshold: {
      mu: doc.zeroOverlap.muThreshold,
      energy: doc.zeroOverlap.energyThreshold,
      complexity: doc.zeroOverlap.thresholdComplexity,
    },
    spectrum: {
      mu: s.mu,
      sigma: s.sigma,
      theta: s.theta,
      bulkLower: s.bulkLower,
      bulkUpper: s.bulkUpper,
      outlier: s.outlier,
      outlierOverlap: s.outlierOverlap,
    },
    lowestVsSnr: await lowestVsSnr(point.p, point.deltap, signal),
    provenance: taskProvenance(out.provenance, raw),
  };
}

/**
 * The phase diagram's Δp grid (`saddlesurf phase-diagram --deltap-min 0.02 --deltap-max 4
 * --points 120`): log-spaced, dense where the lines bend (small Δp, THEORY §5: 1/Δ2^GF ~ √(p/Δp)).
 */
const PHASE_GRID = { deltapMin: 0.02, deltapMax: 4, points: 120 } as const;

/** The Δp values of the phase diagram (the task's grid). */
export const PHASE_DELTAPS: readonly number[] = deltapGrid({
  p: 3,
  ...PHASE_GRID,
  spacing: 'log',
} satisfies PhaseDiagramParams);

/** The phase diagram and the tidy table of its lines (for the CSV export). */
export interface PhaseResult {
  readonly data: PhaseDiagramData;
  /** One row per Δp: every line of `phase/` (null where it does not exist). */
  readonly table: { readonly deltap: number; readonly values: Record<LineName, number | null> }[];
  /** The `phase-diagram` task's provenance. */
  readonly provenance: Provenance;
}

/**
 * The phase diagram of order p (THEORY §5, §6): the `phase-diagram` task on {@link PHASE_DELTAPS},
 * its lines and Bayes regions as its `--plot` figure draws them.
 * @example
 * (await phaseDiagramData(3)).data.lines.find((l) => l.kind === 'gf')!.points[0]; // {deltap: 0.02, invDelta2: 1/Δ2^GF(0.02)}
 */
export async function phaseDiagramData(
  p: number,
  onProgress?: Progress,
  signal?: AbortSignal,
): Promise<PhaseResult> {
  const raw = { p, ...PHASE_GRID };
  const out = await executePhaseDiagram(phaseDiagramTask.validate(raw), runOptions(onProgress, signal));
  const figure = await out.figure!();
  if (figure.spec.kind !== 'phaseDiagram') throw new Error(`phase-diagram drew a ${figure.spec.kind} figure`);
  const { lines, deltap } = out.document;
  const table = deltap.map((d, i) => ({
    deltap: d,
    values: Object.fromEntries(Object.entries(lines).map(([n, v]) => [n, v[i] ?? null])) as Record<
      LineName,
      number | null
    >,
  }));
  return { data: figure.spec.data[0]!, table, provenance: taskProvenance(out.provenance, raw) };
}

/** The Bayes-optimal region at 1/Δ2 among the intervals of `bayesRegions` (THEORY §6.2). */
export function regionAt(intervals: readonly BayesInterval[], invDelta2: number): BayesInterval['region'] {
  const hit = intervals.find((r) => invDelta2 >= r.from && invDelta2 < r.to) ?? intervals.at(-1);
  if (hit === undefined) throw new Error('regionAt: no Bayes regions');
  return hit.region;
}

/** Every threshold at the selected Δp and the Bayes region of the selected point. */
export interface PointThresholds {
  readonly lines: Record<LineName, number | null>;
  readonly bayes: BayesInterval['region'];
  /** The `thresholds` task's provenance. */
  readonly provenance: Provenance;
}

/**
 * Every threshold at the selected Δp (`saddlesurf thresholds --p P --deltap Δp`, THEORY §5) and
 * the Bayes region of the selected point among the task's regions at that Δp (THEORY §6.2).
 */
export async function pointThresholds(
  point: ModelPoint,
  _onProgress?: Progress,
  signal?: AbortSignal,
): Promise<PointThresholds> {
  const raw = { p: point.p, deltap: point.deltap };
  const out = await executeThresholds(thresholdsTask.validate(raw), runOptions(undefined, signal));
  return {
    lines: out.document.invDelta2,
    bayes: regionAt(out.bayesRegions!, 1 / point.delta2),
    provenance: taskProvenance(out.provenance, raw),
  };
}

/** The worker API (each method is called through Comlink from the page; `worker.ts` adds the signal). */
export const api = {
  landscape,
  phaseDiagramData,
  pointThresholds,
  largeN,
  finiteN,
};
