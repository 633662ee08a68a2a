import { describe, expect, it } from 'vitest';
import { VERSION } from '../version.ts';
import { DYNAMICS_CSV_COLUMNS, dynamicsCsv } from './dynamicsCsv.ts';

const view = { p: 3, deltap: 1, invDelta2: 3, m0: 0.01, tmax: 1, n: 50, seed: 7 } as const;
const run = (m: number) => ({
  t: Float64Array.of(0, 1),
  m: Float64Array.of(m, 2 * m),
  energy: Float64Array.of(0, -1),
  mu: Float64Array.of(0, 2),
});

describe('the explorer dynamics CSV', () => {
  it('is nothing before a run has finished', () => {
    expect(dynamicsCsv(view, undefined, undefined)).toBeUndefined();
  });

  it('carries the model, m0, t_max, the finite-N seed and the version on every row', () => {
    const lines = dynamicsCsv(view, run(0.01), run(0.02))!.trim().split('\n');
    expect(lines[0]).toBe(DYNAMICS_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(`large_n,inf,3,1,3,0.01,1,,${VERSION},0,0.01,0,0`);
    expect(lines[4]).toBe(`finite_n,50,3,1,3,0.01,1,7,${VERSION},1,0.04,-1,2`);
  });
});
