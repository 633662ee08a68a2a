/**
 * The census README's claim that `reproduce` draws the pure 4-spin trend of its table "to every
 * digit": the table was measured with `saddlesurf census --p 4 --delta2 inf --deltap 1 --n N
 * --descents 150 --signal-starts 0 --instances 4 --seed 1`. Here the reproduce stage with the
 * full preset's trend settings, at the cheapest row (N = 10; the others cost N⁴ as much), gives
 * the numbers of that `census` run bit for bit and the table's printed digits.
 */
import { describe, expect, it } from 'vitest';
import { tasks } from '../tasks/index.ts';
import { censusStage } from './censusStage.ts';
import { FULL, QUICK } from './config.ts';

/** The N = 10 row of the 4-spin table in src/census/README.md, as printed there. */
const TABLE_ROW = { n: 10, distinctMinima: '20.25', sigma: '0.301', sigmaChao1: '0.302', nGap: '2.51' };

describe('the census README table and the reproduce stage', () => {
  it('N = 10 row: the stage (full preset settings) equals `census` and the printed table', async () => {
    const trend = { ...FULL.census!.trend, ns: [TABLE_ROW.n] };
    expect(trend).toMatchObject({ p: 4, deltap: 1, invDelta2: 0, seeds: [1, 2, 3, 4], descents: 150 });
    const stage = censusStage({ ...QUICK.census!, trend }, () => {});
    const rows = (stage.keyNumbers as { trend: { rows: { n: number; sigmaEstimate: number }[] } }).trend.rows;
    const params = tasks.census.validate({
      n: TABLE_ROW.n,
      p: 4,
      delta2: 'inf',
      deltap: 1,
      seed: 1,
      instances: 4,
      descents: 150,
      'signal-starts': 0,
    });
    const s = (await tasks.census.execute(params)).document.summary;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.sigmaEstimate).toBe(s.sigmaEstimate);
    // The printed digits of the table (three decimals for Σ, two for N·gap).
    expect(String(s.distinctMinimaMean)).toBe(TABLE_ROW.distinctMinima);
    expect(s.sigmaEstimate.toFixed(3)).toBe(TABLE_ROW.sigma);
    expect(s.sigmaChao1.toFixed(3)).toBe(TABLE_ROW.sigmaChao1);
    expect((TABLE_ROW.n * s.gap).toFixed(2)).toBe(TABLE_ROW.nGap);
  }, 30_000);
});
