import { describe, expect, it } from 'vitest';
import { DYNAMICS_CSV_COLUMNS, dynamicsCsv } from './dynamicsCsv.ts';

/** A two-point run with the provenance a task records (`params.json` and the command line). */
const run = (m: number, parameters: Record<string, unknown>, seed: number | undefined, command: string) => ({
  t: Float64Array.of(0, 1),
  m: Float64Array.of(m, 2 * m),
  energy: Float64Array.of(0, -1),
  mu: Float64Array.of(0, 2),
  provenance: {
    document: { saddlesurf: '9.9.9', command: 'x', parameters, ...(seed === undefined ? {} : { seed }) },
    command,
  },
});
const model = { p: 3, delta2: 1 / 3, deltap: 1, m0: 0.01, tmax: 1 };

describe('the explorer dynamics CSV', () => {
  it('is nothing before a run has finished', () => {
    expect(dynamicsCsv(undefined, undefined)).toBeUndefined();
  });

  it("carries each run's parameters, seed, version and command line from its task on every row", () => {
    const large = run(0.01, model, undefined, 'saddlesurf dmft --p 3');
    const finite = run(0.02, { n: 50, ...model }, 7, 'saddlesurf sample --n 50 && saddlesurf flow --seed 7');
    const lines = dynamicsCsv(large, finite)!.trim().split('\n');
    expect(lines[0]).toBe(DYNAMICS_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe('large_n,inf,3,1,3,0.01,1,,9.9.9,saddlesurf dmft --p 3,0,0.01,0,0');
    expect(lines[4]).toBe(
      'finite_n,50,3,1,3,0.01,1,7,9.9.9,saddlesurf sample --n 50 && saddlesurf flow --seed 7,1,0.04,-1,2',
    );
  });
});
