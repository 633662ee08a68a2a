import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../linalg/index.ts';
import {
  gradient,
  lagrangeMultiplier,
  pointAtOverlap,
  riemannianHessian,
  sampleInstance,
  sphereObjective,
} from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { probeHessian } from './hessianProbe.ts';
import { diagonalQuadratic } from './testObjectives.ts';

describe('probeHessian', () => {
  it('at the minimum of ½ Σ a_i x_i² gives the tangent gap a_1 − a_0 and its eigenvector e_1', () => {
    const n = 40;
    const a = Float64Array.from({ length: n }, (_, i) => 1 + i * i * 0.01);
    const x = new Float64Array(n);
    x[0] = Math.sqrt(n);
    // μ = −x·∇H/N = −a_0 at x = √N e_0.
    const signal = new Float64Array(n);
    signal[1] = Math.sqrt(n);
    const r = probeHessian(diagonalQuadratic(a), x, -a[0], signal);
    // Exact arithmetic problem, Lanczos to tolerance 1e-7 · ‖T‖ on an isolated eigenvalue.
    expect(r.lambdaMin).toBeCloseTo(a[1] - a[0], 8);
    expect(r.signalOverlap).toBeCloseTo(1, 8);
    expect(r.converged).toBe(true);
  });

  it('agrees with the dense Riemannian Hessian of the spiked model (second method)', () => {
    const n = 60;
    const inst = sampleInstance({ n, p: 3, delta2: 0.5, deltap: 1, seed: 3 });
    const objective = sphereObjective(inst);
    for (const m0 of [0.2, 0.9]) {
      const x = pointAtOverlap(inst.signal, m0, Rng.fromSeed(4));
      const g = new Float64Array(n);
      gradient(inst, x, g);
      const mu = lagrangeMultiplier(x, g);
      const probe = probeHessian(objective, x, mu, inst.signal);
      // Dense: P(∇²H + μ)P has a spurious eigenvalue 0 along x; lift it out of the way by + c x xᵀ/N.
      const dense = riemannianHessian(inst, x);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) dense[i * n + j] += (1e3 * x[i] * x[j]) / n;
      const { values, vectors } = symmetricEigen(n, dense);
      const u = Float64Array.from({ length: n }, (_, i) => vectors[i * n]);
      // Signal direction: tangent part of x*, normalised.
      let xs = 0;
      for (let i = 0; i < n; i++) xs += x[i] * inst.signal[i];
      const v = Float64Array.from({ length: n }, (_, i) => inst.signal[i] - (xs / n) * x[i]);
      let uv = 0;
      let vv = 0;
      for (let i = 0; i < n; i++) {
        uv += u[i] * v[i];
        vv += v[i] * v[i];
      }
      // Lanczos residual ≤ 1e-7·‖T‖ (‖T‖ ~ 10): eigenvalue error ≲ 1e-6, overlap error ≲ 1e-5
      // (eigenvector error ~ residual/gap with a gap of order 0.1 at N = 60).
      expect(Math.abs(probe.lambdaMin - values[0])).toBeLessThan(1e-6);
      expect(Math.abs(probe.signalOverlap - (uv * uv) / vv)).toBeLessThan(1e-4);
    }
  });

  it('is deterministic and reports NaN overlap without a signal', () => {
    const a = Float64Array.from({ length: 20 }, (_, i) => Math.cos(i));
    const x = new Float64Array(20).fill(1);
    const r1 = probeHessian(diagonalQuadratic(a), x, 0.3);
    const r2 = probeHessian(diagonalQuadratic(a), x, 0.3);
    expect(r1).toEqual(r2);
    expect(Number.isNaN(r1.signalOverlap)).toBe(true);
  });
});
