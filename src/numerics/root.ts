/**
 * One-dimensional root finding: Brent's method (bisection safeguarding inverse
 * quadratic / secant steps) and automatic bracketing. The landscape thresholds
 * (THEORY §4.2, §5) are roots of smooth scalar functions whose values near the root
 * are tiny (complexities of 1e-4…1e-3), so the stopping rule is on the bracket width,
 * not on |f|.
 */

/** Options of {@link brentRoot}. */
export interface RootOptions {
  /** Absolute tolerance on x (default 1e-13 plus 4 ulp of |x|). */
  readonly tol?: number;
  /** Maximum number of iterations (default 200). */
  readonly maxIter?: number;
}

/** Thrown when a root finder is given a bad bracket or fails to converge. */
export class RootNotFoundError extends Error {
  override readonly name = 'RootNotFoundError';
}

/**
 * A root of `f` in `[a, b]` where `f(a)` and `f(b)` have opposite signs (or one is 0),
 * by Brent's method: superlinear on smooth functions, never worse than bisection.
 * @example
 * brentRoot((x) => x * x - 2, 0, 2); // ≈ 1.4142135623730951
 */
export function brentRoot(f: (x: number) => number, a: number, b: number, options: RootOptions = {}): number {
  const tol = options.tol ?? 1e-13;
  const maxIter = options.maxIter ?? 200;
  let fa = f(a);
  let fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (!(Number.isFinite(fa) && Number.isFinite(fb))) {
    throw new RootNotFoundError(
      `brentRoot: f is not finite at the bracket ends (f(${a})=${fa}, f(${b})=${fb})`,
    );
  }
  if (fa * fb > 0) {
    throw new RootNotFoundError(`brentRoot: no sign change on [${a}, ${b}] (f=${fa}, ${fb})`);
  }
  // Invariant: b is the best estimate, c the previous b with f(c) of opposite sign to f(b).
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < maxIter; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      // Interpolation step: secant if only two distinct points, inverse quadratic otherwise.
      const s = fb / fa;
      let pNum: number;
      let q: number;
      if (a === c) {
        pNum = 2 * xm * s;
        q = 1 - s;
      } else {
        const qa = fa / fc;
        const r = fb / fc;
        pNum = s * (2 * xm * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (pNum > 0) q = -q;
      else pNum = -pNum;
      // Accept the step only if it stays well inside the bracket and shrinks fast enough.
      if (2 * pNum < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = pNum / q;
      } else {
        d = xm;
        e = d;
      }
    } else {
      d = xm;
      e = d;
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol1 ? d : xm > 0 ? tol1 : -tol1;
    fb = f(b);
    if (!Number.isFinite(fb)) throw new RootNotFoundError(`brentRoot: f(${b}) is not finite`);
  }
  throw new RootNotFoundError(`brentRoot: no convergence in ${maxIter} iterations`);
}

/** Options of {@link findBracket}. */
export interface BracketOptions {
  /** Initial step away from x0 (default 0.1·max(1, |x0|)). */
  readonly step?: number;
  /** Factor by which the step grows at each expansion (default 1.6). */
  readonly growth?: number;
  /** Lower limit of the search (default −Infinity). */
  readonly lo?: number;
  /** Upper limit of the search (default +Infinity). */
  readonly hi?: number;
  /** Maximum number of expansions (default 60). */
  readonly maxIter?: number;
}

/**
 * An interval `[a, b]` around `x0` on which `f` changes sign, found by expanding
 * geometrically in both directions (clipped to `[lo, hi]`); `null` if none is found.
 * @example
 * const [a, b] = findBracket((x) => x - 7, 0)!;
 * a <= 7 && 7 <= b; // true
 */
export function findBracket(
  f: (x: number) => number,
  x0: number,
  options: BracketOptions = {},
): [number, number] | null {
  const lo = options.lo ?? Number.NEGATIVE_INFINITY;
  const hi = options.hi ?? Number.POSITIVE_INFINITY;
  const growth = options.growth ?? 1.6;
  const maxIter = options.maxIter ?? 60;
  let step = options.step ?? 0.1 * Math.max(1, Math.abs(x0));
  let a = Math.min(Math.max(x0, lo), hi);
  let b = a;
  const f0 = f(a);
  if (f0 === 0) return [a, a];
  let fa = f0;
  let fb = f0;
  for (let iter = 0; iter < maxIter; iter++) {
    const na = Math.max(lo, a - step);
    const nb = Math.min(hi, b + step);
    if (nb !== b) {
      const fnb = f(nb);
      if (Number.isFinite(fnb) && fnb * fb <= 0) return [b, nb];
      if (Number.isFinite(fnb)) fb = fnb;
      b = nb;
    }
    if (na !== a) {
      const fna = f(na);
      if (Number.isFinite(fna) && fna * fa <= 0) return [na, a];
      if (Number.isFinite(fna)) fa = fna;
      a = na;
    }
    if (a === lo && b === hi) return null;
    step *= growth;
  }
  return null;
}

/**
 * Every sign change of `f` on a uniform grid of `points` intervals over `[a, b]`,
 * each refined by {@link brentRoot}. Roots closer than the grid spacing, or where f
 * touches 0 without changing sign, can be missed: choose the grid accordingly.
 * @example
 * allRoots(Math.sin, 0.5, 10, { points: 200 }); // ≈ [π, 2π, 3π]
 */
export function allRoots(
  f: (x: number) => number,
  a: number,
  b: number,
  options: RootOptions & { readonly points?: number } = {},
): number[] {
  const n = options.points ?? 200;
  const roots: number[] = [];
  let x0 = a;
  let f0 = f(a);
  for (let i = 1; i <= n; i++) {
    const x1 = i === n ? b : a + ((b - a) * i) / n;
    const f1 = f(x1);
    if (f0 === 0) roots.push(x0);
    else if (f0 * f1 < 0) roots.push(brentRoot(f, x0, x1, options));
    x0 = x1;
    f0 = f1;
  }
  if (f0 === 0) roots.push(x0);
  return roots;
}
