/**
 * Explicit embedded Runge–Kutta pairs with adaptive step-size control, for the
 * gradient flow of THEORY §2. After every accepted step the state is projected back
 * onto the sphere |x|² = N (the exact flow conserves |x|², the projection only
 * removes the integrator's drift). Steps are clipped so that the integrator lands
 * exactly on every requested time: observations are never interpolated.
 */

/** Butcher tableau of an embedded pair: `b` gives the propagated solution, `bHat` the error estimate. */
export interface EmbeddedTableau {
  readonly name: string;
  /** Order of the propagated solution (the step-size exponent uses the lower order + 1). */
  readonly order: number;
  /** Order of the embedded (error-estimating) solution. */
  readonly embeddedOrder: number;
  readonly c: readonly number[];
  /** Strictly lower-triangular coefficients, row i has i entries. */
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  readonly bHat: readonly number[];
}

/** Dormand–Prince 5(4) (Dormand & Prince 1980): 7 stages, local extrapolation. */
export const dormandPrince54: EmbeddedTableau = {
  name: 'dormand-prince-5(4)',
  order: 5,
  embeddedOrder: 4,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  bHat: [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40],
};

/** Bogacki–Shampine 3(2) (Bogacki & Shampine 1989): 4 stages, cheaper at loose tolerances. */
export const bogackiShampine32: EmbeddedTableau = {
  name: 'bogacki-shampine-3(2)',
  order: 3,
  embeddedOrder: 2,
  c: [0, 1 / 2, 3 / 4, 1],
  a: [[], [1 / 2], [0, 3 / 4], [2 / 9, 1 / 3, 4 / 9]],
  b: [2 / 9, 1 / 3, 4 / 9, 0],
  bHat: [7 / 24, 1 / 4, 1 / 3, 1 / 8],
};

/** Step-size control of an adaptive integrator. */
export interface AdaptiveStepOptions {
  /** Relative tolerance per coordinate (default 1e-6). */
  readonly rtol?: number;
  /** Absolute tolerance per coordinate (default 1e-8; coordinates are O(1) on the sphere |x|² = N). */
  readonly atol?: number;
  /** Largest step allowed (default Infinity). */
  readonly maxStep?: number;
  /** Embedded pair (default Dormand–Prince 5(4)). */
  readonly tableau?: EmbeddedTableau;
  /** First step to try (default: Hairer–Nørsett–Wanner's guess 0.01·|x|/|F(x)|, capped by maxStep). */
  readonly initialStep?: number;
  /** Smallest step before the integration is declared stuck (default 1e-12). */
  readonly minStep?: number;
}

/** Counters of an adaptive integration. */
export interface IntegratorStats {
  accepted: number;
  rejected: number;
  /** Evaluations of the vector field. */
  evaluations: number;
}

/** Vector field: writes dx/dt at x into `out`. */
export type VectorField = (x: Float64Array, out: Float64Array) => void;

/**
 * Adaptive embedded Runge–Kutta integration of dx/dt = F(x) on the sphere |x|² = N.
 * Error norm: the root mean square of `err_i / (atol + rtol·max(|x_i|, |x_i^new|))`
 * (Hairer–Nørsett–Wanner II.4); a step is accepted when it is ≤ 1.
 * @example
 * // rotation in the (x0, x1) plane: stays on the circle |x|² = 2
 * const rhs = (x: Float64Array, out: Float64Array) => { out[0] = -x[1]; out[1] = x[0]; };
 * const it = new AdaptiveSphereIntegrator(rhs, Float64Array.of(1, 1), { rtol: 1e-10 });
 * it.advanceTo(Math.PI / 2); // it.x ≈ [−1, 1]
 */
export class AdaptiveSphereIntegrator {
  /** Current time. */
  t = 0;
  /** Current state (owned by the integrator, updated in place). */
  readonly x: Float64Array;
  readonly stats: IntegratorStats = { accepted: 0, rejected: 0, evaluations: 0 };
  private readonly rhs: VectorField;
  private readonly tab: EmbeddedTableau;
  private readonly rtol: number;
  private readonly atol: number;
  private readonly maxStep: number;
  private readonly minStep: number;
  private readonly k: Float64Array[];
  private readonly stage: Float64Array;
  private readonly xNew: Float64Array;
  private readonly errVec: Float64Array;
  /** Whether the tableau is FSAL: last stage = new solution, reusable as the next first stage. */
  private readonly fsal: boolean;
  /** k[0] holds F(x) for the current x. */
  private k0Valid = false;
  /** Step proposed by the controller (kept apart from steps clipped to land on a target time). */
  private h = Number.NaN;

  constructor(rhs: VectorField, x0: Float64Array, options: AdaptiveStepOptions = {}) {
    this.rhs = rhs;
    this.tab = options.tableau ?? dormandPrince54;
    this.rtol = options.rtol ?? 1e-6;
    this.atol = options.atol ?? 1e-8;
    this.maxStep = options.maxStep ?? Number.POSITIVE_INFINITY;
    this.minStep = options.minStep ?? 1e-12;
    if (options.initialStep !== undefined) {
      if (!(options.initialStep > 0))
        throw new RangeError(`initialStep must be > 0, got ${options.initialStep}`);
      this.h = Math.min(options.initialStep, this.maxStep);
    }
    if (!(this.rtol > 0) || !(this.atol >= 0)) throw new RangeError('rtol must be > 0 and atol ≥ 0');
    if (!(this.maxStep > 0)) throw new RangeError(`maxStep must be > 0, got ${this.maxStep}`);
    const n = x0.length;
    const { a, b, c } = this.tab;
    const s = c.length;
    this.fsal = c[s - 1] === 1 && b[s - 1] === 0 && a[s - 1].every((v, l) => v === b[l]);
    this.x = Float64Array.from(x0);
    this.k = this.tab.c.map(() => new Float64Array(n));
    this.stage = new Float64Array(n);
    this.xNew = new Float64Array(n);
    this.errVec = new Float64Array(n);
  }

  /** Evaluate the field, counting evaluations. */
  private evaluate(x: Float64Array, out: Float64Array): void {
    this.rhs(x, out);
    this.stats.evaluations++;
  }

  /** Weighted RMS norm used by the step-size controller. */
  private scaledNorm(v: Float64Array, a: Float64Array, b: Float64Array): number {
    let s = 0;
    for (let i = 0; i < v.length; i++) {
      const sc = this.atol + this.rtol * Math.max(Math.abs(a[i]), Math.abs(b[i]));
      const r = v[i] / sc;
      s += r * r;
    }
    return Math.sqrt(s / v.length);
  }

  /** Starting step from the size of x and F(x) (Hairer–Nørsett–Wanner's first guess, d0/d1 · 0.01). */
  private initialStep(k0: Float64Array): number {
    const d0 = this.scaledNorm(this.x, this.x, this.x);
    const d1 = this.scaledNorm(k0, this.x, this.x);
    const h = d0 > 1e-5 && d1 > 1e-5 ? (0.01 * d0) / d1 : 1e-6;
    return Math.min(h, this.maxStep);
  }

  /**
   * Integrate up to exactly `tEnd` (the last step is shortened to land on it).
   * `shouldStop` is polled after each accepted step; returns false if it stopped early.
   */
  advanceTo(tEnd: number, shouldStop?: () => boolean): boolean {
    const { a, b, bHat, c } = this.tab;
    const s = c.length;
    const n = this.x.length;
    const k = this.k;
    const x = this.x;
    const exponent = 1 / (Math.min(this.tab.order, this.tab.embeddedOrder) + 1);
    while (this.t < tEnd) {
      if (!this.k0Valid) this.evaluate(x, k[0]);
      this.k0Valid = false;
      if (Number.isNaN(this.h)) this.h = this.initialStep(k[0]);
      for (;;) {
        const remaining = tEnd - this.t;
        // Land exactly on tEnd; stretch the step by up to 1% rather than leave a sliver.
        const clipped = this.h * 1.01 >= remaining;
        const h = clipped ? remaining : this.h;
        for (let j = 1; j < s; j++) {
          const aj = a[j];
          for (let i = 0; i < n; i++) {
            let acc = x[i];
            for (let l = 0; l < j; l++) if (aj[l] !== 0) acc += h * aj[l] * k[l][i];
            this.stage[i] = acc;
          }
          this.evaluate(this.stage, k[j]);
        }
        for (let i = 0; i < n; i++) {
          let sol = x[i];
          let err = 0;
          for (let l = 0; l < s; l++) {
            sol += h * b[l] * k[l][i];
            err += h * (b[l] - bHat[l]) * k[l][i];
          }
          this.xNew[i] = sol;
          this.errVec[i] = err;
        }
        const errNorm = this.scaledNorm(this.errVec, x, this.xNew);
        if (!Number.isFinite(errNorm)) {
          throw new RangeError(`gradient flow diverged at t = ${this.t} (non-finite state)`);
        }
        // Standard controller with safety factor 0.9, growth limited to [0.2, 5].
        const factor = errNorm === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * errNorm ** -exponent));
        if (errNorm <= 1) {
          x.set(this.xNew);
          projectInPlace(x);
          if (this.fsal) {
            // First same as last: the last stage was evaluated at the new point (before the
            // projection, which moves it by about the local error, within tolerance).
            const first = k[0];
            k[0] = k[s - 1];
            k[s - 1] = first;
            this.k0Valid = true;
          }
          this.t = clipped ? tEnd : this.t + h;
          this.stats.accepted++;
          // After a clipped step keep the controller's own proposal if it was larger.
          const proposal = Math.min(this.maxStep, h * factor);
          this.h = clipped ? Math.max(this.h, proposal) : proposal;
          this.h = Math.min(this.h, this.maxStep);
          break;
        }
        this.stats.rejected++;
        this.h = h * Math.min(1, factor);
        if (this.h < this.minStep) {
          throw new RangeError(`step size underflow (h = ${this.h}) at t = ${this.t}`);
        }
      }
      if (shouldStop?.()) return false;
    }
    return true;
  }
}

/** x ← √N x/|x|. */
function projectInPlace(x: Float64Array): void {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  const r = Math.sqrt(x.length / s);
  for (let i = 0; i < x.length; i++) x[i] *= r;
}
