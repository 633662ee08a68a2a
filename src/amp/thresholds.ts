/**
 * Message-passing thresholds of the 2+p spiked matrix–tensor model on the plot axis
 * 1/Δ2 (THEORY §5, §6). Everything is computed from the fixed-point branches of the
 * state evolutions, written as "the 1/Δ2 at which overlap m is a fixed point":
 *
 * - Bayes (THEORY §6.2): `A(m) = 1/(1−m) − m^{p−2}/Δp`. For given 1/Δ2 = a the
 *   informative fixed points are the roots of A(m) = a; increasing pieces of A are
 *   stable (local maxima of Φ_RS, since `Φ_RS'(m) = (m/2)(a − A(m))`), decreasing
 *   pieces unstable. A(0) = 1 is where m = 0 loses stability.
 * - ML (THEORY §6.1): `m² (f'(m)² + f'(1)) = f'(m)²` is, for fixed m ∈ (0,1), a
 *   quadratic in a with exactly one positive root `A_ML(m)` (see `mlFixedPointSnr`).
 *   A_ML(0) = (1 + √(1 + 4/Δp))/2 is the instability of m = 0.
 *
 * Every branch is found (extrema of A by sign changes of A' on a fine grid, polished by
 * Brent), so the second branch of p = 4 at small Δp is handled like any other.
 */

import { allRoots, brentRoot } from '../numerics/index.ts';
import { phiRS } from './freeEntropy.ts';

function checkPDeltap(p: number, deltap: number): void {
  if (!Number.isInteger(p) || p < 3) throw new RangeError(`p must be an integer ≥ 3, got ${p}`);
  if (!(deltap > 0)) throw new RangeError(`deltap must be > 0 (or Infinity), got ${deltap}`);
}

/**
 * Grid used to locate extrema of the branch functions on (0, 1): for the 2+p model
 * they have at most two, far wider apart than 1/4000 except within ~1e-4 of a
 * tricritical point, where the branch structure is irrelevant at plotting resolution.
 */
const ROOT_SCAN = { points: 4000, tol: 1e-15 };
/** Roots to ~machine precision: thresholds are compared across modules to 1e-8 and better. */
const ROOT_TOL = { tol: 1e-15 };
/** Branch functions blow up at m = 1; scans stop this close to it. */
const M_MAX = 1 - 1e-9;

/**
 * `A(m) = 1/(1−m) − m^{p−2}/Δp`: the 1/Δ2 at which m ∈ (0, 1) is a fixed point of the
 * Bayes-AMP state evolution (equivalently a stationary point of Φ_RS), THEORY §6.2.
 * @example
 * bayesFixedPointSnr(0, 3, 0.5); // 1: where m = 0 loses stability
 */
export function bayesFixedPointSnr(m: number, p: number, deltap: number): number {
  return 1 / (1 - m) - m ** (p - 2) / deltap;
}

/** dA/dm for `bayesFixedPointSnr`. */
function bayesFixedPointSnrSlope(m: number, p: number, deltap: number): number {
  return 1 / ((1 - m) * (1 - m)) - ((p - 2) * m ** (p - 3)) / deltap;
}

/**
 * The 1/Δ2 at which m ∈ [0, 1) is a fixed point of the ML-AMP state evolution
 * (THEORY §6.1): with `b = 1/Δp`, `c = m^{p−2}/Δp`, the fixed-point equation divided
 * by m² reads `(1−m²)(a + c)² = a + b`, whose positive root in `u = a + c` is
 * `u = [1 + √(1 + 4(1−m²)(b − c))] / (2(1−m²))` (the other root is ≤ 0 because c ≤ b).
 * @example
 * mlFixedPointSnr(0, 3, 1); // (1 + √5)/2: the instability of m = 0
 */
export function mlFixedPointSnr(m: number, p: number, deltap: number): number {
  const s = 1 - m * m;
  const b = 1 / deltap;
  const c = m ** (p - 2) / deltap;
  return (1 + Math.sqrt(1 + 4 * s * (b - c))) / (2 * s) - c;
}

/** d/dm of `mlFixedPointSnr` (chain rule through s = 1 − m², w = b − c, R = √(1 + 4sw)). */
function mlFixedPointSnrSlope(m: number, p: number, deltap: number): number {
  const s = 1 - m * m;
  const c = m ** (p - 2) / deltap;
  const dc = ((p - 2) * m ** (p - 3)) / deltap;
  const w = 1 / deltap - c;
  const R = Math.sqrt(1 + 4 * s * w);
  const dR = (2 * (-2 * m * w - s * dc)) / R;
  return dR / (2 * s) + ((1 + R) * 2 * m) / (2 * s * s) - dc;
}

/**
 * 1/Δ2 at which m = 0 becomes unstable for ML-AMP (and for its state evolution):
 * `(1 + √(1 + 4/Δp))/2`, independent of p (THEORY §5, §6.1).
 * @example
 * mlAmpInstability(Infinity); // 1: the BBP point of the pure matrix model
 */
export function mlAmpInstability(deltap: number): number {
  if (!(deltap > 0)) throw new RangeError(`deltap must be > 0 (or Infinity), got ${deltap}`);
  return (1 + Math.sqrt(1 + 4 / deltap)) / 2;
}

/**
 * 1/Δ2 where an informative (m > 0) fixed point of the ML-AMP state evolution first
 * appears, THEORY §6.1: the minimum over m ∈ (0, 1) of `mlFixedPointSnr`, when it lies
 * below the instability `mlAmpInstability(Δp)` of m = 0 (first-order state evolution:
 * between the spinodal and the instability, ML-AMP succeeds from a finite initial
 * overlap but not from m → 0⁺). `null` when the transition is continuous there (the
 * informative fixed point grows out of m = 0 at the instability), e.g. for the pure
 * matrix model or p = 4 at large Δp. For p = 3 the branch always bends below the
 * instability (slope of A_ML at m = 0 is negative). A value clamped at 0 means the
 * informative fixed point exists for every 1/Δ2 ≥ 0 (already in the pure tensor model).
 * @example
 * mlAmpSpinodal(4, 10); // null: continuous
 * mlAmpSpinodal(4, 1); // ≈ 1.598 < mlAmpInstability(1) ≈ 1.618: first order
 */
export function mlAmpSpinodal(p: number, deltap: number): number | null {
  checkPDeltap(p, deltap);
  if (deltap === Number.POSITIVE_INFINITY) return null;
  const a0 = mlFixedPointSnr(0, p, deltap);
  const extrema = allRoots((m) => mlFixedPointSnrSlope(m, p, deltap), 1e-12, M_MAX, ROOT_SCAN);
  let best = a0;
  for (const m of extrema) best = Math.min(best, mlFixedPointSnr(m, p, deltap));
  // A dip by less than rounding of a0 is not a first-order transition.
  if (best >= a0 * (1 - 1e-12)) return null;
  return Math.max(0, best);
}

/** A region of the Bayes-optimal phase diagram, THEORY §6.2. */
export type BayesRegion = 'impossible' | 'hard' | 'easy';

/** An interval of 1/Δ2 (`to` may be Infinity) in which the region does not change. */
export interface BayesInterval {
  readonly from: number;
  readonly to: number;
  readonly region: BayesRegion;
}

/** The fixed-point branches of the Bayes SE at fixed (p, Δp). */
interface BayesBranches {
  readonly p: number;
  readonly deltap: number;
  /** Piece boundaries 0 = e0 < e1 < … < 1: the extrema of A(m) with the ends. */
  readonly edges: number[];
  /** For each piece, whether A increases on it (stable branch). */
  readonly increasing: boolean[];
}

function bayesBranches(p: number, deltap: number): BayesBranches {
  const extrema =
    deltap === Number.POSITIVE_INFINITY
      ? []
      : allRoots((m) => bayesFixedPointSnrSlope(m, p, deltap), 1e-12, M_MAX, ROOT_SCAN);
  const edges = [0, ...extrema, 1];
  const increasing: boolean[] = [];
  // Classify each piece by the slope at its midpoint (A is monotone between extrema).
  for (let i = 0; i + 1 < edges.length; i++) {
    const mid = 0.5 * (edges[i] + Math.min(edges[i + 1], M_MAX));
    increasing.push(bayesFixedPointSnrSlope(mid, p, deltap) > 0);
  }
  return { p, deltap, edges, increasing };
}

/** A(m) at a piece edge, with A(1⁻) = ∞. */
function edgeSnr(br: BayesBranches, m: number): number {
  return m >= 1 ? Number.POSITIVE_INFINITY : bayesFixedPointSnr(m, br.p, br.deltap);
}

/** The root of A(m) = a on piece i, or null if a is outside the piece's range. */
function rootOnPiece(br: BayesBranches, i: number, a: number): number | null {
  const lo = br.edges[i];
  const hi = br.edges[i + 1];
  const aLo = edgeSnr(br, lo);
  const aHi = edgeSnr(br, hi);
  if (!(a >= Math.min(aLo, aHi) && a <= Math.max(aLo, aHi))) return null;
  if (a === aLo) return lo;
  if (a === aHi) return hi;
  const g = (m: number) => bayesFixedPointSnr(m, br.p, br.deltap) - a;
  // On the last piece A → ∞ at 1: shrink the upper end until it brackets.
  let top = hi;
  if (hi >= 1) {
    top = 1 - 1e-3;
    while (g(top) < 0 && top < 1 - 1e-15) top = 1 - (1 - top) / 16;
  }
  return brentRoot(g, lo, top, ROOT_TOL);
}

/** The overlap reached by Bayes-AMP state evolution started from m → 0⁺ at 1/Δ2 = a. */
function ampFromZero(br: BayesBranches, a: number): number {
  // SE increases m exactly while A(m) < a; A(0) = 1, so for a < 1 it returns to 0.
  if (a < 1 || (a === 1 && br.increasing[0])) return 0;
  for (let i = 0; i < br.increasing.length; i++) {
    const m = rootOnPiece(br, i, a);
    if (m !== null && m > 0) return m;
  }
  return 0;
}

function phi(br: BayesBranches, m: number, a: number): number {
  return phiRS(m, { p: br.p, delta2: 1 / a, deltap: br.deltap });
}

/** Global maximiser of Φ_RS at 1/Δ2 = a among m = 0 and the stable branches. */
function globalMaximiser(br: BayesBranches, a: number): number {
  let best = 0;
  let bestPhi = 0;
  for (let i = 0; i < br.increasing.length; i++) {
    if (!br.increasing[i]) continue;
    const m = rootOnPiece(br, i, a);
    if (m === null || m === 0) continue;
    const v = phi(br, m, a);
    if (v > bestPhi) {
      bestPhi = v;
      best = m;
    }
  }
  return best;
}

function classify(br: BayesBranches, a: number): BayesRegion {
  const mg = globalMaximiser(br, a);
  if (mg === 0) return 'impossible';
  const mAmp = ampFromZero(br, a);
  // Same fixed point up to root-finding precision (Brent polishes to ~1e-15).
  return Math.abs(mAmp - mg) <= 1e-9 ? 'easy' : 'hard';
}

/** Root of an increasing function of a on [lo, hi] (hi may need to grow), or null. */
function increasingRoot(g: (a: number) => number, lo: number, hi: number, growHi: boolean): number | null {
  let glo = g(lo);
  if (glo === 0) return lo;
  if (glo > 0) return null;
  let ghi = g(hi);
  while (ghi < 0 && growHi && hi < 1e12) {
    lo = hi;
    glo = ghi;
    hi *= 2;
    ghi = g(hi);
  }
  if (ghi < 0) return null;
  return brentRoot(g, lo, hi, ROOT_TOL);
}

/**
 * The regions of the Bayes-optimal phase diagram along the 1/Δ2 axis at fixed (p, Δp),
 * THEORY §6.2, as consecutive intervals covering [0, ∞):
 * - `impossible`: the global maximiser of Φ_RS is m = 0;
 * - `hard`: it is not, but Bayes-AMP started from m → 0⁺ stops at another fixed point;
 * - `easy`: Bayes-AMP from m → 0⁺ reaches the global maximiser.
 *
 * The region changes only at: 1/Δ2 = 1 (m = 0 loses stability); the extremal values of
 * A(m) (a branch appears or disappears); the 1/Δ2 where a stable branch's Φ_RS crosses 0;
 * and where two stable branches have equal Φ_RS. All of these are computed (each is
 * monotone in 1/Δ2 because `∂Φ_RS/∂(1/Δ2) = m²/4` at fixed m, so Φ differences between
 * branches increase with 1/Δ2), and each interval is classified at its midpoint.
 * Intervals with the same region are merged.
 * @example
 * bayesRegions(3, 2); // [{from: 0, to: 1, region: 'impossible'}, {from: 1, to: Infinity, region: 'easy'}]
 */
export function bayesRegions(p: number, deltap: number): BayesInterval[] {
  checkPDeltap(p, deltap);
  const br = bayesBranches(p, deltap);
  const cuts = new Set<number>([1]);
  const pieces = br.increasing.length;
  const range = (i: number): [number, number] => {
    const x = edgeSnr(br, br.edges[i]);
    const y = edgeSnr(br, br.edges[i + 1]);
    return [Math.min(x, y), Math.max(x, y)];
  };
  for (let i = 1; i < br.edges.length - 1; i++) cuts.add(edgeSnr(br, br.edges[i]));
  for (let i = 0; i < pieces; i++) {
    if (!br.increasing[i]) continue;
    const [lo, hi] = range(i);
    // Φ of branch i crosses 0 (it beats m = 0).
    const zeroCross = increasingRoot(
      (a) => {
        const m = rootOnPiece(br, i, a);
        return m === null ? Number.NaN : phi(br, m, a);
      },
      Math.max(lo, 0),
      Number.isFinite(hi) ? hi : Math.max(2, 2 * lo),
      !Number.isFinite(hi),
    );
    if (zeroCross !== null) cuts.add(zeroCross);
    for (let j = i + 1; j < pieces; j++) {
      if (!br.increasing[j]) continue;
      const [lo2, hi2] = range(j);
      const from = Math.max(lo, lo2, 0);
      const to = Math.min(hi, hi2);
      if (!(from < to)) continue;
      // Φ(branch j) − Φ(branch i) increases with a since branch j has the larger m.
      const eq = increasingRoot(
        (a) => phi(br, rootOnPiece(br, j, a)!, a) - phi(br, rootOnPiece(br, i, a)!, a),
        from,
        to,
        false,
      );
      if (eq !== null) cuts.add(eq);
    }
  }
  const sorted = [...cuts].filter((c) => c > 0 && Number.isFinite(c)).sort((u, v) => u - v);
  const bounds = [0, ...sorted];
  const out: BayesInterval[] = [];
  for (let k = 0; k < bounds.length; k++) {
    const from = bounds[k];
    const to = k + 1 < bounds.length ? bounds[k + 1] : Number.POSITIVE_INFINITY;
    const probe = Number.isFinite(to) ? 0.5 * (from + to) : from + 1;
    const region = classify(br, probe);
    const prev = out[out.length - 1];
    if (prev && prev.region === region) out[out.length - 1] = { from: prev.from, to, region };
    else out.push({ from, to, region });
  }
  return out;
}

/**
 * The Bayes-optimal region at one point of the phase diagram (THEORY §6.2); see
 * `bayesRegions` for the definitions.
 * @example
 * bayesPhase(3, 0.5, 1 / 0.9); // 'hard': 1/Δ2 = 0.9 lies between IT and AMP for Δp = 0.5
 */
export function bayesPhase(p: number, deltap: number, delta2: number): BayesRegion {
  checkPDeltap(p, deltap);
  if (!(delta2 > 0)) throw new RangeError(`delta2 must be > 0 (or Infinity), got ${delta2}`);
  return classify(bayesBranches(p, deltap), 1 / delta2);
}

/**
 * Bayes-optimal thresholds at fixed (p, Δp), each as a value of 1/Δ2 (THEORY §6.2):
 * - `it`: information-theoretic threshold: below it inference is impossible (the
 *   global maximiser of Φ_RS is m = 0); the lower end of the first non-impossible
 *   interval of `bayesRegions`. 0 when even the pure tensor model (1/Δ2 = 0) is
 *   information-theoretically solvable (small Δp): the IT line reaches 0 at finite Δp.
 * - `amp`: algorithmic threshold: above it Bayes-AMP started from m → 0⁺ reaches the
 *   global maximiser; the upper end of the last hard interval. Inference is hard
 *   between `it` and `amp`. For p = 4 at small Δp the branch that AMP follows from 0⁺
 *   ends at a saddle-node above 1/Δ2 = 1, so `amp` > 1 there. If a hard interval
 *   is followed by an easy pocket and then another hard interval, `amp` is the top of
 *   the highest one (see `bayesRegions` for the full structure).
 * - `spinodal`: where the informative stable fixed point first appears: the minimum of
 *   A(m) on the last stable branch (clamped at 0). `null` when A(m) has no extremum,
 *   i.e. the transition is continuous; then `it = amp = 1`.
 *
 * `null` for `it`/`amp` never occurs for valid input (the types leave room for callers
 * that treat missing lines uniformly). p = 3 has its tricritical point at Δp = 1.
 * @example
 * bayesThresholds(3, 2); // { it: 1, amp: 1, spinodal: null }
 */
export function bayesThresholds(
  p: number,
  deltap: number,
): { it: number | null; amp: number | null; spinodal: number | null } {
  const regions = bayesRegions(p, deltap);
  const possible = regions.find((r) => r.region !== 'impossible');
  const it = possible ? possible.from : null;
  const hards = regions.filter((r) => r.region === 'hard');
  const amp = hards.length > 0 ? hards[hards.length - 1].to : it;
  const br = bayesBranches(p, deltap);
  // The last stable branch starts at the last extremum of A (a local minimum).
  const spinodal = br.edges.length > 2 ? Math.max(0, edgeSnr(br, br.edges[br.edges.length - 2])) : null;
  return { it, amp, spinodal };
}
