import { describe, expect, it } from 'vitest';
import type { EndPoint } from '../census/index.ts';
import { tasks } from '../tasks/index.ts';
import { censusStage, classHistograms } from './censusStage.ts';
import { QUICK } from './config.ts';

// The census stage of reproduce (issue 15) against the `census` task run independently with the
// same seeds (the caption promises that `saddlesurf census --seed S` reproduces each number).

describe('census stage', () => {
  const config = QUICK.census!;
  const r = censusStage(config, () => {});
  const keys = r.keyNumbers as {
    landscape: { counts: Record<string, number>; distinctMinima: number[] };
    trend: { rows: { n: number; sigmaEstimate: number; distinctMinimaMean: number; kacRice: number }[] };
  };

  it('the landscape counts and distinct minima are those of `census` with the same seed', async () => {
    const L = config.landscape;
    const params = tasks.census.validate({
      n: L.n,
      p: L.p,
      delta2: 1 / L.invDelta2,
      deltap: L.deltap,
      seed: L.seeds[0],
      instances: L.seeds.length,
      descents: L.descents,
      'signal-starts': L.signalStarts,
      m0: L.m0,
    });
    const out = await tasks.census.execute(params);
    const doc = out.document;
    expect(keys.landscape.counts).toEqual(doc.summary.counts);
    expect(keys.landscape.distinctMinima).toEqual(doc.instances.map((s) => s.distinctMinima));
    const total = Object.values(keys.landscape.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(L.seeds.length * (L.descents + 2 * L.signalStarts));
  }, 30_000);

  it('the trend rows are `census` runs across N (pure 4-spin: Σ̂ above Kac–Rice, falling with N)', async () => {
    const T = config.trend;
    const n = T.ns[1]!;
    const params = tasks.census.validate({
      n,
      p: T.p,
      delta2: 'inf',
      deltap: T.deltap,
      seed: T.seeds[0],
      instances: T.seeds.length,
      descents: T.descents,
      'signal-starts': 0,
    });
    const doc = (await tasks.census.execute(params)).document;
    const row = keys.trend.rows.find((q) => q.n === n)!;
    expect(row.sigmaEstimate).toBe(doc.summary.sigmaEstimate);
    expect(row.kacRice).toBe(doc.summary.kacRice);
    // Σ_KR = 0.0493 for the pure 4-spin at Δp = 1 (src/census/README.md); the census lies above
    // it at these N (prefactor e^{2–3}) and comes down as N grows.
    expect(row.kacRice).toBeCloseTo(0.0493, 4);
    const sigmas = keys.trend.rows.map((q) => q.sigmaEstimate);
    for (const [k, s] of sigmas.entries()) {
      expect(s).toBeGreaterThan(row.kacRice);
      if (k > 0) expect(s).toBeLessThan(sigmas[k - 1]!);
    }
  }, 30_000);

  it('the histograms count every end point once per observable, on common bins', () => {
    const points = r.tables.find((t) => t.name === 'end-points')!.rows;
    const h = classHistograms(
      points.map(
        (row) => ({ m: row[3], energy: row[4], lambdaMin: row[7], endClass: row[8] }) as unknown as EndPoint,
      ),
      config.bins,
    );
    for (const o of ['m', 'energy', 'lambdaMin'] as const) {
      const rows = h.filter((q) => q.observable === o);
      expect(rows.reduce((a, q) => a + q.count, 0)).toBe(points.length);
      // Equal values (the end points of one minimum) fall into one bin, not split at an edge.
      const widths = rows.map((q) => q.hi - q.lo);
      expect(Math.min(...widths)).toBeGreaterThan(0);
    }
    // Two equal values and one far away: the equal ones share a bin.
    const same = classHistograms(
      [0.5, 0.5, 0.5].map(
        (m) => ({ m, energy: -1, lambdaMin: 1, endClass: 'signal' }) as unknown as EndPoint,
      ),
      16,
    );
    expect(same.filter((q) => q.observable === 'energy' && q.count > 0).map((q) => q.count)).toEqual([3]);
    expect(r.caption).toMatch(/THEORY §4\.2/);
    expect(r.caption).toMatch(/finite-N gap/);
  });
});
