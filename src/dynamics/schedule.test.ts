import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { observationSteps, observationTimes } from './schedule.ts';

describe('observationTimes', () => {
  it('linear and log schedules start at 0, end exactly at tmax and increase strictly', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom('linear' as const, 'log' as const),
        (tmax, count, spacing) => {
          const t = observationTimes(tmax, { spacing, count });
          expect(t.length).toBe(count + 1);
          expect(t[0]).toBe(0);
          expect(t[count]).toBe(tmax);
          for (let k = 1; k <= count; k++) expect(t[k]).toBeGreaterThan(t[k - 1]);
        },
      ),
    );
  });

  it('log spacing has a constant ratio from tmin', () => {
    const t = observationTimes(1000, { spacing: 'log', count: 4, tmin: 1 });
    // 1, 10, 100, 1000 computed through exp/log: equal to ~1e-13 relative.
    [0, 1, 10, 100, 1000].forEach((v, k) => {
      expect(t[k]).toBeCloseTo(v, 10);
    });
  });

  it('rejects bad input', () => {
    expect(() => observationTimes(0, { spacing: 'linear', count: 3 })).toThrow(/tmax/);
    expect(() => observationTimes(1, { spacing: 'linear', count: 0 })).toThrow(/count/);
    expect(() => observationTimes(1, { spacing: 'log', count: 3, tmin: 2 })).toThrow(/tmin/);
  });
});

describe('observationSteps', () => {
  it('rounds to the nearest step, drops duplicates and keeps the final step', () => {
    expect(observationSteps(Float64Array.of(0, 0.26, 0.3, 1), 0.1)).toEqual([0, 3, 10]);
    const steps = observationSteps(observationTimes(7, { spacing: 'log', count: 50 }), 0.5);
    expect(steps.at(-1)).toBe(14);
    for (let k = 1; k < steps.length; k++) expect(steps[k]).toBeGreaterThan(steps[k - 1]);
  });
});
