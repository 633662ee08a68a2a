import { describe, expect, it } from 'vitest';
import { symmetricEigenvalues } from '../linalg/index.ts';
import { Rng } from '../random/index.ts';
import { spikedCovariance } from './covariance.ts';
import { sampleInstance } from './instance.ts';
import { gradient, lagrangeMultiplier, riemannianHessian } from './loss.ts';
import { randomPointOnSphere } from './sphere.ts';

/**
 * THEORY §4.1: on the tangent space the Riemannian Hessian is μ I − M − θ v vᵀ with M
 * a GOE matrix of semicircle radius 2σ, σ = √f''(1). At a random point (m ≈ 0,
 * θ = 1/Δ2 ≤ σ here, so no BBP outlier) the bulk is [μ − 2σ, μ + 2σ].
 */
describe('Riemannian Hessian spectrum at random points (THEORY §4.1)', () => {
  const cases = [
    { n: 400, p: 3, delta2: 1, deltap: 1, precision: 'float64' as const },
    { n: 140, p: 4, delta2: Number.POSITIVE_INFINITY, deltap: 0.5, precision: 'float32' as const },
  ];
  for (const c of cases) {
    it(`bulk edges at μ ± 2√f''(1): p=${c.p} N=${c.n} Δ2=${c.delta2} Δp=${c.deltap}`, () => {
      const inst = sampleInstance({ ...c, seed: 31 });
      const x = randomPointOnSphere(c.n, Rng.fromSeed(32));
      const g = new Float64Array(c.n);
      gradient(inst, x, g);
      const mu = lagrangeMultiplier(x, g);
      const hess = riemannianHessian(inst, x);
      // Move the radial null eigenvalue (eigenvector x) far above the bulk, then drop it.
      const shift = 1e3;
      for (let i = 0; i < c.n; i++)
        for (let j = 0; j < c.n; j++) hess[i * c.n + j] += (shift * x[i] * x[j]) / c.n;
      const all = symmetricEigenvalues(c.n, hess);
      expect(Math.abs(all[c.n - 1] - shift)).toBeLessThan(1e-6 * shift);
      const tangent = all.subarray(0, c.n - 1);
      const sigma = Math.sqrt(spikedCovariance(c).d2f(1));
      // Extreme eigenvalues of a GOE matrix are Tracy–Widom (β = 1) on the scale σ N^{−2/3}:
      // mean ≈ 1.21 units inside the edge, sd ≈ 1.27 units; allow the mean plus 4 sd.
      const tol = (1.21 + 4 * 1.27) * sigma * c.n ** (-2 / 3);
      expect(Math.abs(tangent[0] - (mu - 2 * sigma))).toBeLessThan(tol);
      expect(Math.abs(tangent[c.n - 2] - (mu + 2 * sigma))).toBeLessThan(tol);
      // Semicircle variance: mean of (λ − μ)² over the bulk is σ² up to O(1/N).
      let m2 = 0;
      for (const l of tangent) m2 += (l - mu) ** 2;
      m2 /= c.n - 1;
      // The zero diagonal and the excluded repeated indices shift it by ≈ −(p+1)/N (measured
      // −5/N and −8/N for these cases); fluctuations of (1/N) tr M² are O(√2/N); allow 20/N.
      expect(Math.abs(m2 / sigma ** 2 - 1)).toBeLessThan(20 / c.n);
    });
  }
});
