/**
 * Escape times of the large-N dynamics and the threshold they extrapolate to
 * (THEORY §3, §5 "GF, measured", §6.3): from a small initial overlap m0, the time for
 * m(t) to reach a level diverges as 1/Δ2 decreases to the threshold; the power-law fit
 * of `src/phase/` (`fitEscapeTimes`) extrapolates it. Same code for gradient flow
 * (T = 0) and Langevin (T = 1).
 *
 * Why a tiny m0 and a small level: m ≡ 0 is invariant at N = ∞, and while m ≪ 1 it
 * grows linearly in m0 (the two-time functions do not feel it), so the escape time
 * depends on m0 and the level only through Λ = ln(level/m0). At finite Λ the flow
 * escapes even slightly below the threshold, because μ(t) approaches the threshold
 * value 2σ as a power of t (measured: the growth at the threshold itself is
 * ln(m/m0) ∝ t^0.4), so the extrapolated threshold lies below the m0 → 0⁺ value by an
 * amount that shrinks as Λ grows (p = 3, Δp = 1, 1/Δ2 from 2.2 to 3: a_c ≈ 1.75 at
 * Λ ≈ 8.5, 1.93 at Λ = 20, 1.965 at Λ = 40, 1.98 at Λ = 80, against the closed form 2). A
 * small level keeps the run in the linear regime, so the solver never has to resolve the
 * jump of m (where the adaptive grid is most expensive). The full preset uses Λ ≈ 85.
 */
import { crossingTime, solveDynamics } from '../dmft/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { fitEscapeTimes, type PowerLawFit } from '../phase/index.ts';

/** Solver settings of one escape-time measurement. */
export interface EscapeSettings {
  readonly m0: number;
  readonly level: number;
  readonly window: number;
  readonly tol: number;
  readonly tmax: number;
}

/** One measured escape time. */
export interface EscapeMeasurement {
  readonly invDelta2: number;
  /** First time m reaches the level; null when it does not within tmax (or the solver stopped first). */
  readonly time: number | null;
  /** Solver status and steps, recorded in the data files. */
  readonly status: string;
  readonly steps: number;
  /** Last time the solver reached. */
  readonly tEnd: number;
}

/** Escape times of one case and their power-law extrapolation. */
export interface EscapeSeries {
  readonly p: number;
  readonly deltap: number;
  readonly temperature: number;
  readonly measurements: readonly EscapeMeasurement[];
  /** Null when fewer than 4 runs escaped. */
  readonly fit: PowerLawFit | null;
  /**
   * The fit-window systematic (src/reproduce/README.md, the Langevin tension): a_c fitted on the
   * four points nearest the threshold and on the four farthest, and their difference. The power
   * law is not yet the asymptotic form over the measured range, so a_c drifts as the window moves
   * towards the threshold; null with fewer than 5 escaped runs.
   */
  readonly windows: { readonly near: number; readonly far: number; readonly drift: number } | null;
  /**
   * The solver's share of the error: the adaptive grid's escape times are biased low, by more the
   * longer the plateau (src/reproduce/README.md, "Solver accuracy"); its effect on a_c, measured once
   * and given as a fraction of a_c (`EscapeConfig.solverSystematic`), times a_c. 0 when not given.
   */
  readonly solverError: number;
}

/**
 * The error of an extrapolated threshold: the fit's (statistical ⊕ drop-the-farthest-point) ⊕ the
 * near/far fit-window drift ⊕ the solver's systematic.
 */
export function totalThresholdError(s: EscapeSeries): number | null {
  if (s.fit === null) return null;
  return Math.hypot(s.fit.thresholdError, s.windows?.drift ?? 0, s.solverError);
}

/**
 * The escape time of the large-N dynamics at one (p, Δp, 1/Δ2, T): the run stops as
 * soon as m has reached the level (checked at the solver's progress points), so its
 * cost is that of the plateau only.
 * @example
 * escapeTime({ p: 3, deltap: 1, invDelta2: 3, temperature: 0 }, { m0: 1e-4, level: 0.01, window: 64, tol: 1e-6, tmax: 1e3 }).time; // ≈ 7.13
 */
export function escapeTime(
  point: {
    readonly p: number;
    readonly deltap: number;
    readonly invDelta2: number;
    readonly temperature: number;
  },
  settings: EscapeSettings,
  onProgress?: (t: number, m: number) => void,
): EscapeMeasurement {
  const covariance = spikedCovariance({ p: point.p, delta2: 1 / point.invDelta2, deltap: point.deltap });
  let reached = false;
  const run = solveDynamics({
    covariance,
    temperature: point.temperature,
    m0: settings.m0,
    tmax: settings.tmax,
    grid: { kind: 'adaptive', window: settings.window, tol: settings.tol },
    onProgress: (t, m) => {
      if (m >= settings.level) reached = true;
      onProgress?.(t, m);
    },
    shouldStop: () => reached,
  });
  return {
    invDelta2: point.invDelta2,
    time: crossingTime(run, settings.level),
    status: run.stats.status,
    steps: run.stats.steps,
    tEnd: run.t[run.t.length - 1] ?? 0,
  };
}

/**
 * Escape times at several 1/Δ2 for one (p, Δp, T), and the extrapolated threshold
 * (`fitEscapeTimes`, THEORY §5). `onProgress(k, total)` after each run.
 * @example
 * const settings = { m0: 1e-5, level: 0.05, window: 32, tol: 1e-5, tmax: 2000 };
 * const s = escapeSeries({ p: 3, deltap: 1, invDelta2: [2.5, 2.8, 3.2, 4] }, 0, settings);
 * s.fit?.threshold; // ≈ 1.90: below the closed form 2 at this small Λ = ln(level/m0) ≈ 8.5
 */
export function escapeSeries(
  c: { readonly p: number; readonly deltap: number; readonly invDelta2: readonly number[] },
  temperature: number,
  settings: EscapeSettings,
  onProgress?: (done: number, total: number) => void,
  solverSystematic = 0,
): EscapeSeries {
  const measurements: EscapeMeasurement[] = [];
  for (const invDelta2 of c.invDelta2) {
    measurements.push(escapeTime({ p: c.p, deltap: c.deltap, invDelta2, temperature }, settings));
    onProgress?.(measurements.length, c.invDelta2.length);
  }
  return escapeSeriesOf(c, temperature, measurements, solverSystematic);
}

/**
 * The series of one case from its measurements (made here, or elsewhere in parallel) and
 * the power-law fit when at least 4 runs escaped; `solverSystematic` is the solver's relative
 * error on a_c (`EscapeConfig.solverSystematic`).
 */
export function escapeSeriesOf(
  c: { readonly p: number; readonly deltap: number },
  temperature: number,
  measurements: readonly EscapeMeasurement[],
  solverSystematic = 0,
): EscapeSeries {
  const escaped = measurements.filter((q): q is EscapeMeasurement & { time: number } => q.time !== null);
  const points = escaped.map((q) => ({ x: q.invDelta2, t: q.time })).sort((a, b) => a.x - b.x);
  const fit = points.length >= 4 ? fitEscapeTimes(points) : null;
  let windows: EscapeSeries['windows'] = null;
  if (points.length >= 5) {
    const near = fitEscapeTimes(points.slice(0, 4)).threshold;
    const far = fitEscapeTimes(points.slice(-4)).threshold;
    windows = { near, far, drift: Math.abs(near - far) };
  }
  const solverError = fit === null ? 0 : solverSystematic * Math.abs(fit.threshold);
  return { p: c.p, deltap: c.deltap, temperature, measurements, fit, windows, solverError };
}
