/**
 * The noise variances at which the landscape quantities of THEORY §4 are computed.
 * Below Δ ≈ 1e-12 the signal minimum's overlap obeys 1 − m*² ≈ Δ·O(1) (THEORY §3
 * end-state equation with f'(m*) ≈ 1/Δ), which is not representable next to 1 in double
 * precision: `signalMinimum` then finds no root (measured: null at Δp = 1e-20, and at
 * Δ2 = 1e-9 with Δp = 1e-12), and Σ(m, μ) at Δ ≈ 1e-300 mixes terms of order 1e300 and
 * returns NaN. 1e-8 keeps 1 − m*² ≥ ~1e-8, eight digits above rounding.
 */
import type { SpikedParams } from '../model/index.ts';

/**
 * Smallest Δ2 and Δp the landscape accepts (every larger value, and ∞, works). The
 * `landscape` command's --delta2/--deltap flags should use it as their lower bound.
 */
export const LANDSCAPE_DELTA_MIN = 1e-8;

/** Throws a RangeError naming the parameter when Δ2 or Δp is below {@link LANDSCAPE_DELTA_MIN}. */
export function validateLandscapeParams(params: SpikedParams): void {
  for (const key of ['delta2', 'deltap'] as const) {
    if (!(params[key] >= LANDSCAPE_DELTA_MIN))
      throw new RangeError(
        `${key} must be ≥ ${LANDSCAPE_DELTA_MIN} for the landscape (the signal overlap 1 − m* would fall below double precision), got ${params[key]}`,
      );
  }
}
