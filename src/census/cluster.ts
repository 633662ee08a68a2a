/**
 * Distinct points among descent end points, by overlap, and the counting statistics a census
 * reports: the Chao1 lower-bound estimate of the number of distinct minima (unseen ones
 * included) and fixed-bin histograms.
 */

/**
 * Greedy clustering by overlap: point b joins the first representative a with
 * `x_a·x_b/N > 1 − epsilon` (the SIGNED overlap: x and −x are distinct stationary points, as in
 * the Kac–Rice count of THEORY §4.2, even when H(−x) = H(x) for even p). Returns a cluster id per
 * point (0, 1, … in order of first appearance) and the representative of each cluster.
 * @example
 * clusterByOverlap([Float64Array.of(1, 1), Float64Array.of(1, 1.001), Float64Array.of(-1, -1)], 1e-3);
 * // { ids: [0, 0, 1], representatives: [0, 2] }
 */
export function clusterByOverlap(
  points: readonly Float64Array[],
  epsilon: number,
): { ids: number[]; representatives: number[] } {
  if (!(epsilon > 0 && epsilon < 1)) throw new RangeError(`epsilon must be in (0, 1), got ${epsilon}`);
  const ids: number[] = [];
  const representatives: number[] = [];
  for (let b = 0; b < points.length; b++) {
    const xb = points[b];
    const n = xb.length;
    let id = -1;
    for (let c = 0; c < representatives.length && id < 0; c++) {
      const xa = points[representatives[c]];
      let s = 0;
      for (let i = 0; i < n; i++) s += xa[i] * xb[i];
      if (s / n > 1 - epsilon) id = c;
    }
    if (id < 0) {
      id = representatives.length;
      representatives.push(b);
    }
    ids.push(id);
  }
  return { ids, representatives };
}

/**
 * Chao1 estimate of the number of classes from how often each observed class was hit
 * (`S + f1²/(2 f2)`, or the bias-corrected `S + f1(f1−1)/2` when no class was seen twice),
 * f1, f2 the numbers of classes seen once and twice. A lower bound on the richness under
 * unequal sampling probabilities (here: basin sizes).
 * @example
 * chao1([1, 1, 2, 5]); // 4 + 2²/(2·1) = 6
 */
export function chao1(hits: readonly number[]): number {
  const s = hits.length;
  const f1 = hits.filter((h) => h === 1).length;
  const f2 = hits.filter((h) => h === 2).length;
  return f2 > 0 ? s + (f1 * f1) / (2 * f2) : s + (f1 * (f1 - 1)) / 2;
}

/** A histogram with equal bins on [lo, hi]. */
export interface Histogram {
  readonly lo: number;
  readonly hi: number;
  readonly counts: number[];
}

/**
 * Equal-width histogram of the finite values (bins on [min, max], or a unit-width range around a
 * single value); null when there is no finite value.
 * @example
 * histogram([0, 1, 1, 2], 2); // { lo: 0, hi: 2, counts: [1, 3] }
 */
export function histogram(values: readonly number[], bins: number): Histogram | null {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return null;
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor(((x - lo) / (hi - lo)) * bins))]++;
  return { lo, hi, counts };
}
