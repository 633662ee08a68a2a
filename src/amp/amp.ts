/**
 * Finite-N approximate message passing for the spiked matrix–tensor model, THEORY §6:
 * maximum-likelihood AMP (§6.1, estimate on the sphere) and Bayes-optimal AMP (§6.2,
 * N(0,1)-equivalent prior, estimate = posterior mean). The field of THEORY §6 is
 * `F(x̂) = −∇H(x̂)` with H the loss of THEORY §1, so it comes from `gradient`.
 *
 * Both Onsager reaction terms are `c^t f''(x̂^t·x̂^{t−1}/N) x̂^{t−1}` with
 * `f''(q) = 1/Δ2 + (p−1) q^{p−2}/Δp` (THEORY §1.1) and `c^t` the denoiser's derivative
 * (σ^t for ML, v^t for Bayes). The iteration starts with `x̂^{−1} = 0`, so the first
 * step has no reaction term (its field is then already uncorrelated with the noise).
 */
import { gradient, type Instance, modelCovariance, pointAtOverlap } from '../model/index.ts';
import { timeSlice } from '../numerics/timeSlice.ts';
import type { Rng } from '../random/index.ts';

/** Which message-passing algorithm: maximum likelihood (THEORY §6.1) or Bayes-optimal (§6.2). */
export type AmpVariant = 'ml' | 'bayes';

/** Options of `runAmp`. */
export interface AmpOptions {
  readonly variant: AmpVariant;
  /**
   * Initial overlap `x̂^0·x* / N`. ML: m0 ∈ [−1, 1], x̂^0 uniform on the sphere at that
   * overlap. Bayes: m0 ∈ [0, 1], and x̂^0 is Nishimori-consistent, `|x̂^0|²/N = m0`
   * (`x̂^0 = √m0 · y` with y on the sphere at overlap √m0), so that the state
   * evolution `m = q` holds from the first step.
   */
  readonly m0: number;
  /** Maximum number of iterations (≥ 0). */
  readonly maxIters: number;
  /** Draws the random part of the initial point. */
  readonly rng: Rng;
  /**
   * Damping D ∈ [0, 1): `x̂ ← (1−D) x̂_new + D x̂_old` and likewise for σ / v (ML
   * renormalises the damped estimate to the sphere). Fixed points are unchanged; the
   * trajectory is no longer the (undamped) state evolution. Applied from the second
   * iteration on (the first has no previous σ / v). Default 0.
   */
  readonly damping?: number;
  /** Stop when `|x̂^{t+1} − x̂^t| / √N ≤ tol`. Default 1e-10. */
  readonly tol?: number;
  /**
   * Include the Onsager reaction term (default true). `false` gives the naive
   * iteration, which does not follow the state evolution: offered to show why the
   * term is there.
   */
  readonly onsager?: boolean;
  /** Called after every iteration with t (1-based) and the overlap m^t. */
  readonly onIteration?: (t: number, m: number) => void;
}

/** Result of `runAmp`. */
export interface AmpResult {
  /** Overlaps `m[t] = x̂^t·x* / N`, t = 0 … iters. */
  readonly m: Float64Array;
  /** Self-overlaps `q[t] = |x̂^t|²/N` (1 for ML; ≈ m[t] for Bayes by Nishimori). */
  readonly q: Float64Array;
  /** The final estimate x̂. */
  readonly estimate: Float64Array;
  /** Iterations performed. */
  readonly iters: number;
  /** Whether the stopping tolerance was reached. */
  readonly converged: boolean;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * Euclidean norm without overflow: scaled by the largest |entry| first. With 1/Δ2 = 1e160
 * the field's entries are ~1e160 and the plain sum of squares is ∞ (σ^t = √N/∞ = 0 then
 * wipes the estimate).
 */
function stableNorm(a: Float64Array): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  if (!(scale > 0) || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] / scale;
    s += v * v;
  }
  return scale * Math.sqrt(s);
}

/**
 * Run ML-AMP or Bayes-AMP on one instance (THEORY §6.1, §6.2).
 * @example
 * import { sampleInstance } from '../model/index.ts';
 * import { Rng } from '../random/index.ts';
 * const inst = sampleInstance({ n: 100, p: 3, delta2: 0.3, deltap: 1, seed: 1 });
 * const run = runAmp(inst, { variant: 'ml', m0: 0.5, maxIters: 100, rng: Rng.fromSeed(2) });
 * run.m[run.iters]; // 0.89: the ML state-evolution fixed point 0.87 up to O(N^{−1/2})
 */
export function runAmp(inst: Instance, options: AmpOptions): AmpResult {
  const steps = ampIterations(inst, options);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link runAmp} that returns to the event loop (a zero-delay timer) about every `yieldEveryMs`
 * of work (checked after every iteration), so that a signal handler or a worker message can set
 * the flag read by `shouldStop`; returns null when it stopped early. Same arithmetic, same result.
 */
export async function runAmpAsync(
  inst: Instance,
  options: AmpOptions & { readonly shouldStop?: () => boolean },
  yieldEveryMs = 50,
): Promise<AmpResult | null> {
  const steps = ampIterations(inst, options);
  const slice = timeSlice(yieldEveryMs);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const turn = slice.tick();
    if (turn) {
      await turn;
      if (options.shouldStop?.()) return null;
    }
  }
}

/** The iteration as a generator that yields after every AMP step. */
function* ampIterations(inst: Instance, options: AmpOptions): Generator<void, AmpResult> {
  const { variant, m0, maxIters, rng } = options;
  const damping = options.damping ?? 0;
  const tol = options.tol ?? 1e-10;
  const onsager = options.onsager ?? true;
  if (variant !== 'ml' && variant !== 'bayes') throw new RangeError(`variant must be 'ml' or 'bayes'`);
  if (!Number.isInteger(maxIters) || maxIters < 0)
    throw new RangeError(`maxIters must be a non-negative integer, got ${maxIters}`);
  if (!(damping >= 0 && damping < 1)) throw new RangeError(`damping must lie in [0, 1), got ${damping}`);
  if (!(tol >= 0)) throw new RangeError(`tol must be ≥ 0, got ${tol}`);
  const lo = variant === 'ml' ? -1 : 0;
  if (!(m0 >= lo && m0 <= 1)) throw new RangeError(`m0 must lie in [${lo}, 1] for ${variant}-AMP, got ${m0}`);

  const { n, signal } = inst;
  // Every channel of the instance, extra tensor channels included (THEORY §1.1).
  const f = modelCovariance(inst);
  const sqrtN = Math.sqrt(n);

  let x: Float64Array;
  if (variant === 'ml') x = pointAtOverlap(signal, m0, rng);
  else {
    x = pointAtOverlap(signal, Math.sqrt(m0), rng);
    const s = Math.sqrt(m0);
    for (let i = 0; i < n; i++) x[i] *= s;
  }
  let xPrev: Float64Array = new Float64Array(n); // x̂^{−1} = 0
  let xNext: Float64Array = new Float64Array(n);
  const field = new Float64Array(n);
  let c = 0; // σ^t or v^t; multiplies x̂^{−1} = 0 at t = 0, so its initial value is irrelevant

  const ms = [dot(x, signal) / n];
  const qs = [dot(x, x) / n];
  let converged = false;
  for (let t = 0; t < maxIters; t++) {
    gradient(inst, x, field);
    const qCross = dot(x, xPrev) / n;
    const reaction = onsager ? c * f.d2f(qCross) : 0;
    // B^t = F(x̂^t) − c^t f''(x̂^t·x̂^{t−1}/N) x̂^{t−1}, with F = −∇H.
    for (let i = 0; i < n; i++) field[i] = -field[i] - reaction * xPrev[i];
    let cNew: number;
    if (variant === 'ml') {
      const norm = stableNorm(field);
      if (!(norm > 0)) throw new RangeError('ML-AMP: the field vanished (x̂ = 0?)');
      if (!Number.isFinite(norm)) throw new RangeError('ML-AMP: the field overflowed (Δ too small)');
      cNew = sqrtN / norm;
    } else {
      // A^t = (1/Δ2) q + (1/Δp) q^{p−1} = f'(q) with q = |x̂^t|²/N.
      cNew = 1 / (1 + f.df(dot(x, x) / n));
    }
    for (let i = 0; i < n; i++) xNext[i] = cNew * field[i];
    if (damping > 0 && t > 0) {
      for (let i = 0; i < n; i++) xNext[i] = (1 - damping) * xNext[i] + damping * x[i];
      cNew = (1 - damping) * cNew + damping * c;
      if (variant === 'ml') {
        const s = sqrtN / Math.sqrt(dot(xNext, xNext));
        for (let i = 0; i < n; i++) xNext[i] *= s;
      }
    }
    let diff2 = 0;
    for (let i = 0; i < n; i++) diff2 += (xNext[i] - x[i]) ** 2;
    c = cNew;
    const recycled = xPrev;
    xPrev = x;
    x = xNext;
    xNext = recycled;
    const m = dot(x, signal) / n;
    ms.push(m);
    qs.push(dot(x, x) / n);
    options.onIteration?.(t + 1, m);
    if (Math.sqrt(diff2 / n) <= tol) {
      converged = true;
      break;
    }
    yield;
  }
  return {
    m: Float64Array.from(ms),
    q: Float64Array.from(qs),
    estimate: x,
    iters: ms.length - 1,
    converged,
  };
}
