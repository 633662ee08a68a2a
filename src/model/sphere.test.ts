import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { overlap, pointAtOverlap, randomPointOnSphere } from './sphere.ts';

const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, v, i) => s + v * b[i], 0);

describe('points on the sphere (THEORY §1, §2)', () => {
  it('randomPointOnSphere has |x|² = N and is deterministic in the seed', () => {
    const x = randomPointOnSphere(500, Rng.fromSeed(1));
    expect(Math.abs(dot(x, x) - 500)).toBeLessThan(1e-10);
    expect(Array.from(randomPointOnSphere(500, Rng.fromSeed(1)))).toEqual(Array.from(x));
  });

  it('random points have overlap ~ N(0, 1/N) with a fixed direction (uniformity)', () => {
    // For x uniform on the sphere, √N·m is asymptotically N(0,1): E = 0, Var = 1 (exactly 1 at any N:
    // E[(x·e)²] = |x|²/N = 1 for a unit vector e, since the coordinates are exchangeable).
    const n = 50;
    const k = 4000;
    const rng = Rng.fromSeed(2);
    const e = new Float64Array(n).fill(1);
    let s = 0;
    let s2 = 0;
    for (let r = 0; r < k; r++) {
      const z = Math.sqrt(n) * overlap(randomPointOnSphere(n, rng), e);
      s += z;
      s2 += z * z;
    }
    // Standard errors 1/√k (mean) and ≈√(2/k) (second moment); 4 of them.
    expect(Math.abs(s / k)).toBeLessThan(4 / Math.sqrt(k));
    expect(Math.abs(s2 / k - 1)).toBeLessThan(4 * Math.sqrt(2 / k));
  });

  it('pointAtOverlap lies on the sphere at the requested overlap, uniformly around the signal', () => {
    const n = 40;
    const signal = randomPointOnSphere(n, Rng.fromSeed(3));
    const rng = Rng.fromSeed(4);
    for (const m0 of [-1, -0.4, 0, 1e-3, 0.5, 1]) {
      const x = pointAtOverlap(signal, m0, rng);
      expect(Math.abs(dot(x, x) - n)).toBeLessThan(1e-10);
      expect(Math.abs(overlap(x, signal) - m0)).toBeLessThan(1e-13);
    }
    // The orthogonal part is isotropic: its mean over many draws vanishes.
    const k = 2000;
    const mean = new Float64Array(n);
    for (let r = 0; r < k; r++) {
      const x = pointAtOverlap(signal, 0.6, rng);
      for (let i = 0; i < n; i++) mean[i] += (x[i] - 0.6 * signal[i]) / k;
    }
    // Each coordinate of the orthogonal part has variance ≈ (1−m0²) = 0.64; its k-mean has sd 0.8/√k.
    for (let i = 0; i < n; i++) expect(Math.abs(mean[i])).toBeLessThan((5 * 0.8) / Math.sqrt(k));
    expect(() => pointAtOverlap(signal, 1.5, rng)).toThrow(RangeError);
  });
});
