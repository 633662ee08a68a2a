import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelCovariance, polynomialCovariance, spikedCovariance } from './covariance.ts';

describe('spikedCovariance (THEORY §1.1)', () => {
  it('matches the closed forms of f, f′, f″ for the 2+p model', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 8 }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.double({ min: 0.05, max: 10, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (p, delta2, deltap, z) => {
          const f = spikedCovariance({ p, delta2, deltap });
          const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * (1 + Math.abs(b));
          return (
            close(f.f(z), z ** 2 / (2 * delta2) + z ** p / (p * deltap)) &&
            close(f.df(z), z / delta2 + z ** (p - 1) / deltap) &&
            close(f.d2f(z), 1 / delta2 + ((p - 1) * z ** (p - 2)) / deltap) &&
            close(f.d3f(z), ((p - 1) * (p - 2) * z ** (p - 3)) / deltap)
          );
        },
      ),
    );
  });

  it('derivatives agree with central finite differences for a mixed covariance', () => {
    const f = polynomialCovariance([
      { order: 2, coefficient: 0.7 },
      { order: 3, coefficient: 0.2 },
      { order: 5, coefficient: 0.05 },
    ]);
    const h = 1e-5;
    for (const z of [-0.9, -0.3, 0, 0.4, 1]) {
      // Central differences have error O(h² f‴) ≈ 1e-10 here; 1e-8 leaves room for rounding (1e-16/h ≈ 1e-11).
      expect((f.f(z + h) - f.f(z - h)) / (2 * h)).toBeCloseTo(f.df(z), 8);
      expect((f.df(z + h) - f.df(z - h)) / (2 * h)).toBeCloseTo(f.d2f(z), 8);
      expect((f.d2f(z + h) - f.d2f(z - h)) / (2 * h)).toBeCloseTo(f.d3f(z), 8);
    }
  });

  it('drops a channel with Δ = ∞ and rejects bad parameters', () => {
    const pureMatrix = spikedCovariance({ p: 3, delta2: 0.5, deltap: Number.POSITIVE_INFINITY });
    expect(pureMatrix.terms).toEqual([{ order: 2, coefficient: 1 }]);
    expect(() => spikedCovariance({ p: 2, delta2: 1, deltap: 1 })).toThrow(/p must be/);
    expect(() => spikedCovariance({ p: 3, delta2: 0, deltap: 1 })).toThrow(/delta2/);
    expect(() =>
      spikedCovariance({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap: Number.POSITIVE_INFINITY }),
    ).toThrow(/no channel/);
    expect(() => channelCovariance([{ order: 2, delta: -1 }])).toThrow(/> 0/);
  });
});
