/**
 * Finite-N cross-check of the landscape predictions (THEORY §4.1, §4.2) against an actual
 * gradient flow on a sampled instance (src/model, src/dynamics): the Hessian at the point
 * where the flow stops is compared with `hessianSpectrum` at that point's (m, μ), and the
 * point itself with `signalMinimum`.
 */
import { describe, expect, it } from 'vitest';
import { runDescent } from '../dynamics/index.ts';
import { symmetricEigenvalues } from '../linalg/index.ts';
import {
  gradient,
  lagrangeMultiplier,
  pointAtOverlap,
  randomPointOnSphere,
  riemannianHessian,
  sampleInstance,
  sphereObjective,
  spikedCovariance,
} from '../model/index.ts';
import { Rng } from '../random/index.ts';
import {
  bulkDeficitCoefficient,
  finiteNBulkEdges,
  finiteNBulkVariance,
  TRACY_WIDOM_GOE_SD,
} from './finiteN.ts';
import { hessianSpectrum } from './hessian.ts';
import { signalMinimum } from './signal.ts';

describe('landscape vs a finite-N gradient flow (p = 3, Δp = 1, 1/Δ2 = 3.5, N = 150)', () => {
  const params = { p: 3, delta2: 1 / 3.5, deltap: 1 };
  const n = 150;
  const cov = spikedCovariance(params);
  const predicted = signalMinimum(cov)!;

  it('the lowest Hessian eigenvalue where the flow stops is the finite-N bulk edge', () => {
    const inst = sampleInstance({ n, ...params, seed: 7 });
    // Start at m0 = 0.3 so that the flow reaches the signal minimum quickly: the check is about the
    // landscape at the end point, not about escaping the m = 0 plateau.
    const x0 = pointAtOverlap(inst.signal, 0.3, Rng.fromSeed(70));
    const run = runDescent(sphereObjective(inst), x0, {
      method: 'gf',
      tmax: 30,
      dt: 1,
      rtol: 1e-5,
      signal: inst.signal,
      hessianEvery: 0,
      schedule: { spacing: 'linear', count: 60 },
      gradientTolerance: 1e-4,
    });
    const end = run.observations.at(-1)!;
    expect(run.converged).toBe(true);
    // The point is the signal minimum up to finite-N fluctuations of the overlap, O(N^{-1/2}) ≈ 0.08;
    // the spread over seeds in the dynamics tests is well inside 0.1.
    expect(Math.abs(end.m - predicted.m)).toBeLessThan(0.1);
    // μ fluctuates like the loss, O(√((q1+q2)/N)); 4 standard deviations.
    expect(Math.abs(end.mu - predicted.mu)).toBeLessThan(4 * Math.sqrt((cov.df(1) + cov.d2f(1)) / n));

    // THEORY §4.1 at the measured (m, μ): θ(m) < σ, so no outlier and λ_min = μ − 2σ.
    const h = hessianSpectrum(cov, end.m, end.mu);
    expect(h.outlier).toBeNull();
    // Finite-N prediction (finiteN.ts): the bulk variance deficit f''(1)(1 − c/N) of the
    // distinct-index model (c = 3.45 here) and the Tracy–Widom mean put λ_min on average
    // 1.86 units of σ N^{−2/3} above μ − 2σ. GF end points sit higher still and spread more
    // than TW1 (sd 1.27) alone: measured here (N = 150, m0 = 0.3, x0 seed 10·seed) over seeds
    // 1–16 except 7 with each sampler (30 instances), (λ_min − edge)/unit = 1.2 ± 1.4. This
    // instance must lie within 4 spreads of that offset. (Formerly |λ_min − edge| < 4 units,
    // which 2 of the 32 instances exceed: seed 7's polar instance (2.0) passed by luck, its
    // ziggurat one sits at 4.3.)
    const [offset, spread] = [1.2, 1.4];
    const edge = finiteNBulkEdges(cov, n, end.mu);
    expect(Math.abs(end.lambdaMin - edge.lowerMean - offset * edge.twUnit)).toBeLessThan(
      4 * spread * edge.twUnit,
    );
    // A bulk eigenvector has O(1/N) squared overlap with the signal direction (vs 1 − σ²/θ² for an outlier).
    expect(end.lambdaMinOverlap).toBeLessThan(0.2);
    // And the same against the large-N signal minimum itself (adds the μ fluctuation above).
    const atPredicted = finiteNBulkEdges(cov, n, predicted.mu).lowerMean + offset * edge.twUnit;
    expect(Math.abs(end.lambdaMin - atPredicted)).toBeLessThan(
      4 * spread * edge.twUnit + 4 * Math.sqrt((cov.df(1) + cov.d2f(1)) / n),
    );
    expect(end.lambdaMin).toBeGreaterThan(0);
  });
});

/**
 * The numerical experiment behind finiteN.ts (README "Finite-N Hessian bulk"): tangent
 * Hessians at uniformly random points of independent p = 3 pure-tensor instances (Δp = 1),
 * the setting of the lead's numpy measurement (tr(M²)/(N−1) = 1.886 vs f''(1) = 2 at N = 100).
 */
describe('finite-N bulk of the distinct-index model (p = 3, Δ2 = ∞, Δp = 1, N = 100)', () => {
  const n = 100;
  const params = { p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1 };
  const cov = spikedCovariance(params);
  const samples = Array.from({ length: 12 }, (_, r) => {
    const inst = sampleInstance({ n, ...params, seed: 300 + r });
    const x = randomPointOnSphere(n, Rng.fromSeed(400 + r));
    const g = new Float64Array(n);
    gradient(inst, x, g);
    const mu = lagrangeMultiplier(x, g);
    const hess = riemannianHessian(inst, x);
    // Move the radial null direction far above the bulk, then drop it.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hess[i * n + j] += (1e3 * x[i] * x[j]) / n;
    const tangent = symmetricEigenvalues(n, hess).subarray(0, n - 1);
    let m2 = 0;
    for (const l of tangent) m2 += (l - mu) ** 2;
    const edges = finiteNBulkEdges(cov, n, mu);
    return {
      deficit: n * (1 - m2 / (n - 1) / cov.d2f(1)),
      low: (tangent[0] - edges.lowerMean) / edges.twUnit,
      high: (tangent[n - 2] - edges.upperMean) / edges.twUnit,
    };
  });
  const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

  it('the second moment is f″(1)(1 − c/N) with c = 6 to first order, 5.79 exactly at N = 100', () => {
    // p = 3 by hand (w = 2/(Δp N²), j = 1, expectations over x uniform on the sphere):
    // E tr M² = w(N−1)(N−2)N, E|Mx|² = 4w(N−2) E e_2, E(xᵀMx)² = 36w E e_3, with
    // E e_j = C(N, j) N^j / (N(N+2)⋯(N+2j−2)).
    const t1 = (2 * (n - 1) * (n - 2)) / n;
    const t2 = (4 * (n - 1) * (n - 2)) / (n + 2);
    const t3 = ((2 / n ** 2) * 36 * ((n * (n - 1) * (n - 2)) / 6) * n ** 3) / (n * (n + 2) * (n + 4));
    const exact = (t1 - (2 * t2) / n + t3 / n ** 2) / (n - 1);
    expect(finiteNBulkVariance(cov, n)).toBeCloseTo(exact, 13);
    expect(exact).toBeCloseTo(1.8842, 4); // the lead's numpy measurement: 1.886
    expect(bulkDeficitCoefficient(3)).toBe(6);
    const c = n * (1 - exact / cov.d2f(1));
    expect(Math.abs(c - 6)).toBeLessThan(0.3); // O(1/N) beyond first order
    // At a given point the exact e_j(x²) enter; averaged over uniform points they give the
    // sphere expectation (200 points: the spread of σ_N² over points is O(N^{-2}), 1e-4 covers it).
    const rng = Rng.fromSeed(9);
    let avg = 0;
    for (let r = 0; r < 200; r++)
      avg += finiteNBulkVariance(cov, n, { point: randomPointOnSphere(n, rng) }) / 200;
    expect(avg).toBeCloseTo(exact, 4);
    // One sample's N(1 − m2/f″) has sd 1.66 (measured over 40 instances: mean 6.12 ± 0.26);
    // the mean of 12 is within 3 standard errors (1.44) of c. Without the correction it
    // would be 0, i.e. 12 standard errors away.
    expect(Math.abs(mean(samples.map((s) => s.deficit)) - c)).toBeLessThan(1.5);
  });

  it('the extreme eigenvalues sit at the corrected edges plus the Tracy–Widom mean, to ~1 TW unit', () => {
    // Measured over 40 instances: λ_min 0.31 ± 0.19 and λ_max −0.38 ± 0.17 units from the
    // prediction (sd 1.17 and 1.09, as TW1's 1.27); against the uncorrected edge μ − 2σ λ_min
    // was 2.8 units up. The mean of 12 must be within 1 unit (bias 0.4 plus 2 standard errors).
    expect(Math.abs(mean(samples.map((s) => s.low)))).toBeLessThan(1);
    expect(Math.abs(mean(samples.map((s) => s.high)))).toBeLessThan(1);
    // Single samples: within 4 sd of TW1 (its right tail is the longer one).
    for (const s of samples) {
      expect(Math.abs(s.low)).toBeLessThan(4 * TRACY_WIDOM_GOE_SD);
      expect(Math.abs(s.high)).toBeLessThan(4 * TRACY_WIDOM_GOE_SD);
    }
  });
});
