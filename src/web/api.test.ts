import { describe, expect, it } from 'vitest';
import { landscape } from './api.ts';
import { bulkCurve, spectrumCsv } from './spectrum.ts';

describe('worker landscape', () => {
  it('puts the threshold states at the bulk edge with the BBP outlier at −(θ−σ)²/θ (THEORY §4.1)', () => {
    // p = 3, Δp = 1, 1/Δ2 = 3: σ = √(3 + 2) = √5, θ = 3 (independent closed forms).
    const r = landscape({ p: 3, delta2: 1 / 3, deltap: 1 });
    const sigma = Math.sqrt(5);
    // Tolerances: closed forms evaluated in double precision, a few ulps apart.
    expect(r.spectrum.sigma).toBeCloseTo(sigma, 14);
    expect(r.threshold.mu).toBeCloseTo(2 * sigma, 13);
    expect(r.spectrum.bulkLower).toBeCloseTo(0, 13);
    expect(r.spectrum.outlier!).toBeCloseTo(-((3 - sigma) ** 2) / 3, 13);
    expect(r.spectrum.outlierOverlap!).toBeCloseTo(1 - 5 / 9, 13);
    // Σ_th = ½ ln(q2/q1) − (q2 − q1)/(q2 + q1) with q1 = f'(1) = 4, q2 = f''(1) = 5.
    expect(r.threshold.complexity).toBeCloseTo(0.5 * Math.log(5 / 4) - 1 / 9, 13);
  });

  it('has no outlier below the GF threshold and Σ_min(0) equal to Σ_th there', () => {
    // 1/Δ2 = 1.5 < 2 = 1/Δ2^GF at p = 3, Δp = 1.
    const r = landscape({ p: 3, delta2: 1 / 1.5, deltap: 1 });
    expect(r.spectrum.outlier).toBeNull();
    // m = 0 is the middle grid point; there μ_min = 2σ is the maximiser, so Σ_min(0) = Σ_th
    // (two independent code paths of THEORY §4.2; agreement to rounding).
    const mid = (r.m.length - 1) / 2;
    expect(r.m[mid]).toBe(0);
    expect(r.complexity[mid]).toBeCloseTo(r.threshold.complexity, 12);
    // The signal minimum has Σ = 0 (THEORY §4.2 check) and lies on the grid's range.
    expect(r.signal).not.toBeNull();
    expect(r.signal!.m).toBeGreaterThan(0);
    expect(r.signal!.m).toBeLessThan(1);
  });

  it('samples a normalised semicircle for the bulk', () => {
    const s = landscape({ p: 4, delta2: 0.5, deltap: 2 }).spectrum;
    const bulk = bulkCurve(s);
    let area = 0;
    for (let i = 1; i < bulk.length; i++)
      area += 0.5 * (bulk[i].density + bulk[i - 1].density) * (bulk[i].lambda - bulk[i - 1].lambda);
    // Trapezoid on a semicircle: the square-root edges cost O(h^{3/2}) ≈ (1/240)^{1.5} ≈ 3e-4.
    expect(area).toBeCloseTo(1, 3);
    expect(bulk[0].lambda).toBeCloseTo(0, 12);
    const csv = spectrumCsv(s).trim().split('\n');
    expect(csv[0]).toBe('part,lambda,density,outlier_overlap_sq');
    expect(csv).toHaveLength(1 + bulk.length + (s.outlier === null ? 0 : 1));
  });
});
