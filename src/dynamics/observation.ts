/**
 * What a descent run records (THEORY §2): the method and one row of a trajectory. Kept apart from
 * the driver (`descent.ts`) so that its checkpoint (`checkpoint.ts`) can name them without
 * importing the driver that imports it.
 */

/** `gf`: gradient flow; `gd`: gradient descent; `langevin`: Langevin dynamics at temperature T. */
export type DescentMethod = 'gf' | 'gd' | 'langevin';

/** One row of a trajectory. */
export interface Observation {
  /** Time: continuous time for gf and langevin; step count × η for gd. */
  readonly t: number;
  /** Overlap m = x·x* / N with the signal (NaN when no signal is given). */
  readonly m: number;
  /** Energy per coordinate e = H(x)/N. */
  readonly energy: number;
  /**
   * Lagrange multiplier: `μ = −x·∇H/N` for gf and gd, `μ = T(N−1)/N − x·∇H/N` for
   * langevin (THEORY §2).
   */
  readonly mu: number;
  /**
   * Riemannian gradient norm per √N: `|∇H − (x·∇H/N) x| / √N`, i.e. the root mean
   * square of its coordinates (order 1 away from stationary points, → 0 at one).
   */
  readonly gradNorm: number;
  /** Lowest eigenvalue of the Riemannian Hessian on the tangent space (NaN where not probed). */
  readonly lambdaMin: number;
  /**
   * SQUARED overlap `(u·v)²` of the lowest eigenvector u with the unit tangent signal
   * direction v (THEORY §4.1's `1 − σ²/θ²`); NaN where not probed or without signal.
   */
  readonly lambdaMinOverlap: number;
}
