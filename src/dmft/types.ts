/**
 * Options and results shared by the large-N dynamics solvers (THEORY §3).
 */
import type { Covariance } from '../model/index.ts';
import { type AnnealProtocol, validateAnnealProtocol } from './anneal.ts';
import type { DynamicsCheckpoint } from './checkpoint.ts';

/** Fixed time grid of step h: the explicit schemes of THEORY §3. */
export interface FixedGrid {
  readonly kind: 'fixed';
  /** Time step h > 0. */
  readonly h: number;
  /**
   * `'euler'`: explicit Euler in t + trapezoid history integrals (the reference scheme of the
   * literature, first order in h). `'heun'` (default): the same right-hand side used in Heun's
   * predictor–corrector, second order in h for the same O(n³) cost times two.
   */
  readonly scheme?: 'euler' | 'heun';
}

/** Adaptive time-doubling grid (THEORY §3). */
export interface AdaptiveGrid {
  readonly kind: 'adaptive';
  /** Number of grid points of the nominal window (a multiple of 4, ≥ 32). Default 128. Memory is O(maxWindow²). */
  readonly window?: number;
  /**
   * Local error tolerance per step (BDF2 predictor–corrector estimate, relative for m, absolute
   * for C, χ and μ/(1+μ)). The step only doubles when the estimated local error at twice the step
   * stays below it. Default 1e-7.
   */
  readonly tol?: number;
  /**
   * Largest number of grid points while the step may not be doubled (the window grows instead of
   * coarsening; once full, the far history is thinned through the jump of m and after a
   * rejection, elsewhere the step doubles). Default 4 × window; a multiple of window/2.
   */
  readonly maxWindow?: number;
  /**
   * Length of the initial uniform window, during which the short-time expansion is used.
   * Default min(1e-6, 1e-4 / (T + f'(1) + f''(1) + |μ(0)|)).
   */
  readonly t0?: number;
  /**
   * The solver as it was before step rejection and far-history thinning (issue 10): when the
   * window is full at maxWindow the step is doubled against the error estimate, m's error is
   * relative down to 0, t0 = 1e-6. Kept for benchmarks only.
   */
  readonly legacy?: boolean;
  /**
   * Near-diagonal band (grid points) not solved but carried along the diagonal. Default 4; at
   * T = 0 (unless `ageBand: false` or `legacy`) it is max(band, 16) wide while |m| < 0.1, with χ
   * moved by its drift and C by the τ² law (src/dmft/README.md, "The band along the diagonal").
   */
  readonly band?: number;
  /**
   * Carry the band forward in time (default true): at T > 0 aged by the drift measured on the
   * first solved lag, at T = 0 as described under `band`; false is the plain copy of the solver
   * before issue 10, for comparisons (adaptiveGridBand.ts).
   */
  readonly ageBand?: boolean;
  /**
   * At T > 0 (default true): once the state is an equilibrium (time-translation invariant, FDT up
   * to lag t/2, m and μ stationary, m = 0 stable where m has decayed) while a step cap holds,
   * continue it to tmax by time-translation invariance instead of solving further rows at the
   * capped step (src/dmft/README.md, "T > 0: cost"); `stats.equilibriumFrom` says from when.
   */
  readonly equilibrium?: boolean;
  /**
   * At T > 0 (default true): while the state ages (m ≈ 0, FDT violated at lag t/2) the step
   * doubles only up to hμ ≤ 48 and, beyond hμ = 8, only at t/h ≥ 240, the full window thinned
   * instead (src/dmft/README.md, "T > 0: thinning"): more accurate aging correlations at a cost
   * linear in t. false lets the error estimate alone decide (log-t cost; the aging correlations
   * then drift at large steps, README "T > 0: the strip at large hμ").
   */
  readonly agingStep?: boolean;
}

export type Grid = FixedGrid | AdaptiveGrid;

/** Inputs of {@link solveDynamics}. */
export interface DynamicsOptions {
  /** The covariance f of THEORY §1.1 (any polynomial with non-negative coefficients). */
  readonly covariance: Covariance;
  /** Temperature T ≥ 0 (0: gradient flow; 1 with matched noise: posterior sampling). */
  readonly temperature: number;
  /** Initial overlap m0 ∈ [0, 1) (m0 = 0: m ≡ 0, pure aging). */
  readonly m0: number;
  /** Final time > 0. */
  readonly tmax: number;
  readonly grid: Grid;
  /**
   * Annealing protocol (both grids): tensor channels seen with Δk + C e^{−t/τ} (anneal.ts,
   * adaptiveAnneal.ts; `e` is then the energy of the annealed loss at t).
   */
  readonly anneal?: AnnealProtocol;
  /** Also return the two-time functions (final window only for the adaptive grid). */
  readonly saveCorrelations?: boolean;
  /**
   * Called now and then with the current time, overlap, multiplier μ and energy (progress bars,
   * web workers). The adaptive grid always passes all four.
   */
  readonly onProgress?: (t: number, m: number, mu?: number, energy?: number) => void;
  /** Polled now and then; returning true stops the run cleanly (status 'stopped'). */
  readonly shouldStop?: () => boolean;
  /** A state given to `onCheckpoint` by a run with the same options: continue from it (checkpoint.ts). */
  readonly resume?: DynamicsCheckpoint;
  /** Polled at each step (fixed grid) or cycle boundary (adaptive); when true, `onCheckpoint` is called. */
  readonly checkpointDue?: () => boolean;
  /** The run's state (views of live arrays: encode it before returning). */
  readonly onCheckpoint?: (state: DynamicsCheckpoint) => void;
}

/**
 * Why a run ended. Everything but 'ok' comes with a `message` saying what to change. 'partial'
 * (adaptive grid): the run could not be continued accurately; the arrays hold everything up to
 * the last accurate time.
 */
export type DynamicsStatus = 'ok' | 'partial' | 'unstable' | 'not-converged' | 'stopped';

export interface DynamicsStats {
  readonly status: DynamicsStatus;
  /**
   * Human-readable reason when status ≠ 'ok', including advice; with status 'ok', a warning
   * (adaptive grid: forced doublings).
   */
  readonly message?: string;
  /** Number of time steps taken. */
  readonly steps: number;
  /** Adaptive grid: number of times the step was doubled. */
  readonly doublings?: number;
  /** Adaptive grid: number of times the window grew because the step could not be doubled. */
  readonly windowGrowths?: number;
  /** Adaptive grid: doublings made although the error estimate forbade them (window at 2× its size). */
  readonly forcedDoublings?: number;
  /** Adaptive grid: number of times the far history was thinned (window full, step kept). */
  readonly thinnings?: number;
  /** Adaptive grid: number of steps rejected and retried from a saved grid at half the step. */
  readonly rejections?: number;
  /**
   * Adaptive grid at T > 0: of the rejections, doublings rolled back because the FDT residual of
   * the near-diagonal strip jumped after them (the state left the accurate solution).
   */
  readonly stripRejections?: number;
  /**
   * Adaptive grid, after a rejection: the largest step allowed since (half the step of the failed
   * row; after the jump of m the cap expires once the time has doubled) and the time of the failure
   * that set it. While aging the cap holds to the end and the far history is thinned instead.
   */
  readonly stepCap?: number;
  readonly stepCapFrom?: number;
  /** Adaptive grid at T > 0: the time from which an equilibrium was continued (grid `equilibrium`). */
  readonly equilibriumFrom?: number;
  /** Adaptive grid: the largest local error estimate of the run. */
  readonly maxLocalError?: number;
  /** Adaptive grid: the final step. */
  readonly finalStep?: number;
  /** Adaptive grid: mean and maximum number of self-consistency sweeps per step. */
  readonly meanSweeps?: number;
  readonly maxSweeps?: number;
  /** Wall-clock-free size indicator: floats held for the two-time functions. */
  readonly storedFloats: number;
}

/** Two-time functions on a grid of `times` (row-major n×n, row = later time t, column = t'). */
export interface Correlations {
  readonly times: Float64Array;
  /** C(t_i, t_j), symmetric. */
  readonly C: Float64Array;
  /**
   * Fixed grid: R(t_i, t_j) for i ≥ j (R(t,t) = 1), zero above the diagonal. Adaptive grid: the
   * interval average (1/(t_j − t_{j−1}))∫_{t_{j−1}}^{t_j} R(t_i,s) ds (column 0 and the upper
   * triangle zero), since that grid stores the integrated response instead.
   */
  readonly R: Float64Array;
  /** Integrated response χ(t_i,t_j) = ∫_{t_j}^{t_i} R(t_i,s) ds for i ≥ j, zero above the diagonal. */
  readonly chi: Float64Array;
}

/** Output of {@link solveDynamics}: one-time observables on the (possibly non-uniform) output times. */
export interface DynamicsResult {
  readonly t: Float64Array;
  /** Overlap with the signal m(t). */
  readonly m: Float64Array;
  /** Lagrange multiplier μ(t). */
  readonly mu: Float64Array;
  /** Energy per coordinate e(t). */
  readonly energy: Float64Array;
  readonly stats: DynamicsStats;
  readonly correlations?: Correlations;
}

/** Throws a RangeError naming the option when it is out of range (THEORY §3 requirements). */
export function validateDynamicsOptions(o: DynamicsOptions): void {
  if (!(o.temperature >= 0) || !Number.isFinite(o.temperature))
    throw new RangeError(`temperature must be ≥ 0, got ${o.temperature}`);
  if (!(o.m0 >= 0 && o.m0 < 1)) throw new RangeError(`m0 must be in [0, 1), got ${o.m0}`);
  if (!(o.tmax > 0) || !Number.isFinite(o.tmax)) throw new RangeError(`tmax must be > 0, got ${o.tmax}`);
  const g = o.grid;
  if (o.anneal) validateAnnealProtocol(o.anneal);
  if (g.kind === 'fixed') {
    if (!(g.h > 0) || !Number.isFinite(g.h)) throw new RangeError(`h must be > 0, got ${g.h}`);
    if (g.h > o.tmax) throw new RangeError(`h must be ≤ tmax, got h = ${g.h}, tmax = ${o.tmax}`);
  } else {
    if (g.tol !== undefined && !(g.tol > 0)) throw new RangeError(`tol must be > 0, got ${g.tol}`);
    if (g.window !== undefined && !(Number.isInteger(g.window) && g.window >= 32 && g.window % 4 === 0))
      throw new RangeError(`window must be a multiple of 4 and ≥ 32, got ${g.window}`);
    const w = g.window ?? 128;
    if (
      g.maxWindow !== undefined &&
      !(Number.isInteger(g.maxWindow) && g.maxWindow >= w && g.maxWindow % (w / 2) === 0)
    )
      throw new RangeError(`maxWindow must be a multiple of window/2 and ≥ window, got ${g.maxWindow}`);
    if (g.t0 !== undefined && !(g.t0 > 0 && g.t0 < o.tmax))
      throw new RangeError(`t0 must be in (0, tmax), got ${g.t0}`);
  }
}
