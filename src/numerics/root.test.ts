import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allRoots, brentRoot, findBracket, RootNotFoundError } from './root.ts';

describe('brentRoot', () => {
  it('finds closed-form roots to near machine precision', () => {
    // Tolerance 1e-13 is the default x-tolerance; the roots are O(1) so rounding adds ~1e-16.
    expect(brentRoot((x) => x * x - 2, 0, 2)).toBeCloseTo(Math.SQRT2, 13);
    expect(brentRoot(Math.cos, 1, 2)).toBeCloseTo(Math.PI / 2, 13);
    expect(brentRoot((x) => Math.exp(x) - 10, -5, 5)).toBeCloseTo(Math.log(10), 13);
  });

  it('handles a function that is flat near the root (x³: bisection fallback)', () => {
    // f = (x−0.3)³ is 1e-39 within 1e-13 of the root; the bracket-width stop still gives 1e-12.
    const r = brentRoot((x) => (x - 0.3) ** 3, -1, 2, { tol: 1e-14 });
    expect(Math.abs(r - 0.3)).toBeLessThan(1e-12);
  });

  it('finds the root of any increasing cubic shifted by c (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }), (c) => {
        const root = Math.cbrt(c);
        const x = brentRoot((t) => t * t * t + t - c - root, -10, 10);
        // x³ + x − (c + ∛c) has the unique real root ∛c; 1e-12 is the default tol plus rounding.
        return Math.abs(x - root) < 1e-12 * (1 + Math.abs(root));
      }),
      { seed: 20191 },
    );
  });

  it('rejects a bracket without sign change', () => {
    expect(() => brentRoot((x) => x * x + 1, -1, 1)).toThrow(RootNotFoundError);
  });
});

describe('findBracket', () => {
  it('expands towards a far root and respects the limits', () => {
    const br = findBracket((x) => x - 1000, 0);
    expect(br).not.toBeNull();
    const [a, b] = br!;
    expect(a <= 1000 && 1000 <= b).toBe(true);
    expect(findBracket((x) => x - 1000, 0, { hi: 10, lo: -10 })).toBeNull();
    const [c, d] = findBracket((x) => Math.log(x) + 20, 1, { lo: 1e-30 })!;
    expect(c <= Math.exp(-20) && Math.exp(-20) <= d).toBe(true);
  });
});

describe('allRoots', () => {
  it('finds every zero of sin on a grid', () => {
    const r = allRoots(Math.sin, 0.5, 10, { points: 100 });
    expect(r).toHaveLength(3);
    // Brent's default tolerance 1e-13.
    for (const [i, x] of r.entries()) expect(x).toBeCloseTo((i + 1) * Math.PI, 12);
  });
});
