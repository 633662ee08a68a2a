import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { integrate } from '../numerics/index.ts';
import { Rng } from '../random/index.ts';
import { bulkDensity, hessianSpectrum } from './hessian.ts';

/**
 * Finite-N Hessian of THEORY §4.1: `μ I − M − θ v vᵀ` with M a GOE matrix of semicircle
 * radius 2σ (off-diagonal variance σ²/N, diagonal 2σ²/N) and v = e₁ (GOE is rotation
 * invariant). Returns the lowest eigenvalue and the squared overlap of its eigenvector with v.
 */
function finiteHessian(n: number, mu: number, sigma: number, theta: number, seed: number) {
  const rng = Rng.fromSeed(seed);
  const a = Matrix.zeros(n, n);
  const s = sigma / Math.sqrt(n);
  for (let i = 0; i < n; i++) {
    a.set(i, i, mu - Math.SQRT2 * s * rng.normal());
    for (let j = i + 1; j < n; j++) {
      const g = -s * rng.normal();
      a.set(i, j, g);
      a.set(j, i, g);
    }
  }
  a.set(0, 0, a.get(0, 0) - theta);
  const evd = new EigenvalueDecomposition(a, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  let k = 0;
  for (let i = 1; i < n; i++) if (values[i] < values[k]) k = i;
  const v0 = evd.eigenvectorMatrix.get(0, k);
  return { lowest: values[k], overlap: v0 * v0 };
}

describe('hessianSpectrum (THEORY §4.1)', () => {
  it('predicts the BBP outlier and its eigenvector overlap of a finite-N random Hessian', () => {
    const n = 400;
    const sigma = 1.3;
    const theta = 2.6; // θ = 2σ: outlier at μ − 2.5σ, overlap 3/4
    const mu = 3;
    const f = { sigma, theta };
    const predictedOutlier = mu - f.theta - (sigma * sigma) / f.theta;
    const sim = finiteHessian(n, mu, sigma, theta, 11);
    // Outlier fluctuations are O(σ N^{-1/2}) ≈ 0.07 here; 0.2 is ~3 standard deviations.
    expect(Math.abs(sim.lowest - predictedOutlier)).toBeLessThan(0.2);
    // The squared overlap fluctuates by O(N^{-1/2}) ≈ 0.05; 0.15 is ~3 standard deviations.
    expect(Math.abs(sim.overlap - (1 - (sigma * sigma) / (theta * theta)))).toBeLessThan(0.15);
  });

  it('gives the bulk edge below the BBP point, with a delocalised lowest eigenvector', () => {
    const sim = finiteHessian(400, 0, 1, 0.5, 12);
    // Edge fluctuations are O(N^{-2/3}) ≈ 0.02 (Tracy–Widom); 0.1 is a wide margin.
    expect(Math.abs(sim.lowest - -2)).toBeLessThan(0.1);
    // A bulk eigenvector has overlap O(1/N) with any fixed direction.
    expect(sim.overlap).toBeLessThan(0.05);
  });

  it('reads σ and θ off the covariance: σ² = f″(1), θ(m) = f″(m)(1 − m²)', () => {
    const f = spikedCovariance({ p: 3, delta2: 0.25, deltap: 2 });
    const h = hessianSpectrum(f, 0.5, 10);
    // Closed forms: f″(1) = 4 + 1 = 5; f″(0.5) = 4 + 0.5 = 4.5; θ = 4.5·0.75 = 3.375.
    expect(h.sigma).toBeCloseTo(Math.sqrt(5), 14);
    expect(h.theta).toBeCloseTo(3.375, 14);
    expect(h.outlier).toBeCloseTo(10 - 3.375 - 5 / 3.375, 13);
    expect(h.lowestEigenvalue).toBe(h.outlier);
    expect(h.bulkLower).toBeCloseTo(10 - 2 * Math.sqrt(5), 13);
    const none = hessianSpectrum(f, 0.99, 10);
    expect(none.outlier).toBeNull();
    expect(none.lowestEigenvalue).toBe(none.bulkLower);
  });

  it('bulk density is normalised with variance σ²', () => {
    const mu = 1.5;
    const sigma = 0.8;
    const rho = (x: number) => bulkDensity(x, mu, sigma);
    // Square-root edges are handled by tanh–sinh: 1e-12.
    expect(integrate(rho, mu - 2 * sigma, mu + 2 * sigma)).toBeCloseTo(1, 12);
    expect(integrate((x) => (x - mu) ** 2 * rho(x), mu - 2 * sigma, mu + 2 * sigma)).toBeCloseTo(
      sigma ** 2,
      12,
    );
    expect(bulkDensity(mu + 3 * sigma, mu, sigma)).toBe(0);
  });
});
