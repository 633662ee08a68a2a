/**
 * Threshold extrapolation from escape times (THEORY §5, "GF, measured"; the method
 * of the Passed & Spurious paper): the time for m to reach a level diverges as the
 * signal-to-noise ratio x = 1/Δ2 decreases to the threshold a_c,
 * `t ≈ A (x − a_c)^(−θ)`. We fit `ln t = ln A − θ ln(x − a_c)` by least squares:
 * for fixed a_c the problem is linear in (ln A, θ), so the residual is profiled
 * over a_c < min x with Brent's method, then the Gauss–Newton covariance of the full
 * three-parameter model gives the statistical error. Escape times from the large-N
 * equations are deterministic, so the residual measures how far the data are from
 * the asymptotic power law; a second, systematic error is the shift of a_c when the
 * point farthest from the threshold is dropped. The reported uncertainty combines both.
 */
import { brentMinimize } from '../numerics/minimize.ts';

export interface EscapePoint {
  /** Signal-to-noise ratio 1/Δ2. */
  readonly x: number;
  /** Escape time (e.g. first time m reaches a level), > 0. */
  readonly t: number;
}

export interface PowerLawFit {
  /** Extrapolated threshold a_c (in units of 1/Δ2). */
  readonly threshold: number;
  /** Combined uncertainty √(statistical² + systematic²). */
  readonly thresholdError: number;
  /** Gauss–Newton standard error of a_c. */
  readonly statisticalError: number;
  /** |shift of a_c| when the point farthest from threshold is dropped (0 if too few points). */
  readonly systematicError: number;
  /** Divergence exponent θ and its standard error. */
  readonly exponent: number;
  readonly exponentError: number;
  /** Prefactor A. */
  readonly amplitude: number;
  /** Root-mean-square residual of ln t. */
  readonly rmsResidual: number;
  /** Number of points used. */
  readonly points: number;
}

interface ProfileFit {
  threshold: number;
  logAmplitude: number;
  exponent: number;
  rss: number;
}

/** Linear least squares of y on u at fixed a_c: y = b − θ u. */
function profile(points: readonly EscapePoint[], threshold: number): ProfileFit {
  const n = points.length;
  let su = 0;
  let sy = 0;
  let suu = 0;
  let suy = 0;
  for (const { x, t } of points) {
    const u = Math.log(x - threshold);
    const y = Math.log(t);
    su += u;
    sy += y;
    suu += u * u;
    suy += u * y;
  }
  const slope = (n * suy - su * sy) / (n * suu - su * su);
  const intercept = (sy - slope * su) / n;
  let rss = 0;
  for (const { x, t } of points) {
    const r = Math.log(t) - (intercept + slope * Math.log(x - threshold));
    rss += r * r;
  }
  return { threshold, logAmplitude: intercept, exponent: -slope, rss };
}

function bestProfile(points: readonly EscapePoint[]): ProfileFit {
  const xs = points.map((p) => p.x);
  const xmin = Math.min(...xs);
  const span = Math.max(...xs) - xmin;
  // a_c lies below the smallest x. Search a_c = xmin − span·e^s over s, so the
  // parametrisation resolves a_c arbitrarily close to xmin.
  const at = (s: number) => profile(points, xmin - span * Math.exp(s));
  const result = brentMinimize((s) => at(s).rss, -30, Math.log(50), { tol: 1e-12 });
  return at(result.x);
}

/**
 * Fit `t = A (x − a_c)^(−θ)` to escape times and extrapolate the threshold a_c.
 * Needs at least 4 points with distinct x and t > 0.
 * @example
 * const pts = [2.2, 2.4, 2.6, 3, 3.5].map((x) => ({ x, t: 10 * (x - 2) ** -1.5 }));
 * fitEscapeTimes(pts).threshold; // ≈ 2
 */
export function fitEscapeTimes(points: readonly EscapePoint[]): PowerLawFit {
  if (points.length < 4)
    throw new RangeError(`escape-time fit needs at least 4 points, got ${points.length}`);
  for (const p of points) {
    if (!(p.t > 0) || !Number.isFinite(p.t) || !Number.isFinite(p.x)) {
      throw new RangeError(`escape-time fit needs finite x and t > 0, got x = ${p.x}, t = ${p.t}`);
    }
  }
  if (new Set(points.map((p) => p.x)).size !== points.length)
    throw new RangeError('escape-time fit needs distinct x');
  const best = bestProfile(points);
  const n = points.length;
  // Gauss–Newton covariance for parameters (ln A, θ, a_c): J_i = [1, −ln(x−a), θ/(x−a)].
  let j00 = 0;
  let j01 = 0;
  let j02 = 0;
  let j11 = 0;
  let j12 = 0;
  let j22 = 0;
  for (const { x } of points) {
    const d = x - best.threshold;
    const g1 = -Math.log(d);
    const g2 = best.exponent / d;
    j00 += 1;
    j01 += g1;
    j02 += g2;
    j11 += g1 * g1;
    j12 += g1 * g2;
    j22 += g2 * g2;
  }
  const c00 = j11 * j22 - j12 * j12;
  const c01 = j02 * j12 - j01 * j22;
  const c02 = j01 * j12 - j02 * j11;
  const det = j00 * c00 + j01 * c01 + j02 * c02;
  const sigma2 = best.rss / (n - 3);
  const varThreshold = (sigma2 * (j00 * j11 - j01 * j01)) / det;
  const varExponent = (sigma2 * (j00 * j22 - j02 * j02)) / det;
  const statisticalError = Math.sqrt(Math.max(0, varThreshold));
  let systematicError = 0;
  if (n >= 5) {
    const farthest = points.reduce((a, b) => (b.x > a.x ? b : a));
    systematicError = Math.abs(bestProfile(points.filter((p) => p !== farthest)).threshold - best.threshold);
  }
  return {
    threshold: best.threshold,
    thresholdError: Math.hypot(statisticalError, systematicError),
    statisticalError,
    systematicError,
    exponent: best.exponent,
    exponentError: Math.sqrt(Math.max(0, varExponent)),
    amplitude: Math.exp(best.logAmplitude),
    rmsResidual: Math.sqrt(best.rss / n),
    points: n,
  };
}
