/**
 * The CHSCK equations of THEORY §3 on a uniform time grid t_i = i h, on the published
 * discretisation (its right-hand side and equal-time response convention: `fixedGridKernel.ts`).
 * Its discrete stationary point is the continuum one at any h, so the closed-form gradient-flow
 * end state and the Nishimori plateau of THEORY §3 are reproduced to round-off whatever the step.
 *
 * Both schemes are explicit maps x_i → x_{i+1} of the dynamics whose large-N equations are then
 * solved exactly (the response R is the map's, the sums are plain), which is why the stationary
 * point survives the discretisation:
 * - `'euler'`: the published scheme, x_{i+1} = x_i + h F_i, so R(t_{i+1}, t_i) = 1. First order;
 *   stable while h (μ + 2√f''(1)) ≲ 2 (THEORY §3).
 * - `'heun'` (name kept for compatibility; the default): the second-order two-step map
 *   x_{i+1} = (1 + α) x_i − α x_{i−1} + h [β₁ F_i + β₀ F_{i−1}] with β₁ = (3 − α)/2,
 *   β₀ = −(1 + α)/2, α = 1/2, started by one Euler step; so R(t_{i+1}, t_i) = β₁ and the field at
 *   t_{i−1} adds β₀ to R(t_{i+1}, t_{i−1}); the thermal noise enters as h (ξ_i − α ξ_{i−1}), which
 *   keeps the scheme second order at T > 0 (measured). α = 0 (Adams–Bashforth 2) is stable only while
 *   h (μ + 2√f''(1)) ≲ 1, too little at h = 0.1 for 1/Δ2 = 4; α = 1/2 gives ≈ 1.5 for an error
 *   constant 2.2× Adams–Bashforth's. Same cost per step as Euler: one pass over the history.
 */
import { annealedGridCovariance } from './anneal.ts';
import { fixedGridCheckpoint, restoreFixedGrid } from './checkpoint.ts';
import { allocateRowRhs, driftAhead, evaluateRow, type RowRhs, rowStart } from './fixedGridKernel.ts';
import type { DynamicsOptions, DynamicsResult, DynamicsStatus } from './types.ts';

/** The two-step map's parameter α and its weights (see the header). */
const ALPHA = 0.5;
const A1 = 1 + ALPHA;
const A0 = -ALPHA;
const B1 = (3 - ALPHA) / 2;
const B0 = -(1 + ALPHA) / 2;
/** Largest h (μ + 2√f''(1)) of each scheme's real stability interval (Euler 2, two-step 1 + α). */
const STABILITY = { euler: 2, heun: 1 + ALPHA } as const;

/** Internal knobs for comparisons with the published program (tests and bench only). */
export interface PublishedVariant {
  /** Count the l = 0 term of column 0's C sum with weight 3/2, as the published program does. */
  readonly columnZeroQuirk?: boolean;
}

/**
 * The fixed-grid solver behind `solveDynamics` for `grid.kind === 'fixed'` (options not
 * validated here), as a generator that yields the current time after every step so that a
 * caller can return to the event loop; the return value is the result.
 */
export function* fixedGridSteps(
  o: DynamicsOptions,
  variant: PublishedVariant = {},
): Generator<number, DynamicsResult, void> {
  if (o.grid.kind !== 'fixed') throw new Error('fixedGridSteps needs a fixed grid');
  const h = o.grid.h;
  const scheme = o.grid.scheme ?? 'heun';
  const twoStep = scheme === 'heun';
  // Euler keeps the published trapezoid half weight on l = 0; the two-step map's sums are plain.
  const w0 = twoStep ? 1 : 0.5;
  const f = o.covariance;
  const T = o.temperature;
  const n = Math.round(o.tmax / h);
  const size = rowStart(n + 1);
  const C = new Float64Array(size);
  const R = new Float64Array(size);
  const m = new Float64Array(n + 1);
  const mu = new Float64Array(n + 1);
  const energy = new Float64Array(n + 1);
  // The annealing protocol's time-dependent covariance (anneal.ts), or f itself.
  const annealed = o.anneal ? annealedGridCovariance(f, o.anneal, h, n) : undefined;
  let cur: RowRhs = allocateRowRhs(n + 1);
  let prev: RowRhs = allocateRowRhs(n + 1);
  C[0] = 1;
  m[0] = o.m0;
  const sigma = Math.sqrt(f.d2f(1));
  let status: DynamicsStatus = 'ok';
  let message: string | undefined;
  let last = n;
  // Sawtooth detector on μ: consecutive increments alternating in sign with growing size.
  let alternations = 0;
  let prevDelta = 0;
  const progressEvery = Math.max(1, Math.floor(n / 200));
  const arrays = { C, R, m, mu, energy };
  const resumed = o.resume && restoreFixedGrid(o.resume, arrays, cur, prev);
  if (resumed) ({ alternations, prevDelta } = resumed);
  for (let i = resumed ? resumed.i : 0; i <= n; i++) {
    if (i > 0 && o.onCheckpoint && (o.checkpointDue?.() ?? true))
      o.onCheckpoint(fixedGridCheckpoint(i, h, arrays, cur, prev, alternations, prevDelta));
    evaluateRow(i, h, f, T, C, R, m, cur, w0, annealed);
    const c0 = C[rowStart(i)];
    if (variant.columnZeroQuirk)
      cur.dC[0] += h * R[rowStart(i)] * (annealed ? annealed.d2f(i, 0, c0) : f.d2f(c0));
    mu[i] = cur.mu;
    energy[i] = cur.energy;
    // Explicit maps need h (μ + 2√f''(1)) below the scheme's interval (THEORY §3); below that a
    // failure means the step is merely too coarse, so suggest halving it.
    const bound = (0.9 * STABILITY[scheme]) / (Math.abs(cur.mu) + 2 * sigma);
    const advice = `reduce --h to ${Math.min(bound, h / 2).toPrecision(2)} or less (--scheme ${scheme} needs h (μ + 2√f''(1)) < ${STABILITY[scheme]}, THEORY §3) or use --grid adaptive`;
    if (!Number.isFinite(cur.mu) || !Number.isFinite(cur.energy) || !Number.isFinite(m[i])) {
      status = 'unstable';
      message = `non-finite values at t = ${(i * h).toPrecision(4)}: ${advice}`;
      last = i - 1;
      break;
    }
    if (i > 0) {
      const delta = mu[i] - mu[i - 1];
      if (delta * prevDelta < 0 && Math.abs(delta) > Math.abs(prevDelta) && Math.abs(delta) > 1e-10)
        alternations++;
      else alternations = 0;
      prevDelta = delta;
      // Eight growing alternations are the period-2 sawtooth of an explicit scheme, not physics.
      if (alternations >= 8) {
        status = 'unstable';
        message = `numerical instability (period-2 sawtooth in μ) at t = ${(i * h).toPrecision(4)}: ${advice}`;
        last = i - 1;
        break;
      }
    }
    if (i === n) break;
    if (o.shouldStop?.()) {
      status = 'stopped';
      message = `stopped by the caller at t = ${(i * h).toPrecision(4)}`;
      last = i;
      break;
    }
    if (o.onProgress && i % progressEvery === 0) o.onProgress(i * h, m[i], mu[i], energy[i]);
    yield i * h;
    const ri = rowStart(i);
    const rn = rowStart(i + 1);
    if (!twoStep || i === 0) {
      for (let j = 0; j <= i; j++) {
        C[rn + j] = C[ri + j] + h * cur.dC[j];
        R[rn + j] = R[ri + j] + h * cur.dR[j];
      }
      R[rn + i] = 1;
      m[i + 1] = m[i] + h * cur.dm;
    } else {
      const rp = rowStart(i - 1);
      // Row i−1 has no column i: C(t_{i−1}, t_i) = C_{i,i−1} by symmetry, R(t_{i−1}, t_i) = 0 by
      // causality, and the drift at t_{i−1} against x(t_i) is computed directly.
      const ahead = driftAhead(i, h, C, R, m, prev, w0);
      for (let j = 0; j < i; j++) {
        C[rn + j] = A1 * C[ri + j] + A0 * C[rp + j] + h * (B1 * cur.dC[j] + B0 * prev.dC[j]);
        R[rn + j] = A1 * R[ri + j] + A0 * R[rp + j] + h * (B1 * cur.dR[j] + B0 * prev.dR[j]);
      }
      // The thermal noise enters as h (ξ_i − α ξ_{i−1}), so that x integrates it as Euler does
      // (the two-step weights on it were first order at T > 0); ⟨ξ_{i−1} x_i⟩ = 2T.
      C[rn + i] = A1 + A0 * C[ri + i - 1] + h * (B1 * cur.dC[i] + B0 * ahead - ALPHA * 2 * T);
      R[rn + i - 1] += B0;
      R[rn + i] = B1;
      m[i + 1] = A1 * m[i] + A0 * m[i - 1] + h * (B1 * cur.dm + B0 * prev.dm);
    }
    C[rn + i + 1] = 1;
    R[rn + i + 1] = 0;
    [cur, prev] = [prev, cur];
    // |C| ≤ 1 by Cauchy–Schwarz: a clear violation (beyond the O(h²) truncation error that
    // can lift C(t+h,t) ≈ 1 − O(h²) at T = 0 slightly above 1) is numerical, never physical.
    // (The published quirk lifts C(t, 0) to ≈ 1.03 at t = 2h: column 0 is not checked then.)
    let bad = !Number.isFinite(m[i + 1]);
    for (let j = variant.columnZeroQuirk ? 1 : 0; j <= i && !bad; j++)
      if (!(Math.abs(C[rn + j]) <= 1 + 1e-2)) bad = true;
    if (bad) {
      status = 'unstable';
      message = `|C(t,t')| > 1 at t = ${((i + 1) * h).toPrecision(4)}: ${advice}`;
      last = i;
      break;
    }
  }
  const count = last + 1;
  const t = new Float64Array(count);
  for (let i = 0; i < count; i++) t[i] = i * h;
  const result: DynamicsResult = {
    t,
    m: m.slice(0, count),
    mu: mu.slice(0, count),
    energy: energy.slice(0, count),
    stats: {
      status,
      ...(message === undefined ? {} : { message }),
      steps: last,
      storedFloats: 2 * size,
    },
  };
  return o.saveCorrelations ? { ...result, correlations: correlationsOf(C, R, h, count) } : result;
}

/**
 * Dense C, R and χ from the packed triangles. The stored R(t_i, t_l) is the response to a field
 * acting over the step [t_l, t_{l+1}], so χ(t_i, t_j) = h Σ_{j ≤ l < i} R_il (the sums of the
 * scheme), and the point value R(t_i, t_j), j < i, is the mean of the two neighbouring steps
 * (linear extrapolation at j = 0), with R(t, t) = 1.
 */
function correlationsOf(C: Float64Array, R: Float64Array, h: number, count: number) {
  const times = new Float64Array(count);
  const Cd = new Float64Array(count * count);
  const Rd = new Float64Array(count * count);
  const chi = new Float64Array(count * count);
  for (let i = 0; i < count; i++) {
    times[i] = i * h;
    const ri = rowStart(i);
    let acc = 0;
    for (let j = i; j >= 0; j--) {
      Cd[i * count + j] = C[ri + j];
      Cd[j * count + i] = C[ri + j];
      if (j < i) acc += h * R[ri + j];
      chi[i * count + j] = acc;
      Rd[i * count + j] =
        j === i ? 1 : j > 0 ? 0.5 * (R[ri + j - 1] + R[ri + j]) : i > 1 ? 1.5 * R[ri] - 0.5 * R[ri + 1] : 1;
    }
  }
  return { times, C: Cd, R: Rd, chi };
}

/**
 * The fixed-grid solver (THEORY §3) without option validation; use `solveDynamics`.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
 * const r = solveFixedGrid({ covariance, temperature: 0, m0: 0.1, tmax: 1, grid: { kind: 'fixed', h: 0.01 } });
 * r.mu[0]; // = m0 f'(m0) = 0.031
 */
export function solveFixedGrid(o: DynamicsOptions, variant: PublishedVariant = {}): DynamicsResult {
  const steps = fixedGridSteps(o, variant);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
