/**
 * Storage of the adaptive time-doubling grid (THEORY §3): the lower triangles of C and χ with
 * their interval averages, the one-time arrays, decimation that merges averages exactly, and
 * snapshots for step rejection. The solver is in `adaptiveGrid.ts`.
 */

/** Offset of row i in a contiguous lower triangle. */
export const rowStart = (i: number): number => (i * (i + 1)) / 2;

/**
 * Average over [x1, x2] (`right`) or [x0, x1] (`!right`) of the parabola through (x0,y0),
 * (x1,y1), (x2,y2). With equal spacing and `right` it is (−y0 + 8y1 + 5y2)/12.
 */
export function parabolaAverage(
  x0: number,
  x1: number,
  x2: number,
  y0: number,
  y1: number,
  y2: number,
  right: boolean,
): number {
  const a = x1 - x0;
  const b = x2 - x1;
  const c2 = ((y2 - y1) / b + (y0 - y1) / a) / (a + b);
  const c1 = (y2 - y1) / b - c2 * b;
  return right ? y1 + (c1 * b) / 2 + (c2 * b * b) / 3 : y1 - (c1 * a) / 2 + (c2 * a * a) / 3;
}

/** Divided difference (Γ(a) − Γ(b))/(a − b), the mean of Γ' over [b, a]; Γ'(mid) when a ≈ b. */
export function meanOf(
  gamma: (c: number) => number,
  deriv: (c: number) => number,
  a: number,
  b: number,
): number {
  const d = a - b;
  if (Math.abs(d) < 1e-7) return deriv(0.5 * (a + b));
  return (gamma(a) - gamma(b)) / d;
}

export class Grid {
  readonly cap: number;
  n = 0; // index of the last node
  /** Step of the uniform recent part of the grid. */
  h = 0;
  readonly t: Float64Array;
  readonly m: Float64Array;
  /** μ at the nodes (for the predictor of the error estimate). */
  readonly mu: Float64Array;
  /** Interval average of m over [t_{l−1}, t_l]. */
  readonly mbar: Float64Array;
  readonly C: Float64Array;
  readonly X: Float64Array;
  readonly Ch: Float64Array;
  readonly Xh: Float64Array;
  readonly Cv: Float64Array;
  readonly Xv: Float64Array;
  /** First row solved on the current grid (after the last doubling or thinning). */
  ageFrom = 0;
  /**
   * Drift of the near-diagonal band per unit time and unit lag, ∂t C(t, t − τ)/τ and the same
   * for χ (THEORY §3: aging), last measured on the first solved lag (RowSolver `ageBand`).
   */
  ageC = 0;
  ageX = 0;
  /** Time of the row on which `ageC`, `ageX` were last measured. */
  ageAt = 0;

  constructor(cap: number) {
    this.cap = cap;
    const size = rowStart(cap + 1);
    this.t = new Float64Array(cap + 1);
    this.m = new Float64Array(cap + 1);
    this.mu = new Float64Array(cap + 1);
    this.mbar = new Float64Array(cap + 1);
    this.C = new Float64Array(size);
    this.X = new Float64Array(size);
    this.Ch = new Float64Array(size);
    this.Xh = new Float64Array(size);
    this.Cv = new Float64Array(size);
    this.Xv = new Float64Array(size);
  }

  /** Make this grid an exact copy of `g` (same capacity), for step rejection. */
  copyFrom(g: Grid): void {
    const k = g.n + 1;
    const s = rowStart(k);
    this.n = g.n;
    this.h = g.h;
    this.ageFrom = g.ageFrom;
    this.ageC = g.ageC;
    this.ageX = g.ageX;
    this.ageAt = g.ageAt;
    for (const key of ['t', 'm', 'mu', 'mbar'] as const) this[key].set(g[key].subarray(0, k));
    for (const key of ['C', 'X', 'Ch', 'Xh', 'Cv', 'Xv'] as const) this[key].set(g[key].subarray(0, s));
  }

  /** Keep every other node counting back from the last one, and the first (the step doubles). */
  halve(): void {
    const keep = new Uint8Array(this.n + 1);
    for (let i = this.n; i >= 0; i -= 2) keep[i] = 1;
    keep[0] = 1;
    this.compact(keep);
    this.h *= 2;
  }

  /**
   * Aging-aware thinning of the far history, the step unchanged: drops up to `count` nodes,
   * never two neighbours, never one of the `recent` last nodes, choosing those whose merged
   * interval is shortest relative to its distance from the present (C(t, t') varies in t' on the
   * scale of t − t' while aging, THEORY §3), so the old history ends up on a geometric grid.
   * With `fromStart` the distance is the smaller of that and t' itself: for t' ≪ t, C(t, t')
   * varies on the scale of t' (aging: a function of t'/t; and the transient after the start), so
   * the earliest history is kept on a geometric grid too (used at T = 0, and at T > 0 while
   * m ≈ 0; src/dmft/README.md, "Thinning from both ends", "T > 0: thinning"). Returns the number
   * of nodes dropped.
   */
  thin(count: number, recent: number, fromStart = false): number {
    const n = this.n;
    const t = this.t;
    const last = n - recent;
    const candidates: { r: number; ratio: number }[] = [];
    for (let r = 1; r < last; r++) {
      const distance = fromStart ? Math.min(t[n] - t[r + 1], t[r - 1]) : t[n] - t[r + 1];
      candidates.push({ r, ratio: (t[r + 1] - t[r - 1]) / Math.max(distance, 1e-300) });
    }
    candidates.sort((a, b) => a.ratio - b.ratio);
    const keep = new Uint8Array(n + 1).fill(1);
    let dropped = 0;
    for (const { r } of candidates) {
      if (dropped >= count) break;
      if (!keep[r - 1] || !keep[r + 1]) continue;
      keep[r] = 0;
      dropped++;
    }
    if (dropped > 0) this.compact(keep);
    return dropped;
  }

  /**
   * Drop every node whose `keep` flag is false (never two neighbours, never the first or last),
   * merging the interval averages of the two intervals around each dropped node with length
   * weights: the merged average is the exact average over the union.
   */
  compact(keep: Uint8Array): void {
    const n = this.n;
    const { t, m, mu, mbar, C, X, Ch, Xh, Cv, Xv } = this;
    // Step 1, horizontal averages and mbar: a dropped node r merges row r into row r+1.
    // Step 2, vertical averages: a dropped column r merges into column r+1. Both done in place
    // before renumbering.
    for (let r = 1; r < n; r++) {
      if (keep[r]) continue;
      const la = t[r] - t[r - 1];
      const lb = t[r + 1] - t[r];
      const wa = la / (la + lb);
      const wb = 1 - wa;
      mbar[r + 1] = wa * mbar[r] + wb * mbar[r + 1];
      const or = rowStart(r);
      const on = rowStart(r + 1);
      for (let j = 0; j < r; j++) {
        Ch[on + j] = wa * Ch[or + j] + wb * Ch[on + j];
        Xh[on + j] = wa * Xh[or + j] + wb * Xh[on + j];
      }
      for (let i = r + 1; i <= n; i++) {
        const oi = rowStart(i);
        Cv[oi + r + 1] = wa * Cv[oi + r] + wb * Cv[oi + r + 1];
        Xv[oi + r + 1] = wa * Xv[oi + r] + wb * Xv[oi + r + 1];
      }
    }
    // Renumber: rows and columns of kept nodes, in increasing order (in place is safe since the
    // new index never exceeds the old one).
    let ni = 0;
    for (let i = 0; i <= n; i++) {
      if (!keep[i]) continue;
      const oi = rowStart(i);
      const on = rowStart(ni);
      let nj = 0;
      for (let j = 0; j <= i; j++) {
        if (!keep[j]) continue;
        C[on + nj] = C[oi + j];
        X[on + nj] = X[oi + j];
        Ch[on + nj] = Ch[oi + j];
        Xh[on + nj] = Xh[oi + j];
        Cv[on + nj] = Cv[oi + j];
        Xv[on + nj] = Xv[oi + j];
        nj++;
      }
      t[ni] = t[i];
      m[ni] = m[i];
      mu[ni] = mu[i];
      mbar[ni] = mbar[i];
      ni++;
    }
    this.n = ni - 1;
    this.ageFrom = ni;
  }
}
