import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { brentMinimize, goldenSectionMinimize, localMaxima } from './minimize.ts';

describe('brentMinimize / goldenSectionMinimize', () => {
  it('locate closed-form minima', () => {
    // A smooth minimum is only determined to ~√ε ≈ 1e-8 relative by function values;
    // tol 1e-10 in x still gives 1e-8 agreement, so precision 7 is safe.
    for (const min of [brentMinimize, goldenSectionMinimize]) {
      expect(min(Math.cos, 2, 4).x).toBeCloseTo(Math.PI, 7);
      expect(min((x) => x * Math.log(x), 0.01, 2).x).toBeCloseTo(Math.exp(-1), 7);
      expect(min((x) => Math.abs(x - 0.25), -1, 1).x).toBeCloseTo(0.25, 8);
    }
  });

  it('agree with each other on random quartics (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -0.9, max: 0.9, noNaN: true }), (c) => {
        // (x − c)⁴ + (x − c)² has its unique minimum at c.
        const f = (x: number) => (x - c) ** 4 + (x - c) ** 2;
        const a = brentMinimize(f, -1, 1);
        const b = goldenSectionMinimize(f, -1, 1);
        // Both are limited by the √ε flatness of the minimum: 1e-7 each.
        return Math.abs(a.x - c) < 1e-7 && Math.abs(b.x - c) < 1e-7;
      }),
      { seed: 20191 },
    );
  });

  it('Brent needs far fewer evaluations than golden section on a smooth function', () => {
    const f = (x: number) => Math.exp(x) - 2 * x;
    const a = brentMinimize(f, -3, 3);
    const b = goldenSectionMinimize(f, -3, 3);
    expect(a.x).toBeCloseTo(Math.LN2, 7);
    expect(a.evaluations).toBeLessThan(b.evaluations);
  });
});

describe('localMaxima', () => {
  it('finds every local maximum of sin, and boundary maxima', () => {
    const m = localMaxima(Math.sin, 0, 10, { points: 50 });
    expect(m.map((x) => x.atBoundary)).toEqual([false, false]);
    expect(m[0].x).toBeCloseTo(Math.PI / 2, 6);
    expect(m[1].x).toBeCloseTo((5 * Math.PI) / 2, 6);
    const edge = localMaxima((x) => -x, 0, 1, { points: 10 });
    expect(edge).toEqual([{ x: 0, value: -0, atBoundary: true }]);
  });
});
