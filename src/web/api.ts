/**
 * What the explorer's worker computes. Plain functions over the library barrels and the tasks
 * (src/tasks), environment-free, so they run in a Web Worker and (for tests) in Node. The
 * large-N dynamics is the `dmft` task itself: validated with the CLI's messages, run with its
 * progress and cancellation, recorded with its provenance.
 */

import { bayesPhase, bayesRegions } from '../amp/index.ts';
import type { AdaptiveGrid } from '../dmft/index.ts';
import { runDescent } from '../dynamics/index.ts';
import {
  complexityMinima,
  hessianSpectrum,
  signalMinimum,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
} from '../landscape/index.ts';
import { pointAtOverlap, sampleInstance, sphereObjective, spikedCovariance } from '../model/index.ts';
import { LINE_NAMES, type LineName, thresholdLines, thresholds } from '../phase/index.ts';
import {
  type PhaseDiagramData,
  type PhaseLine,
  type RegionRow,
  regionRowsFromIntervals,
} from '../plot/phaseDiagramData.ts';
import { Rng } from '../random/index.ts';
import { type DmftDocument, type DmftParams, dmftTask, executeDmft } from '../tasks/dmft.ts';
import type { paramsDocument } from '../tasks/provenance.ts';

/** The model at one point of the phase diagram (THEORY §1). */
export interface ModelPoint {
  readonly p: number;
  readonly delta2: number;
  readonly deltap: number;
}

/**
 * Overlaps at which Σ_min(m) is evaluated: the grid of `saddlesurf landscape` with its
 * defaults, 399 points uniform on [−0.995, 0.995] (both signs: odd p has a band of
 * spurious minima at m < 0, THEORY §4.2; Σ → −∞ at |m| = 1).
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
   * threshold states become saddles, the GF threshold (THEORY §4.1, §5).
   */
  readonly lowestVsSnr: { readonly invDelta2: Float64Array; readonly lowest: Float64Array };
}

/** 1/Δ2 values of {@link LandscapeResult.lowestVsSnr}: 200 points on the phase diagram's [0.05, 4]. */
export const SNR_SWEEP = Array.from({ length: 200 }, (_, i) => 0.05 + (3.95 * i) / 199);

/**
 * Σ_min(m), the threshold states and their Hessian spectrum at one model point.
 * @example
 * const r = landscape({ p: 3, delta2: 1 / 3, deltap: 1 });
 * r.spectrum.outlier; // 3 − 2 − 4/3 < 0: above the GF threshold the threshold states are saddles
 */
export function landscape(point: ModelPoint): LandscapeResult {
  const cov = spikedCovariance(point);
  const n = COMPLEXITY_GRID.points;
  const mMax = COMPLEXITY_GRID.mMax;
  const m = new Float64Array(n);
  const complexity = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    m[i] = -mMax + (2 * mMax * i) / (n - 1);
    const best = complexityMinima(cov, m[i]);
    complexity[i] = best.complexity;
    mu[i] = best.mu;
  }
  const star = signalMinimum(cov);
  const lowest = Float64Array.from(SNR_SWEEP, (a) => {
    const c = spikedCovariance({ p: point.p, delta2: 1 / a, deltap: point.deltap });
    return hessianSpectrum(c, 0, thresholdMultiplier(c)).lowestEigenvalue;
  });
  const muTh = thresholdMultiplier(cov);
  const s = hessianSpectrum(cov, 0, muTh);
  return {
    m,
    complexity,
    mu,
    signal: star === null ? null : { m: star.m, mu: star.mu, energy: star.energy },
    threshold: { mu: muTh, energy: thresholdEnergy(cov), complexity: thresholdComplexity(cov) },
    spectrum: {
      mu: s.mu,
      sigma: s.sigma,
      theta: s.theta,
      bulkLower: s.bulkLower,
      bulkUpper: s.bulkUpper,
      outlier: s.outlier,
      outlierOverlap: s.outlierOverlap,
    },
    lowestVsSnr: { invDelta2: Float64Array.from(SNR_SWEEP), lowest },
  };
}

/**
 * Δp grid of the phase diagram: 120 points log-spaced on [0.02, 4], dense where the
 * lines bend (small Δp, THEORY §5: 1/Δ2^GF ~ √(p/Δp) there).
 */
export const PHASE_DELTAPS: readonly number[] = Array.from(
  { length: 120 },
  (_, i) => 0.02 * 200 ** (i / 119),
);

/** How each threshold of `phase/` is drawn on the diagram (Bayes lines are the region edges instead). */
const DRAWN: Partial<Record<LineName, Pick<PhaseLine, 'kind' | 'convention'>>> = {
  gf: { kind: 'gf' },
  mlAmp: { kind: 'mlAmp' },
  mlAmpSpinodal: { kind: 'mlAmpSpinodal' },
  trivAllM: { kind: 'triv', convention: 'all' },
  trivNonNegativeM: { kind: 'triv', convention: 'nonNegative' },
  langevinConjecture: { kind: 'langevinConjecture' },
};

/** The phase diagram and the tidy table of its lines (for the CSV export). */
export interface PhaseResult {
  readonly data: PhaseDiagramData;
  /** One row per Δp: every line of `phase/` (null where it does not exist). */
  readonly table: { readonly deltap: number; readonly values: Record<LineName, number | null> }[];
}

/**
 * The phase diagram of order p (THEORY §5, §6): threshold lines from `phase/`, Bayes
 * regions from `amp/` on {@link PHASE_DELTAPS}.
 * @example
 * phaseDiagramData(3).data.lines.find((l) => l.kind === 'gf')!.points[0]; // {deltap: 0.02, invDelta2: 1/Δ2^GF(0.02)}
 */
export function phaseDiagramData(p: number): PhaseResult {
  const lines = thresholdLines(p, PHASE_DELTAPS);
  const drawn: PhaseLine[] = [];
  for (const name of LINE_NAMES) {
    const style = DRAWN[name];
    if (style === undefined) continue;
    drawn.push({
      ...style,
      points: PHASE_DELTAPS.map((deltap, i) => ({ deltap, invDelta2: lines[name][i] ?? Number.NaN })),
    });
  }
  // Bands joined across Δp by overlap (a region that splits, like p = 4's easy region around
  // Δp ≈ 0.25–0.3, keeps tiling the plane instead of leaving a white wedge).
  const regions: RegionRow[] = regionRowsFromIntervals(
    PHASE_DELTAPS.map((deltap) => ({ deltap, intervals: bayesRegions(p, deltap) })),
  );
  const table = PHASE_DELTAPS.map((deltap, i) => ({
    deltap,
    values: Object.fromEntries(LINE_NAMES.map((n) => [n, lines[n][i]])) as Record<LineName, number | null>,
  }));
  return { data: { p, lines: drawn, regions, measured: [] }, table };
}

/** Every threshold at the selected Δp and the Bayes region of the selected point (THEORY §5, §6.2). */
export function pointThresholds(point: ModelPoint): {
  readonly lines: Record<LineName, number | null>;
  readonly bayes: 'impossible' | 'hard' | 'easy';
} {
  return { lines: thresholds(point.p, point.deltap), bayes: bayesPhase(point.p, point.deltap, point.delta2) };
}

/**
 * The adaptive grid the explorer uses for the large-N dynamics (THEORY §3): a window
 * of 64 points and local tolerance 1e-6, against the solver's defaults (window 256,
 * tol 1e-7). Measured in Node, m0 = 0.05:
 * - p = 3, Δp = 1, 1/Δ2 = 3, t = 100: 3.4 s (defaults: 50 s); m(t_max) within 1.2e-5 of
 *   the defaults and of m* = 0.854882 (the GF end state of THEORY §3).
 * - p = 4, Δp = 1, 1/Δ2 = 2, t = 1000: 3.0 s; m within 5e-4 of the defaults. With tol 1e-5
 *   (1.5 s at p = 3) the error was 3e-3 here and the run failed ('unstable') at t ≈ 100.
 */
export const EXPLORER_GRID: AdaptiveGrid = { kind: 'adaptive', window: 64, tol: 1e-6 };

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
  /** What `saddlesurf dmft` writes as params.json: version, command, every parameter. */
  readonly provenance: ReturnType<typeof paramsDocument>;
}

/**
 * The `dmft` task's parameters of an explorer request: `saddlesurf dmft --p P --delta2 Δ2
 * --deltap Δp --m0 m0 --tmax T --grid adaptive --window 64 --tol 1e-6`, validated by the task
 * (a bad value is the CLI's `UsageError`, e.g. `--m0: must be a real number in [0, 1), got '1'`).
 */
export function largeNParams(request: LargeNRequest): DmftParams {
  return dmftTask.validate({
    p: request.p,
    delta2: request.delta2,
    deltap: request.deltap,
    m0: request.m0,
    tmax: request.tmax,
    grid: EXPLORER_GRID.kind,
    window: EXPLORER_GRID.window,
    tol: EXPLORER_GRID.tol,
  });
}

/**
 * Gradient flow at N = ∞ (THEORY §3, T = 0) on {@link EXPLORER_GRID}: the `dmft` task with
 * {@link largeNParams}, reporting (t, m, μ, e) as it goes; `signal` stops it (TaskCancelledError).
 * @example
 * (await largeN({ p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 100 })).m.at(-1); // ≈ 0.8549 = m*
 */
export async function largeN(
  request: LargeNRequest,
  onProgress?: (t: number, m: number, mu?: number, energy?: number) => void,
  signal?: AbortSignal,
): Promise<LargeNResult> {
  const params = largeNParams(request);
  const output = await executeDmft(params, {
    ...(signal === undefined ? {} : { signal }),
    ...(onProgress === undefined
      ? {}
      : {
          onProgress: (_: number, v?: Readonly<Record<string, number>>) =>
            v && onProgress(v.t, v.m, v.μ, v.e),
        }),
  });
  const { document, provenance, trajectory } = output;
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
    provenance,
  };
}

/** A finite-N gradient-flow run: model point, N, seed, m0 and t_max. */
export interface FiniteNRequest extends LargeNRequest {
  readonly n: number;
  readonly seed: number;
}

/** Recorded times of the finite-N run: 200 log-spaced from t_max·1e-4 (the `flow` command's default). */
export const FINITE_N_OBSERVATIONS = 200;

/**
 * Gradient flow on one sampled instance (THEORY §1–2) started at overlap m0, as
 * `saddlesurf flow --n N --seed S --m0 m0 --tmax T` does it: instance from `seed`,
 * initial condition from stream 1 of `Rng.fromSeed(seed)`, adaptive Dormand–Prince
 * with rtol 1e-6 and atol 1e-8, 200 log-spaced observations from t_max·1e-4 — except
 * that the tensor is stored in float32 (the float64 instance rounded, summed in f32x4,
 * src/model): 1.6× faster at p = 3, and m(t) within 3e-9 of the float64 run (measured at
 * N = 250, p = 3 and N = 75, p = 4, t_max = 100; same step counts), far below the
 * integrator's rtol and the O(N^{−1/2}) differences between instances.
 * @example
 * finiteN({ p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 20, n: 40, seed: 1 }).m[0]; // 0.05
 */
export function finiteN(request: FiniteNRequest, onProgress?: (t: number, tmax: number) => void): Trajectory {
  const inst = sampleInstance({
    n: request.n,
    p: request.p,
    delta2: request.delta2,
    deltap: request.deltap,
    seed: request.seed,
    precision: 'float32',
  });
  const root = Rng.fromSeed(request.seed);
  const x0 = pointAtOverlap(inst.signal, request.m0, root.stream(1));
  const run = runDescent(sphereObjective(inst), x0, {
    method: 'gf',
    tmax: request.tmax,
    dt: Number.POSITIVE_INFINITY,
    rtol: 1e-6,
    atol: 1e-8,
    schedule: { spacing: 'log', count: FINITE_N_OBSERVATIONS, tmin: request.tmax * 1e-4 },
    signal: inst.signal,
    rng: root.stream(2),
    ...(onProgress === undefined ? {} : { onProgress }),
  });
  const obs = run.observations;
  return {
    t: Float64Array.from(obs, (o) => o.t),
    m: Float64Array.from(obs, (o) => o.m),
    energy: Float64Array.from(obs, (o) => o.energy),
    mu: Float64Array.from(obs, (o) => o.mu),
  };
}

/** The worker API (each method is called through Comlink from the page). */
export const api = {
  landscape,
  phaseDiagramData,
  pointThresholds,
  largeN,
  finiteN,
};
