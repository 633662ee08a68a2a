/**
 * The threshold lines of the phase diagram (THEORY §5), each as a value of 1/Δ2 at
 * given (p, Δp): x-axis Δp, y-axis 1/Δ2, as in both papers.
 *
 * - `gf`: BBP instability of the threshold minima at m = 0 (closed form, THEORY §5).
 * - `mlAmp`: instability of m = 0 for ML-AMP (closed form, THEORY §6.1).
 * - `mlAmpSpinodal`: appearance of ML-AMP's informative fixed point (from `amp/`).
 * - `trivAllM`, `trivNonNegativeM`: trivialisation, the largest 1/Δ2 at which spurious
 *   minima have positive complexity, counting all overlaps or only m ≥ 0 (THEORY §4.2).
 * - `bayesIT`, `bayesAMP`, `bayesSpinodal`: Bayes-optimal thresholds (THEORY §6.2, from `amp/`).
 * - `langevinConjecture`: the candidate closed form of THEORY §6.3 for Langevin at T = 1.
 *   A CONJECTURE, not a result: label it as such wherever it is shown.
 */

import { type OverlapConvention, spuriousMinima } from '../landscape/index.ts';
import { type Covariance, spikedCovariance } from '../model/index.ts';
import { allRoots, brentRoot } from '../numerics/index.ts';

/**
 * The finite Δp at which the threshold lines are computed (Δp = ∞, the pure matrix
 * model, is accepted too): there they are monotone in Δp, ordered
 * trivAllM ≥ trivNonNegativeM ≥ gf, and equal between a single evaluation and a grid
 * (tested over log-uniform Δp for p = 3, 4, 5). Near the top the spurious complexities that
 * decide the trivialisation lines are ~Δp⁻³ (1e-17 at 1e5); `complexity` cancels the O(1)
 * parts of Σ analytically, which leaves a rounding error ~1e-16/Δp: at Δp = 1e5 the lines'
 * offset 1/Δ2 − 1 ≈ 2.5e-5 is known to ~3e-6 relative (checked against 50-digit arithmetic),
 * at 1e6 only to ~1e-3 and at 1e7 to ~1e-2. Below 1e-8 nothing was verified. The `thresholds` and
 * `phase-diagram` flags --deltap/--deltap-min/--deltap-max should use this range.
 */
export const THRESHOLD_DELTAP_RANGE = { min: 1e-8, max: 1e5 } as const;

/** Throws a RangeError naming the parameter when p or Δp is out of range (see {@link THRESHOLD_DELTAP_RANGE}). */
export function validateLineParams(p: number, deltap: number): void {
  validateModel(p, deltap);
  const { min, max } = THRESHOLD_DELTAP_RANGE;
  if (deltap !== Number.POSITIVE_INFINITY && !(deltap >= min && deltap <= max))
    throw new RangeError(
      `deltap must lie in [${min}, ${max}] or be Infinity for the threshold lines (beyond, rounding decides the trivialisation lines), got ${deltap}`,
    );
}

/** p an integer ≥ 3, Δp > 0 or Infinity: enough for the closed-form lines, valid at every Δp. */
function validateModel(p: number, deltap: number): void {
  if (!Number.isInteger(p) || p < 3) throw new RangeError(`p must be an integer ≥ 3, got ${p}`);
  if (!(deltap > 0)) throw new RangeError(`deltap must be > 0 (or Infinity), got ${deltap}`);
}

/**
 * Gradient-flow threshold (THEORY §5): the threshold minima at m = 0 (μ = 2σ) acquire a
 * negative BBP direction towards the signal when θ(0) = 1/Δ2 exceeds σ = √f''(1), i.e.
 * `1/Δ2^GF = (1 + √(1 + 4(p−1)/Δp))/2`.
 * @example
 * gfThreshold(3, 1); // 2
 */
export function gfThreshold(p: number, deltap: number): number {
  validateModel(p, deltap);
  return (1 + Math.sqrt(1 + (4 * (p - 1)) / deltap)) / 2;
}

/**
 * ML-AMP threshold (THEORY §6.1): m = 0 is unstable iff 1/Δ2 > √(1/Δ2 + 1/Δp), i.e.
 * `1/Δ2 = (1 + √(1 + 4/Δp))/2`, independent of p.
 * @example
 * mlAmpThreshold(Infinity); // 1
 */
export function mlAmpThreshold(deltap: number): number {
  if (!(deltap > 0)) throw new RangeError(`deltap must be > 0 (or Infinity), got ${deltap}`);
  return (1 + Math.sqrt(1 + 4 / deltap)) / 2;
}

/** Options of {@link trivialisationThreshold}. */
export interface TrivialisationOptions {
  /** Overlap convention (THEORY §4.2): `'all'` counts m < 0 too, `'nonNegative'` only m ≥ 0. */
  readonly convention?: OverlapConvention;
  /** A nearby value (e.g. the result at a neighbouring Δp) to start the bracketing from. */
  readonly guess?: number;
  /** Relative tolerance on 1/Δ2 (default 1e-10). */
  readonly tol?: number;
}

/**
 * Trivialisation threshold (THEORY §4.2), as 1/Δ2: the largest 1/Δ2 at which spurious
 * minima (any m other than the signal minimum's) still have positive Kac–Rice complexity.
 * Solved by Brent on the largest spurious complexity as a function of 1/Δ2, bracketed
 * upwards from the GF line (where the marginal minima at m = 0 always have Σ_th > 0).
 * The bracketing stops at the first sign change above the starting point.
 *
 * Accuracy: ~1e-10 relative. For odd p with `'all'`, the last band (marginal minima at
 * negative m) vanishes into the mirror minimum exactly when that point turns physical
 * (σχ = 1, see `landscape/spurious.ts`), which for p = 3 is the closed-form condition
 * `1/Δ2 − √(1 − q1/q2)/Δp = √q2` (checked in the tests for Δp ∈ [0.2, 2]).
 * @example
 * trivialisationThreshold(3, 1, { convention: 'nonNegative' }); // ≈ 2.19, above the GF line 2
 */
export function trivialisationThreshold(
  p: number,
  deltap: number,
  options: TrivialisationOptions = {},
): number {
  validateLineParams(p, deltap);
  if (deltap === Number.POSITIVE_INFINITY) return 1; // pure matrix: no spurious minima (BBP at 1/Δ2 = 1)
  const convention = options.convention ?? 'all';
  const tol = options.tol ?? 1e-10;
  const model = (a: number) => spikedCovariance({ p, delta2: 1 / a, deltap });
  const half = (sign: 'nonNegative' | 'nonPositive') =>
    halfTrivialisation(model, gfThreshold(p, deltap), sign, tol, options.guess);
  if (convention !== 'all') return half(convention);
  // The largest 1/Δ2 with a positive band anywhere is the larger of the two halves' lines, so
  // trivAllM ≥ trivNonNegativeM holds by construction; for even p the halves are mirror images.
  const right = half('nonNegative');
  return p % 2 === 0 ? right : Math.max(right, half('nonPositive'));
}

/** A family of models along the plot axis: the covariance at 1/Δ2 = a. */
export type ModelAlongSnr = (a: number) => Covariance;

/**
 * The trivialisation threshold (as 1/Δ2) counting spurious minima on one half of the
 * overlaps, for any family of covariances along 1/Δ2: bracketed upwards from `floor` (the
 * GF line, where the marginal minima at m = 0 still have Σ_th > 0), or around `guess`.
 */
export function halfTrivialisation(
  model: ModelAlongSnr,
  floor: number,
  convention: 'nonNegative' | 'nonPositive',
  tol: number,
  guess: number | undefined,
): number {
  // −∞ (no spurious peak at all) is mapped to −1 so that Brent sees a finite negative value.
  const spurious = (a: number) => Math.max(-1, spuriousMinima(model(a), { convention }).complexity);
  let lo = floor;
  let hi: number;
  if (guess !== undefined && guess > floor) {
    // Continuation: small steps around the guess, widening geometrically.
    let step = 0.02 * (guess - floor);
    if (spurious(guess) > 0) {
      lo = guess;
      hi = lo + step;
      while (spurious(hi) > 0) {
        lo = hi;
        step *= 2;
        hi = lo + step;
      }
    } else {
      hi = guess;
      lo = Math.max(floor, hi - step);
      while (lo > floor && spurious(lo) <= 0) {
        hi = lo;
        step *= 2;
        lo = Math.max(floor, lo - step);
      }
    }
  } else {
    // Steps relative to the distance above 1 (every line tends to 1 as Δp → ∞, THEORY §5).
    let step = 0.1 * floor;
    hi = lo + step;
    while (spurious(hi) > 0) {
      lo = hi;
      step *= 1.5;
      hi = lo + step;
    }
  }
  // At the floor itself the spurious complexity is Σ_th > 0 unless rounding says otherwise.
  if (lo === floor && !(spurious(lo) > 0)) return floor;
  return brentRoot(spurious, lo, hi, { tol: tol * hi });
}

/**
 * The Langevin (temperature T, default 1) threshold CONJECTURE of THEORY §6.3: marginal
 * states at temperature T with plateau q satisfy `(1 − q)² f''(q) = T²` (largest root
 * q ∈ (0, 1); q = 0 when there is none), and m grows exponentially iff
 * `1/Δ2 > √f''(q)`. Returned is the 1/Δ2 where the two sides are equal. At T = 0 this is
 * the GF formula. A conjecture to compare with measured escape times, not a result.
 * @example
 * langevinConjecture(3, Infinity); // 1
 */
export function langevinConjecture(p: number, deltap: number, temperature = 1): number {
  validateModel(p, deltap);
  if (!(temperature >= 0)) throw new RangeError(`temperature must be ≥ 0, got ${temperature}`);
  if (temperature === 0) return gfThreshold(p, deltap);
  // Pure matrix: f'' ≡ 1/Δ2, plateau 1 − T/√a, and the condition a > √a gives 1 exactly (T = 1).
  if (deltap === Number.POSITIVE_INFINITY && temperature === 1) return 1;
  return langevinLine((a) => spikedCovariance({ p, delta2: 1 / a, deltap }), temperature);
}

/** {@link langevinConjecture} (T > 0) for any family of covariances along 1/Δ2. */
export function langevinLine(model: ModelAlongSnr, temperature: number): number {
  const t2 = temperature * temperature;
  const plateau = (cov: Covariance): number => {
    const roots = allRoots((q) => (1 - q) * (1 - q) * cov.d2f(q) - t2, 0, 1, { points: 400, tol: 1e-15 });
    return roots.length > 0 ? roots[roots.length - 1] : 0;
  };
  const gap = (a: number): number => {
    const cov = model(a);
    return a - Math.sqrt(cov.d2f(plateau(cov)));
  };
  // gap < 0 at small 1/Δ2 (a < √a for a < 1 even without a plateau). It can touch 0
  // without crossing (at 1/Δ2 = 1 when the plateau appears continuously): m only grows
  // where gap > 0 strictly, so a zero counts as "not yet" and the scan continues upwards.
  const strictGap = (a: number) => {
    const g = gap(a);
    return g > 0 ? g : Math.min(g, -Number.MIN_VALUE);
  };
  let lo = 0.5;
  let hi = lo * 1.05;
  while (strictGap(hi) < 0) {
    lo = hi;
    hi *= 1.05;
  }
  return brentRoot(strictGap, lo, hi, { tol: 1e-12 * hi });
}
