import { describe, expect, it } from 'vitest';
import { Grid, rowStart } from './adaptiveGridStore.ts';

/** A grid holding F(t, s) = exp(−(t − s)) + t s/100 at nodes t_k = k with exact interval averages. */
function filled(n: number): Grid {
  const F = (t: number, s: number): number => Math.exp(-(t - s)) + (t * s) / 100;
  // exact averages of F over t ∈ [a, b] at fixed s (horizontal) and over s ∈ [a, b] at fixed t (vertical)
  const hAvg = (a: number, b: number, s: number): number =>
    (Math.exp(s - a) - Math.exp(s - b)) / (b - a) + (((a + b) / 2) * s) / 100;
  const vAvg = (t: number, a: number, b: number): number =>
    (Math.exp(b - t) - Math.exp(a - t)) / (b - a) + (t * (a + b)) / 2 / 100;
  const g = new Grid(n);
  g.n = n;
  g.h = 1;
  for (let i = 0; i <= n; i++) {
    g.t[i] = i;
    g.m[i] = i;
    g.mbar[i] = i - 0.5;
    for (let j = 0; j <= i; j++) {
      const o = rowStart(i) + j;
      g.C[o] = F(i, j);
      g.X[o] = F(i, j);
      g.Ch[o] = i > 0 ? hAvg(i - 1, i, j) : 0;
      g.Xh[o] = g.Ch[o];
      g.Cv[o] = j > 0 ? vAvg(i, j - 1, j) : 0;
      g.Xv[o] = g.Cv[o];
    }
  }
  return g;
}

describe('adaptive grid storage (THEORY §3)', () => {
  it('thinning merges the interval averages exactly and keeps the recent part uniform', () => {
    const n = 64;
    const g = filled(n);
    const dropped = g.thin(16, 32);
    expect(dropped).toBe(16);
    expect(g.n).toBe(n - 16);
    // the last 32 intervals are untouched, one step long
    for (let k = g.n - 31; k <= g.n; k++) expect(g.t[k] - g.t[k - 1]).toBe(1);
    // the dropped nodes are the oldest ones relative to their distance from the present: the
    // thinned intervals (length 2) all lie before the untouched ones
    let firstLong = -1;
    for (let k = 1; k <= g.n; k++) if (g.t[k] - g.t[k - 1] === 2 && firstLong < 0) firstLong = k;
    expect(firstLong).toBeGreaterThan(0);
    // averages over merged intervals are the exact averages of F over the union (the
    // length-weighted mean of exact averages is exact): compare with the closed form
    const hExact = (a: number, b: number, s: number): number =>
      (Math.exp(s - a) - Math.exp(s - b)) / (b - a) + (((a + b) / 2) * s) / 100;
    const vExact = (t: number, a: number, b: number): number =>
      (Math.exp(b - t) - Math.exp(a - t)) / (b - a) + (t * (a + b)) / 2 / 100;
    for (let i = 1; i <= g.n; i++)
      for (let j = 0; j <= i; j++) {
        const o = rowStart(i) + j;
        const ti = g.t[i];
        const tj = g.t[j];
        expect(g.C[o]).toBeCloseTo(Math.exp(-(ti - tj)) + (ti * tj) / 100, 13);
        if (j < i) expect(g.Ch[o]).toBeCloseTo(hExact(g.t[i - 1], ti, tj), 13);
        if (j > 0) expect(g.Cv[o]).toBeCloseTo(vExact(ti, g.t[j - 1], tj), 13);
      }
  });

  it('thinning from both ends keeps the earliest history on a geometric grid too (T = 0)', () => {
    // C(t, t′) varies in t′ on the scale of t′ itself for t′ ≪ t (aging, THEORY §3): the
    // distance used is min(t − t′, t′), so the first intervals stay one step long and the merged
    // ones lie in the middle of the history, away from both ends.
    const g = filled(128);
    expect(g.thin(16, 32, true)).toBe(16);
    for (let k = g.n - 31; k <= g.n; k++) expect(g.t[k] - g.t[k - 1]).toBe(1);
    const merged: number[] = [];
    for (let k = 1; k <= g.n; k++) if (g.t[k] - g.t[k - 1] === 2) merged.push(g.t[k]);
    expect(merged.length).toBe(16);
    // the merged intervals sit around the middle t′ ≈ 64, where min(t − t′, t′) is largest
    for (const end of merged) expect(Math.abs(end - 64)).toBeLessThanOrEqual(17);
    // without it, the same call merges the earliest intervals first
    const h = filled(128);
    h.thin(16, 32);
    expect(h.t[2]).toBe(4);
  });

  it('halving keeps the last node and every other one back from it, and a copy is exact', () => {
    const g = filled(33);
    const copy = new Grid(33);
    copy.copyFrom(g);
    g.halve();
    expect(g.t[g.n]).toBe(33);
    expect(g.t[g.n] - g.t[g.n - 1]).toBe(2);
    expect(g.t[0]).toBe(0);
    expect(g.h).toBe(2);
    expect(copy.n).toBe(33);
    expect(copy.C[rowStart(20) + 7]).toBe(Math.exp(-13) + (20 * 7) / 100);
  });
});
