/**
 * The CHSCK equations of THEORY §3 on a uniform time grid t_i = i h.
 *
 * Storage: C and R as lower triangles, row i (the later time t_i) holding columns 0..i
 * contiguously from offset i(i+1)/2. Every history integral of one step is evaluated in a single
 * fused pass over the rows of both triangles (each row r serves once as "row j" of a dot product
 * and once as "row k" of an axpy), so each step streams the stored history exactly once: O(n²)
 * per step, O(n³) in total, O(n²) memory.
 *
 * Schemes: `'euler'` is explicit Euler in t with trapezoid integrals (first order, the
 * literature's reference scheme); `'heun'` applies Heun's predictor–corrector to the same
 * discretised right-hand side (second order, since the trapezoid rule is). Both are explicit:
 * they become unstable roughly when h (μ + 2√f''(1)) > 2 (THEORY §3), which is detected.
 */
import type { Covariance } from '../model/index.ts';
import type { DynamicsOptions, DynamicsResult, DynamicsStatus } from './types.ts';

/** Offset of row i in a packed lower triangle. */
const rowStart = (i: number): number => (i * (i + 1)) / 2;

interface Rhs {
  mu: number;
  energy: number;
  dm: number;
  /** ∂t C(t_i, t_j) and ∂t R(t_i, t_j) for j ≤ i. */
  dC: Float64Array;
  dR: Float64Array;
}

/**
 * Right-hand side of THEORY §3 at time index i, from rows 0..i of C and R and m_0..m_i.
 * Scratch vectors (length ≥ i+1) are passed in to avoid allocation in the hot loop.
 */
function evaluate(
  i: number,
  h: number,
  f: Covariance,
  T: number,
  C: Float64Array,
  R: Float64Array,
  m: Float64Array,
  out: Rhs,
  a: Float64Array,
  b: Float64Array,
  fp: Float64Array,
  A: Float64Array,
  Rint: Float64Array,
): void {
  const ri = rowStart(i);
  // Kernels along row i: f'(C(t_i,s)), R(t_i,s) f''(C(t_i,s)), and the μ and e integrands.
  let muInt = 0;
  let eInt = 0;
  let mInt = 0;
  for (let k = 0; k <= i; k++) {
    const c = C[ri + k];
    const r = R[ri + k];
    const d1 = f.df(c);
    const d2 = f.d2f(c);
    fp[k] = d1;
    b[k] = r * d2;
    // trapezoid weights on [0, t_i]
    const w = i === 0 ? 0 : k === 0 || k === i ? 0.5 * h : h;
    a[k] = w * b[k];
    muInt += w * r * (d1 + c * d2);
    eInt += w * r * d1;
    mInt += a[k] * m[k];
  }
  const mi = m[i];
  const dfm = f.df(mi);
  const mu = T + mi * dfm + muInt;
  out.mu = mu;
  out.energy = -f.f(mi) - eInt;
  out.dm = -mu * mi + dfm + mInt;
  for (let j = 0; j <= i; j++) {
    A[j] = 0;
    Rint[j] = 0;
  }
  const dC = out.dC;
  const dR = out.dR;
  // One pass over rows r = 0..i of both triangles.
  for (let r = 0; r <= i; r++) {
    const o = rowStart(r);
    // ∫_0^{t_i} R(t_i,s) f''(C(t_i,s)) C(t_r,s) ds, part s ≤ t_r: row r dotted with a.
    let dotA = 0;
    // ∫_0^{t_r} R(t_r,s) f'(C(t_i,s)) ds with trapezoid weights on [0, t_r].
    let dotB = 0;
    const ar = a[r];
    const br = b[r];
    for (let k = 0; k < r; k++) {
      const crk = C[o + k];
      const rrk = R[o + k];
      dotA += a[k] * crk;
      dotB += rrk * fp[k];
      // part s = t_r > t_j of the same integral for every earlier column j = k: C(t_r, t_k) = C(t_j, s)
      A[k] += ar * crk;
      // ∫_{t_j}^{t_i} R(t_i,s) f''(C(t_i,s)) R(s,t_j) ds, node s = t_r, column j = k
      Rint[k] += br * rrk;
    }
    dotA += ar * C[o + r];
    A[r] += dotA;
    if (r > 0) dotB = h * (dotB - 0.5 * R[o] * fp[0] + 0.5 * R[o + r] * fp[r]);
    Rint[r] += br * R[o + r];
    // A[r] and Rint[r] still receive contributions from rows > r: finish them below.
    dC[r] = -mu * C[ri + r] + dfm * m[r] + dotB;
  }
  for (let j = 0; j <= i; j++) {
    dC[j] += A[j];
    // trapezoid on [t_j, t_i]: end nodes s = t_j (R(t_j,t_j) = 1) and s = t_i get half weight
    const integral = j === i ? 0 : h * (Rint[j] - 0.5 * b[j] - 0.5 * b[i] * R[ri + j]);
    dR[j] = -mu * R[ri + j] + integral;
  }
}

/**
 * The fixed-grid solver behind `solveDynamics` for `grid.kind === 'fixed'` (options not
 * validated here), as a generator that yields the current time after every step so that a
 * caller can return to the event loop; the return value is the result.
 */
export function* fixedGridSteps(o: DynamicsOptions): Generator<number, DynamicsResult, void> {
  if (o.grid.kind !== 'fixed') throw new Error('solveFixedGrid needs a fixed grid');
  const h = o.grid.h;
  const scheme = o.grid.scheme ?? 'heun';
  const f = o.covariance;
  const T = o.temperature;
  const n = Math.round(o.tmax / h);
  const size = rowStart(n + 1);
  const C = new Float64Array(size);
  const R = new Float64Array(size);
  const m = new Float64Array(n + 1);
  const mu = new Float64Array(n + 1);
  const energy = new Float64Array(n + 1);
  const a = new Float64Array(n + 1);
  const b = new Float64Array(n + 1);
  const fp = new Float64Array(n + 1);
  const A = new Float64Array(n + 1);
  const Rint = new Float64Array(n + 1);
  const rhs: Rhs = { mu: 0, energy: 0, dm: 0, dC: new Float64Array(n + 1), dR: new Float64Array(n + 1) };
  const rhs2: Rhs = { mu: 0, energy: 0, dm: 0, dC: new Float64Array(n + 1), dR: new Float64Array(n + 1) };
  C[0] = 1;
  R[0] = 1;
  m[0] = o.m0;
  const sigma = Math.sqrt(f.d2f(1));
  let status: DynamicsStatus = 'ok';
  let message: string | undefined;
  let last = n;
  // Sawtooth detector on μ: consecutive increments alternating in sign with growing size.
  let alternations = 0;
  let prevDelta = 0;
  const progressEvery = Math.max(1, Math.floor(n / 200));
  for (let i = 0; i <= n; i++) {
    evaluate(i, h, f, T, C, R, m, rhs, a, b, fp, A, Rint);
    mu[i] = rhs.mu;
    energy[i] = rhs.energy;
    // Explicit schemes need h (μ + 2√f''(1)) < 2 (THEORY §3); below that bound a failure means the
    // step is merely too coarse for the scheme's accuracy, so suggest halving it.
    const bound = 1.8 / (Math.abs(rhs.mu) + 2 * sigma);
    const advice = `reduce --h to ${Math.min(bound, h / 2).toPrecision(2)} or less (explicit schemes need h (μ + 2√f''(1)) < 2, THEORY §3) or use --grid adaptive`;
    if (!Number.isFinite(rhs.mu) || !Number.isFinite(rhs.energy) || !Number.isFinite(m[i])) {
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
    if (o.onProgress && i % progressEvery === 0) o.onProgress(i * h, m[i]);
    yield i * h;
    const ri = rowStart(i);
    const rn = rowStart(i + 1);
    // Euler predictor (the whole step for 'euler').
    for (let j = 0; j <= i; j++) {
      C[rn + j] = C[ri + j] + h * rhs.dC[j];
      R[rn + j] = R[ri + j] + h * rhs.dR[j];
    }
    C[rn + i + 1] = 1;
    R[rn + i + 1] = 1;
    m[i + 1] = m[i] + h * rhs.dm;
    if (scheme === 'heun') {
      evaluate(i + 1, h, f, T, C, R, m, rhs2, a, b, fp, A, Rint);
      for (let j = 0; j <= i; j++) {
        C[rn + j] = C[ri + j] + 0.5 * h * (rhs.dC[j] + rhs2.dC[j]);
        R[rn + j] = R[ri + j] + 0.5 * h * (rhs.dR[j] + rhs2.dR[j]);
      }
      m[i + 1] = m[i] + 0.5 * h * (rhs.dm + rhs2.dm);
    }
    // |C| ≤ 1 by Cauchy–Schwarz: a clear violation (beyond the O(h²) truncation error that
    // can lift C(t+h,t) ≈ 1 − O(h²) at T = 0 slightly above 1) is numerical, never physical.
    let bad = !Number.isFinite(m[i + 1]);
    for (let j = 0; j <= i && !bad; j++) if (!(Math.abs(C[rn + j]) <= 1 + 1e-2)) bad = true;
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
  if (!o.saveCorrelations) return result;
  const Cd = new Float64Array(count * count);
  const Rd = new Float64Array(count * count);
  const chi = new Float64Array(count * count);
  for (let i = 0; i < count; i++) {
    const ri = rowStart(i);
    let acc = 0;
    for (let j = i; j >= 0; j--) {
      Cd[i * count + j] = C[ri + j];
      Cd[j * count + i] = C[ri + j];
      Rd[i * count + j] = R[ri + j];
      // χ(t_i,t_j) = ∫_{t_j}^{t_i} R(t_i,s) ds by the same trapezoid rule
      if (j < i) acc += 0.5 * h * (R[ri + j] + R[ri + j + 1]);
      chi[i * count + j] = acc;
    }
  }
  return { ...result, correlations: { times: t, C: Cd, R: Rd, chi } };
}

/**
 * The fixed-grid solver (THEORY §3) without option validation; use `solveDynamics`.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
 * const r = solveFixedGrid({ covariance, temperature: 0, m0: 0.1, tmax: 1, grid: { kind: 'fixed', h: 0.01 } });
 * r.mu[0]; // = m0 f'(m0) = 0.031
 */
export function solveFixedGrid(o: DynamicsOptions): DynamicsResult {
  const steps = fixedGridSteps(o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
