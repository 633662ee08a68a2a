/**
 * Post-processing of a large-N trajectory (THEORY §3, §5): escape times and growth rates.
 */
import type { Covariance } from '../model/index.ts';

/** The part of a dynamics result these helpers need. */
export interface Trajectory {
  readonly t: Float64Array;
  readonly m: Float64Array;
}

/**
 * The first time at which m(t) reaches `level`, or null if it never does. Between grid points m is
 * interpolated linearly in ln m (exact for the exponential growth that precedes the jump), or
 * linearly when a value is not positive.
 * @example
 * crossingTime({ t: Float64Array.of(0, 1, 2), m: Float64Array.of(0.01, 0.1, 1) }, 0.5); // ≈ 1.699
 */
export function crossingTime(result: Trajectory, level: number): number | null {
  const { t, m } = result;
  if (m.length === 0) return null;
  if (m[0] >= level) return t[0];
  for (let k = 1; k < m.length; k++) {
    if (m[k] >= level) {
      const a = m[k - 1];
      const b = m[k];
      const w = a > 0 && level > 0 ? Math.log(level / a) / Math.log(b / a) : (level - a) / (b - a);
      return t[k - 1] + w * (t[k] - t[k - 1]);
    }
  }
  return null;
}

/**
 * The instantaneous growth rate d ln m/dt at every output time: the derivative of the parabola
 * through three neighbouring points (second order on non-uniform grids), one-sided at the ends.
 * @example
 * const t = Float64Array.of(0, 0.5, 1.5, 2);
 * growthRate({ t, m: t.map((s) => Math.exp(0.3 * s)) }); // ≈ [0.3, 0.3, 0.3, 0.3]
 */
export function growthRate(result: Trajectory): Float64Array {
  const { t, m } = result;
  const n = t.length;
  const out = new Float64Array(n);
  if (n < 3) {
    if (n === 2) out.fill((Math.log(m[1]) - Math.log(m[0])) / (t[1] - t[0]));
    return out;
  }
  const y = m.map((v) => Math.log(v));
  // Derivative at x1 of the parabola through (x0,y0), (x1,y1), (x2,y2), evaluated at node `at`.
  const d3 = (i0: number, at: number): number => {
    const x0 = t[i0];
    const x1 = t[i0 + 1];
    const x2 = t[i0 + 2];
    const x = t[at];
    return (
      (y[i0] * (2 * x - x1 - x2)) / ((x0 - x1) * (x0 - x2)) +
      (y[i0 + 1] * (2 * x - x0 - x2)) / ((x1 - x0) * (x1 - x2)) +
      (y[i0 + 2] * (2 * x - x0 - x1)) / ((x2 - x0) * (x2 - x1))
    );
  };
  out[0] = d3(0, 0);
  for (let k = 1; k < n - 1; k++) out[k] = d3(k - 1, k);
  out[n - 1] = d3(n - 3, n - 1);
  return out;
}

/**
 * The growth rate of m predicted near a marginal plateau with multiplier μ (THEORY §3, §4.1):
 * minus the lowest Hessian eigenvalue at m = 0, i.e. θ + σ²/θ − μ with θ = f''(0) (= 1/Δ2 for the
 * 2+p model) and σ² = f''(1) when the BBP outlier exists (θ > σ), and 2σ − μ otherwise.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * plateauGrowthRate(spikedCovariance({ p: 3, delta2: 0.4, deltap: 1 }), 2 * Math.sqrt(4.5)); // 2.5 + 4.5·0.4 − 2√4.5 ≈ 0.0574
 */
export function plateauGrowthRate(covariance: Covariance, mu: number): number {
  const theta = covariance.d2f(0);
  const sigma = Math.sqrt(covariance.d2f(1));
  return theta > sigma ? theta + (sigma * sigma) / theta - mu : 2 * sigma - mu;
}
