/**
 * A fixed-grid reference for the CHSCK equations (THEORY §3): Heun runs at three steps
 * h₁ > h₂ > h₃ combined on their common nodes so that the h² and h³ terms of the error cancel.
 *
 * Why three steps: Heun with trapezoid history integrals is second order, but the fast
 * near-diagonal decay of R (rate up to μ + 2√f''(1) ≈ 10 at p = 3, 1/Δ2 = 3) makes the h³ term
 * large at affordable h (measured orders 2.0–2.2, src/dmft/fixedGrid.test.ts), so the usual
 * two-step Richardson leaves errors of a few 1e-3 in μ through the jump of m. The spread between
 * this three-step value and the two-step value from the two finest runs is returned as an
 * estimate of the reference's own error (it is dominated by the term the two-step value misses).
 *
 * Cost: the finest run dominates (O(n³), n = tmax/h₃); keep tmax/h₃ ≲ 1600 in tests.
 */
import { solveFixedGrid } from './fixedGrid.ts';
import type { DynamicsOptions } from './types.ts';

/** The extrapolated trajectory on the nodes of the coarsest grid. */
export interface ExtrapolatedTrajectory {
  readonly t: Float64Array;
  readonly m: Float64Array;
  readonly mu: Float64Array;
  readonly energy: Float64Array;
  /** |three-step − two-step| extrapolation of m, μ, e at every node: the reference's error scale. */
  readonly spread: { readonly m: Float64Array; readonly mu: Float64Array; readonly energy: Float64Array };
}

/** Weights w with Σ w = 1 and Σ w h^k = 0 for each k in `orders` (Cramer's rule for ≤ 3 unknowns). */
function richardsonWeights(hs: readonly number[], orders: readonly number[]): number[] {
  const rows = [hs.map(() => 1), ...orders.map((k) => hs.map((h) => h ** k))];
  const n = hs.length;
  const det = (a: number[][]): number =>
    n === 2
      ? a[0][0] * a[1][1] - a[0][1] * a[1][0]
      : a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) -
        a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
        a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
  const d = det(rows);
  // Column q of the system matrix replaced by the right-hand side (1, 0, 0).
  return hs.map(
    (_, q) => det(rows.map((row, r) => row.map((v, c) => (c === q ? (r === 0 ? 1 : 0) : v)))) / d,
  );
}

/**
 * Heun on the fixed grid at the three steps `hs` (decreasing, each an integer fraction of the
 * first), extrapolated to h → 0 with the h² and h³ error terms removed, on the nodes t = k·hs[0].
 * Throws if a run does not finish (`stats.status !== 'ok'`), since a partial run is no reference.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
 * const ref = extrapolatedFixedGrid({ covariance, temperature: 0, m0: 0.1, tmax: 1, grid: { kind: 'fixed', h: 0.05 } }, [0.05, 0.025, 0.0125]);
 * ref.mu[20]; // μ(1) ≈ 3.969, reference error ≈ ref.spread.mu[20] ≈ 7e-5
 */
export function extrapolatedFixedGrid(
  options: DynamicsOptions,
  hs: readonly [number, number, number],
): ExtrapolatedTrajectory {
  if (!(hs[0] > hs[1] && hs[1] > hs[2] && hs[2] > 0)) throw new RangeError('steps must decrease');
  const ratios = hs.map((h) => hs[0] / h);
  if (ratios.some((r) => Math.abs(r - Math.round(r)) > 1e-9))
    throw new RangeError('each step must be an integer fraction of the first');
  const runs = hs.map((h) => {
    const r = solveFixedGrid({ ...options, grid: { kind: 'fixed', h, scheme: 'heun' } });
    if (r.stats.status !== 'ok')
      throw new Error(`fixed grid h = ${h}: ${r.stats.status} (${r.stats.message})`);
    return r;
  });
  const w3 = richardsonWeights(hs, [2, 3]);
  const w2 = richardsonWeights([hs[1], hs[2]], [2]);
  const count = Math.round(options.tmax / hs[0]) + 1;
  const t = new Float64Array(count);
  const out = { m: new Float64Array(count), mu: new Float64Array(count), energy: new Float64Array(count) };
  const spread = { m: new Float64Array(count), mu: new Float64Array(count), energy: new Float64Array(count) };
  for (let k = 0; k < count; k++) {
    t[k] = k * hs[0];
    for (const key of ['m', 'mu', 'energy'] as const) {
      const v = runs.map((r, q) => r[key][Math.round(k * ratios[q])]);
      const e3 = w3[0] * v[0] + w3[1] * v[1] + w3[2] * v[2];
      const e2 = w2[0] * v[1] + w2[1] * v[2];
      out[key][k] = e3;
      spread[key][k] = Math.abs(e3 - e2);
    }
  }
  return { t, ...out, spread };
}

/** Value at x of the cubic through the four nodes of (t, y) around x (two-point line near the ends). */
function lagrange4(t: Float64Array, y: Float64Array, x: number): number {
  // Binary search for the first node ≥ x.
  let a = 0;
  let b = t.length - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (t[mid] < x) a = mid + 1;
    else b = mid;
  }
  if (t.length < 4) {
    const i = Math.max(1, a);
    return y[i - 1] + ((x - t[i - 1]) / (t[i] - t[i - 1])) * (y[i] - y[i - 1]);
  }
  const start = Math.min(Math.max(0, a - 2), t.length - 4);
  let sum = 0;
  for (let i = start; i < start + 4; i++) {
    let l = 1;
    for (let j = start; j < start + 4; j++) if (j !== i) l *= (x - t[j]) / (t[i] - t[j]);
    sum += l * y[i];
  }
  return sum;
}

/** Largest |trajectory − reference| of m, μ, e on the reference nodes in [from, to] (the trajectory interpolated by local cubics). */
export interface Deviation {
  readonly m: number;
  readonly mu: number;
  readonly energy: number;
  /** Largest reference spread (its own error scale) on the same nodes. */
  readonly spread: number;
}

/**
 * Compares any trajectory (e.g. the adaptive grid's, whose nodes differ) with an extrapolated
 * fixed-grid reference on the reference's nodes t ∈ [from, to].
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
 * const o = { covariance, temperature: 0, m0: 0.1, tmax: 1, grid: { kind: 'fixed', h: 0.05 } } as const;
 * const ref = extrapolatedFixedGrid(o, [0.05, 0.025, 0.0125]);
 * deviationFrom(ref, ref, 0, 1).mu; // 0
 */
export function deviationFrom(
  reference: ExtrapolatedTrajectory,
  trajectory: { t: Float64Array; m: Float64Array; mu: Float64Array; energy: Float64Array },
  from: number,
  to: number,
): Deviation {
  const d = { m: 0, mu: 0, energy: 0, spread: 0 };
  const last = trajectory.t[trajectory.t.length - 1];
  for (let k = 0; k < reference.t.length; k++) {
    const x = reference.t[k];
    if (x < from || x > to || x > last) continue;
    for (const key of ['m', 'mu', 'energy'] as const) {
      d[key] = Math.max(d[key], Math.abs(lagrange4(trajectory.t, trajectory[key], x) - reference[key][k]));
      d.spread = Math.max(d.spread, reference.spread[key][k]);
    }
  }
  return d;
}
