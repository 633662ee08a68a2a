/**
 * One-dimensional minimisation: golden-section search and Brent's method
 * (parabolic interpolation safeguarded by golden sections), plus a grid scan that
 * locates every local maximum. Used for Σ_min(m) = max_μ Σ(m, μ) and for the
 * maximisation over the overlap in the trivialisation threshold (THEORY §4.2).
 */

/** Result of a one-dimensional minimisation. */
export interface MinimumResult {
  /** Location of the minimum. */
  readonly x: number;
  /** Value of the function there. */
  readonly value: number;
  /** Number of function evaluations used. */
  readonly evaluations: number;
}

/** Options of {@link brentMinimize} and {@link goldenSectionMinimize}. */
export interface MinimizeOptions {
  /** Absolute tolerance on x (default 1e-10). Below ~√ε·|x| the value is flat to rounding. */
  readonly tol?: number;
  /** Maximum number of iterations (default 500). */
  readonly maxIter?: number;
}

const GOLD = (3 - Math.sqrt(5)) / 2; // 0.381966…: the golden-section fraction.

/**
 * Minimum of a unimodal `f` on `[a, b]` by golden-section search (linear convergence,
 * robust; no derivative or smoothness needed).
 * @example
 * goldenSectionMinimize((x) => (x - 1) ** 2, -3, 4).x; // ≈ 1
 */
export function goldenSectionMinimize(
  f: (x: number) => number,
  a: number,
  b: number,
  options: MinimizeOptions = {},
): MinimumResult {
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 500;
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  let x1 = lo + GOLD * (hi - lo);
  let x2 = hi - GOLD * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  let evaluations = 2;
  for (let iter = 0; iter < maxIter && hi - lo > tol; iter++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = lo + GOLD * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = hi - GOLD * (hi - lo);
      f2 = f(x2);
    }
    evaluations++;
  }
  return f1 <= f2 ? { x: x1, value: f1, evaluations } : { x: x2, value: f2, evaluations };
}

/**
 * Minimum of `f` on `[a, b]` by Brent's method: parabolic steps where `f` is smooth,
 * golden sections otherwise. Finds a local minimum; the global one if `f` is unimodal
 * on the interval. Endpoint minima are approached to within `tol`.
 * @example
 * brentMinimize((x) => Math.cos(x), 2, 4).x; // ≈ π
 */
export function brentMinimize(
  f: (x: number) => number,
  a: number,
  b: number,
  options: MinimizeOptions = {},
): MinimumResult {
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 500;
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  // x: best point so far; w: second best; v: previous w.
  let x = lo + GOLD * (hi - lo);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let evaluations = 1;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    const xm = 0.5 * (lo + hi);
    const tol1 = Math.sqrt(Number.EPSILON) * Math.abs(x) + tol / 3;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (hi - lo)) break;
    let golden = true;
    if (Math.abs(e) > tol1) {
      // Parabola through (v, fv), (w, fw), (x, fx).
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let pNum = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) pNum = -pNum;
      else q = -q;
      const eOld = e;
      if (Math.abs(pNum) < Math.abs(0.5 * q * eOld) && pNum > q * (lo - x) && pNum < q * (hi - x)) {
        e = d;
        d = pNum / q;
        const u = x + d;
        if (u - lo < tol2 || hi - u < tol2) d = xm >= x ? tol1 : -tol1;
        golden = false;
      }
    }
    if (golden) {
      e = x >= xm ? lo - x : hi - x;
      d = GOLD * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    evaluations++;
    if (fu <= fx) {
      if (u >= x) lo = x;
      else hi = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) lo = u;
      else hi = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return { x, value: fx, evaluations };
}

/** A local maximum found by {@link localMaxima}. */
export interface LocalMaximum {
  /** Location. */
  readonly x: number;
  /** Value of the function there. */
  readonly value: number;
  /** True if the maximum sits on an end of the interval (the function still rises outwards). */
  readonly atBoundary: boolean;
}

/**
 * Every local maximum of `f` on `[a, b]`: scan a uniform grid of `points` intervals,
 * then refine each discrete maximum with {@link brentMinimize} on its two neighbouring
 * cells. Maxima narrower than the grid spacing can be missed.
 * @example
 * localMaxima(Math.sin, 0, 10, { points: 100 }).map((m) => m.x); // ≈ [π/2, 5π/2]
 */
export function localMaxima(
  f: (x: number) => number,
  a: number,
  b: number,
  options: MinimizeOptions & { readonly points?: number } = {},
): LocalMaximum[] {
  const n = options.points ?? 200;
  const xs = new Float64Array(n + 1);
  const fs = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) {
    xs[i] = i === n ? b : a + ((b - a) * i) / n;
    fs[i] = f(xs[i]);
  }
  const neg = (x: number) => -f(x);
  const out: LocalMaximum[] = [];
  for (let i = 0; i <= n; i++) {
    const left = i > 0 ? fs[i - 1] : Number.NEGATIVE_INFINITY;
    const right = i < n ? fs[i + 1] : Number.NEGATIVE_INFINITY;
    if (!(fs[i] >= left && fs[i] > right) && !(fs[i] > left && fs[i] >= right)) continue;
    if (i === 0 || i === n) {
      // Refine inside the end cell; keep the end point if the function still rises outwards.
      const inner = i === 0 ? xs[1] : xs[n - 1];
      const r = brentMinimize(neg, Math.min(xs[i], inner), Math.max(xs[i], inner), options);
      const atEnd = -r.value <= fs[i];
      out.push(
        atEnd ? { x: xs[i], value: fs[i], atBoundary: true } : { x: r.x, value: -r.value, atBoundary: false },
      );
    } else {
      const r = brentMinimize(neg, xs[i - 1], xs[i + 1], options);
      out.push(
        -r.value >= fs[i]
          ? { x: r.x, value: -r.value, atBoundary: false }
          : { x: xs[i], value: fs[i], atBoundary: false },
      );
    }
  }
  return out;
}
