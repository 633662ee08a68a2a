/**
 * Bounds that gradient flow (T = 0, THEORY §3) obeys exactly and that a partial adaptive-grid run
 * is cut back to.
 *
 * The energy never rises: de/dt = −|ẋ|²/N ≤ 0. While the overlap is negligible the dynamics is
 * gradient flow on the noise alone, which ages towards the threshold states from below:
 * μ(t) < μ_th = 2√f''(1) (THEORY §4.1). And the linear growth of a small m has a positive memory
 * kernel, so m started above 0 never changes sign. The rows a failing run accepted last can
 * already break all three (README "The band along the diagonal": μ up to 0.44 above μ_th before
 * the failure); they are not results.
 */
import type { Covariance } from '../model/index.ts';

/** |m| below which μ must stay under the threshold value (m's part of μ is m f'(m) ≲ 1e-6). */
export const AGING_M = 1e-3;
/** Relative slack on μ_th: the quadrature's one-off jumps at grid changes are ≲ 1e-5 in μ. */
const MU_SLACK = 1e-5;
/**
 * Slack on a rise of e, relative to max(1, |e|): a doubling or thinning shifts the quadrature of
 * e by a one-off jump (measured ≤ 1.9e-4 on the long plateau of p = 3, Δp = 1, 1/Δ2 = 1.9 before
 * its failure; README: up to ≈ 3e-4 after a thinning).
 */
const E_SLACK = 3e-4;

/**
 * Index of the first output that breaks a gradient-flow bound (e above its running minimum by
 * more than 3e-4 max(1, |e|); μ > 2√f''(1)(1 + 1e-5) while |m| < 1e-3; m ≤ 0 when m0 > 0), or
 * the length when none does.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const f = spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 }); // μ_th = 2√4 = 4
 * firstGradientFlowViolation(f, 1e-5, [1e-5, 2e-5, 3e-5], [3.9, 3.99, 4.2], [-1, -1.1, -1.2]); // 2
 */
export function firstGradientFlowViolation(
  f: Covariance,
  m0: number,
  m: ArrayLike<number>,
  mu: ArrayLike<number>,
  energy: ArrayLike<number>,
): number {
  const muMax = 2 * Math.sqrt(f.d2f(1)) * (1 + MU_SLACK);
  let eMin = Number.POSITIVE_INFINITY;
  for (let k = 0; k < m.length; k++) {
    if (m0 > 0 && !(m[k] > 0)) return k;
    if (Math.abs(m[k]) < AGING_M && mu[k] > muMax) return k;
    if (energy[k] > eMin + E_SLACK * Math.max(1, Math.abs(eMin))) return k;
    if (energy[k] < eMin) eMin = energy[k];
  }
  return m.length;
}

/**
 * Where a partial T = 0 run is cut back to (the rows a failing run accepted last can already be
 * wrong): the first `count` outputs up to the first that breaks a bound of
 * `firstGradientFlowViolation`, and the note for the run's message ('' when nothing is dropped).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const f = spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 }); // μ_th = 4
 * gradientFlowCut(f, 0, [0, 1, 2], [0, 0, 0], [3, 4.2, 4.3], [-1, -1.1, -1.2], 3).count; // 1
 */
export function gradientFlowCut(
  f: Covariance,
  m0: number,
  t: ArrayLike<number>,
  m: number[],
  mu: number[],
  energy: number[],
  count: number,
): { count: number; note: string } {
  const sane = firstGradientFlowViolation(
    f,
    m0,
    m.slice(0, count),
    mu.slice(0, count),
    energy.slice(0, count),
  );
  if (sane >= count) return { count, note: '' };
  return {
    count: sane,
    note: `; the rows from t = ${t[sane].toPrecision(4)} on broke the gradient-flow bounds (e never rises; μ ≤ 2√f''(1) while |m| < ${AGING_M}; m keeps its sign) and were dropped`,
  };
}
