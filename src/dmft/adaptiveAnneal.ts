/**
 * The annealing protocol (anneal.ts) on the adaptive grid (THEORY §3, adaptiveGrid.ts): the
 * two-time covariance F(t, s; q) = Σ_k a_k u_k(t) u_k(s) q^k evaluated per pair (row i, node l)
 * and per interval (row i, [t_{l−1}, t_l]) of the non-uniform grid.
 *
 * The row solver keeps calling one {@link Covariance} (`current`); before each use it selects
 * what that covariance is through {@link PairKernels}: F(t_i, t_l; ·) at a node, the signal part
 * f_s(t_i; ·) = Σ_k a_k u_k(t_i) q^k, or F averaged over an interval. Each term a_k q^k of f is
 * weighted by w_k and the terms are summed in f's order, so at C = 0 (every w_k exactly 1) every
 * value is f's own, bit for bit.
 *
 * Interval rule. A memory integral over I = [t_{l−1}, t_l] is ∫_I R(t_i,s) u_k(s) g_k(C(t_i,s)) ds
 * (g_k the order-k part of f', f'', f' + C f'', …; u_k(t_i) factors out). The adaptive grid knows
 * R on I only through its mass ρ = χ(t_i,t_{l−1}) − χ(t_i,t_l) and its split into the hat
 * weights ρ_L = χ(t_i,t_{l−1}) − χ̄_v = ∫_I R (t_l − s)/|I| and ρ_R = χ̄_v − χ(t_i,t_l) =
 * ∫_I R (s − t_{l−1})/|I| (χ̄_v the vertical average, adaptiveGrid.ts). So
 *
 *   ∫_I R u_k = ρ_L u_k(t_{l−1}) + ρ_R u_k(t_l) + O(ρ |I|² max|u_k''| / 8),
 *
 * EXACT when u_k is linear on I whatever R does — the same exactness the grid's own rule has for
 * its slow factor b. The factor of the interval is therefore the R-weighted end-point mix
 * ū_k = u_k(t_{l−1}) + θ (u_k(t_l) − u_k(t_{l−1})), θ = ρ_R/ρ, multiplying the C-averaged kernel
 * (g_k and u_k are taken as uncorrelated inside one interval: the product's correction is of the
 * same second order). The plain end-point average ½(u_{l−1} + u_l) is exact only when R is flat on
 * I (the last interval holds the fast part of R, where it is not), the factor at one end is first
 * order in |I| u'. With |u''| ≤ u/τ², the relative error of one interval is ≤ (|I|/τ)²/8. Measured
 * (src/dmft/README.md, time change at τ = 2): the mix and the average agree to 6e-7 in m, the
 * factor at the left end is off by 2e-4 more; the remaining deviation is the copied near-diagonal
 * band's, not this rule's.
 *
 * The published program's hold (the factor held at its t = 0 value for t ≤ hold, then released)
 * makes u jump at t = hold: the interval containing it is mixed as above (an O(jump·|I|) error on
 * that interval, |I| = the step near t = hold, tiny while the grid is fine there).
 */
import { type Covariance, polynomialCovariance } from '../model/index.ts';
import { type AnnealProtocol, annealFactor, validateAnnealProtocol } from './anneal.ts';

/** What the row solver's covariance stands for, selected before each use (see the header). */
export interface PairKernels {
  /** Row i is solved at t_i = t[i]: caches u_k at the nodes 0..i. */
  row(t: Float64Array, i: number): void;
  /** F(t_i, t_l; ·). */
  node(i: number, l: number): void;
  /** F over [t_{l−1}, t_l] with the hat weights of R: xa = χ(t_i,t_{l−1}), xv its average, xb = χ(t_i,t_l). */
  interval(i: number, l: number, xa: number, xv: number, xb: number): void;
  /** The signal part f_s(t_i; ·). */
  signal(i: number): void;
}

/** {@link PairKernels} of a protocol on a grid of up to `cap` + 1 nodes, and the covariance it selects. */
export class AnnealedPairs implements PairKernels {
  /** The covariance the row solver evaluates: f's terms weighted by `w` (set by the selectors). */
  readonly current: Covariance;
  private readonly protocol: AnnealProtocol;
  private readonly terms: ReadonlyArray<{ readonly order: number; readonly coefficient: number }>;
  private readonly singles: Covariance[];
  /** Weight of each term of f. */
  private readonly w: Float64Array;
  /** u_k at the nodes of the current row, term-major: u[k·(cap+1) + l]. */
  private readonly u: Float64Array;
  private readonly stride: number;

  constructor(f: Covariance, protocol: AnnealProtocol, cap: number) {
    validateAnnealProtocol(protocol);
    this.protocol = protocol;
    this.terms = f.terms;
    this.singles = f.terms.map((t) => polynomialCovariance([t]));
    this.w = new Float64Array(f.terms.length).fill(1);
    this.stride = cap + 2;
    this.u = new Float64Array(this.stride * f.terms.length).fill(1);
    this.current = weighted(f.terms, this.singles, this.w);
  }

  row(t: Float64Array, i: number): void {
    const { u, stride } = this;
    this.terms.forEach((term, k) => {
      if (term.order < 3) return; // u ≡ 1 (the fill)
      for (let l = 0; l <= i; l++)
        u[k * stride + l] = annealFactor(this.protocol, term.order, term.coefficient, t[l]);
    });
  }

  node(i: number, l: number): void {
    const { u, w, stride } = this;
    for (let k = 0; k < w.length; k++) w[k] = u[k * stride + i] * u[k * stride + l];
  }

  interval(i: number, l: number, xa: number, xv: number, xb: number): void {
    const { u, w, stride } = this;
    const rho = xa - xb;
    // θ = ρ_R/ρ, the share of R's mass on the right hat (½ where R carries no mass).
    const share = rho !== 0 && Number.isFinite(rho) ? (xv - xb) / rho : 0.5;
    const theta = Math.min(1, Math.max(0, share));
    for (let k = 0; k < w.length; k++) {
      const a = u[k * stride + l - 1];
      w[k] = u[k * stride + i] * (a + (u[k * stride + l] - a) * theta);
    }
  }

  signal(i: number): void {
    const { u, w, stride } = this;
    for (let k = 0; k < w.length; k++) w[k] = u[k * stride + i];
  }

  /** A fixed covariance: F(t, s; ·), or the signal f_s(t; ·) when s is omitted (initial window). */
  at(t: number, s?: number): Covariance {
    const w = Float64Array.from(this.terms, (term) => {
      const ut = annealFactor(this.protocol, term.order, term.coefficient, t);
      return s === undefined ? ut : ut * annealFactor(this.protocol, term.order, term.coefficient, s);
    });
    return weighted(this.terms, this.singles, w);
  }
}

/** Σ_k w_k (a_k q^k) summed in f's order (w_k = 1: f's values bit for bit). */
function weighted(
  terms: ReadonlyArray<{ readonly order: number; readonly coefficient: number }>,
  singles: readonly Covariance[],
  w: Float64Array,
): Covariance {
  const n = singles.length;
  const sum = (pick: (c: Covariance, z: number) => number) => (z: number) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += w[k] * pick(singles[k], z);
    return s;
  };
  return {
    terms,
    f: sum((c, z) => c.f(z)),
    df: sum((c, z) => c.df(z)),
    d2f: sum((c, z) => c.d2f(z)),
    d3f: sum((c, z) => c.d3f(z)),
  };
}
