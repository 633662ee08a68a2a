/**
 * Quadrature for the integrands of the landscape theory (THEORY §4): square-root
 * edges of the semicircle law and logarithmic singularities `ln|z − s|`.
 *
 * - {@link integrate}: double-exponential (tanh–sinh) quadrature, split at
 *   user-given breakpoints. The substitution `x = c + h·tanh(π/2·sinh t)` pushes the
 *   nodes doubly exponentially towards the ends of each piece, so integrable end-point
 *   singularities (x^{−1/2}, ln x, √x) converge quickly; a singularity inside the
 *   interval must be given as a breakpoint.
 * - {@link integrateSemicircle}: Gauss–Chebyshev quadrature of the second kind, exact
 *   for polynomials against the semicircle weight (degree ≤ 2n − 1).
 */

/** Options of {@link integrate}. */
export interface IntegrateOptions {
  /** Points inside `(a, b)` where the integrand is singular or kinked; the interval is split there. */
  readonly breakpoints?: ReadonlyArray<number>;
  /** Relative tolerance (default 1e-12). */
  readonly tol?: number;
  /** Absolute tolerance (default 1e-15). */
  readonly absTol?: number;
  /** Maximum number of step halvings (default 12). */
  readonly maxLevel?: number;
}

/** Result of {@link integrateWithError}. */
export interface IntegralResult {
  /** The integral. */
  readonly value: number;
  /** Error estimate: the change between the last two refinement levels, summed over pieces. */
  readonly error: number;
  /** Number of integrand evaluations. */
  readonly evaluations: number;
}

const HALF_PI = Math.PI / 2;
// Beyond |t| = 4.2 the node distance to the ends, ~e^{−π sinh t}, is below 1e-90: negligible.
const T_MAX = 4.2;

/** tanh–sinh on one finite piece [a, b] with integrand regular inside. */
function tanhSinh(
  f: (x: number) => number,
  a: number,
  b: number,
  tol: number,
  absTol: number,
  maxLevel: number,
): IntegralResult {
  const c = 0.5 * (a + b);
  const h = 0.5 * (b - a);
  let evaluations = 0;
  // Contribution of the node pair ±t (or the centre t = 0), weights included.
  const term = (t: number): number => {
    if (t === 0) {
      evaluations++;
      return h * HALF_PI * f(c);
    }
    const u = HALF_PI * Math.sinh(t);
    const e2u = Math.exp(-2 * u);
    // Distance to the end, computed without cancellation: h (1 − tanh u) = 2h e^{−2u}/(1 + e^{−2u}).
    const d = (2 * h * e2u) / (1 + e2u);
    const cu = Math.cosh(u);
    const w = (h * HALF_PI * Math.cosh(t)) / (cu * cu);
    let s = 0;
    const xr = b - d;
    const xl = a + d;
    if (xr < b && xr > a) {
      s += w * f(xr);
      evaluations++;
    }
    if (xl > a && xl < b) {
      s += w * f(xl);
      evaluations++;
    }
    return s;
  };
  let step = 0.5;
  let sum = term(0);
  for (let k = 1; k * step <= T_MAX; k++) sum += term(k * step);
  let estimate = step * sum;
  let error = Number.POSITIVE_INFINITY;
  for (let level = 1; level <= maxLevel; level++) {
    step /= 2;
    // Only the new (odd) nodes are evaluated at each halving.
    for (let k = 1; k * step <= T_MAX; k += 2) sum += term(k * step);
    const next = step * sum;
    error = Math.abs(next - estimate);
    estimate = next;
    // tanh–sinh roughly doubles the number of correct digits per level, so once the
    // change is below the tolerance the new estimate is far more accurate still.
    if (level >= 3 && error <= Math.max(absTol, tol * Math.abs(estimate))) break;
  }
  return { value: estimate, error, evaluations };
}

/**
 * `∫_a^b f(x) dx` with an error estimate; see {@link integrate}.
 * @example
 * integrateWithError((x) => Math.log(x), 0, 1).value; // ≈ −1
 */
export function integrateWithError(
  f: (x: number) => number,
  a: number,
  b: number,
  options: IntegrateOptions = {},
): IntegralResult {
  if (!(Number.isFinite(a) && Number.isFinite(b))) throw new RangeError('integrate: limits must be finite');
  if (a === b) return { value: 0, error: 0, evaluations: 0 };
  if (a > b) {
    const r = integrateWithError(f, b, a, options);
    return { ...r, value: -r.value };
  }
  const tol = options.tol ?? 1e-12;
  const absTol = options.absTol ?? 1e-15;
  const maxLevel = options.maxLevel ?? 12;
  const cuts = [a, ...(options.breakpoints ?? []).filter((x) => x > a && x < b).sort((x, y) => x - y), b];
  let value = 0;
  let error = 0;
  let evaluations = 0;
  for (let i = 0; i + 1 < cuts.length; i++) {
    if (cuts[i + 1] === cuts[i]) continue;
    const r = tanhSinh(f, cuts[i], cuts[i + 1], tol, absTol / (cuts.length - 1), maxLevel);
    value += r.value;
    error += r.error;
    evaluations += r.evaluations;
  }
  return { value, error, evaluations };
}

/**
 * `∫_a^b f(x) dx` by tanh–sinh quadrature, split at `breakpoints`; integrable
 * singularities at `a`, `b` and the breakpoints are allowed (f is never evaluated
 * exactly there).
 * @example
 * integrate((x) => 1 / Math.sqrt(x), 0, 4); // ≈ 4
 * integrate((x) => Math.log(Math.abs(x - 0.3)), 0, 1, { breakpoints: [0.3] }); // ≈ 0.3 ln 0.3 + 0.7 ln 0.7 − 1
 */
export function integrate(
  f: (x: number) => number,
  a: number,
  b: number,
  options: IntegrateOptions = {},
): number {
  return integrateWithError(f, a, b, options).value;
}

/** Options of {@link integrateSemicircle}. */
export interface SemicircleOptions {
  /** Centre of the semicircle (default 0). */
  readonly center?: number;
  /** Radius R > 0 of the support `[center − R, center + R]` (default 2: the unit-variance GOE law). */
  readonly radius?: number;
  /** Relative tolerance for the node doubling (default 1e-13). */
  readonly tol?: number;
  /** Maximum number of doublings from 7 nodes (default 14). */
  readonly maxLevel?: number;
}

/**
 * `∫ g(s) ρ(s) ds` against the semicircle density
 * `ρ(s) = 2/(πR²) · √(R² − (s−c)²)` by Gauss–Chebyshev quadrature of the second kind,
 * doubling the nodes (they nest) until converged. Exact for polynomial g of degree
 * ≤ 2n − 1 with n nodes; for g singular inside the support use {@link integrate} instead.
 * @example
 * integrateSemicircle((s) => s * s); // 1: the second moment of the radius-2 semicircle
 */
export function integrateSemicircle(g: (s: number) => number, options: SemicircleOptions = {}): number {
  const c = options.center ?? 0;
  const r = options.radius ?? 2;
  if (!(r > 0)) throw new RangeError(`integrateSemicircle: radius must be > 0, got ${r}`);
  const tol = options.tol ?? 1e-13;
  const maxLevel = options.maxLevel ?? 14;
  // With n + 1 = 2^k the nodes are θ_i = iπ/2^k; going from k to k + 1 adds the odd i.
  // Weight of each node: π/(n+1) · sin²θ_i times the 2/π of the normalised density.
  let k = 3;
  let raw = 0;
  for (let i = 1; i < 1 << k; i++) {
    const th = (i * Math.PI) / (1 << k);
    const s = Math.sin(th);
    raw += s * s * g(c + r * Math.cos(th));
  }
  let estimate = (2 * raw) / (1 << k);
  for (let level = 1; level <= maxLevel; level++) {
    k++;
    for (let i = 1; i < 1 << k; i += 2) {
      const th = (i * Math.PI) / (1 << k);
      const s = Math.sin(th);
      raw += s * s * g(c + r * Math.cos(th));
    }
    const next = (2 * raw) / (1 << k);
    const change = Math.abs(next - estimate);
    estimate = next;
    if (change <= tol * Math.max(1, Math.abs(estimate))) break;
  }
  return estimate;
}
