import { describe, expect, it } from 'vitest';
import { progressStatus, runOutcome } from './outcome.ts';
import type { DynamicsResult, DynamicsStatus } from './types.ts';

const run = (status: DynamicsStatus, n: number): DynamicsResult => {
  const t = Float64Array.from({ length: n }, (_, k) => k);
  return { t, m: t, mu: t, energy: t, stats: { status, steps: n, storedFloats: 0 } };
};

describe('runOutcome', () => {
  it('keeps the prefix of a partial adaptive run, with the time reached', () => {
    expect(runOutcome(run('ok', 5))).toEqual({ status: 'ok', reached: 4 });
    expect(runOutcome(run('partial', 5))).toEqual({ status: 'partial', reached: 4 });
    expect(runOutcome(run('partial', 1)).status).toBe('failed');
    expect(runOutcome(run('unstable', 3))).toEqual({ status: 'failed', reached: 2 });
    expect(runOutcome(run('not-converged', 3)).status).toBe('failed');
    expect(runOutcome(run('stopped', 3)).status).toBe('stopped');
  });
});

describe('progressStatus', () => {
  it('shows t, m, μ and e', () => {
    expect(progressStatus(12.5, 0.1, 3.9, -1.2)).toBe('t = 12.50, m = 0.1000, μ = 3.900, e = -1.200');
    expect(progressStatus(1, 0.5)).toBe('t = 1.000, m = 0.5000');
  });
});
