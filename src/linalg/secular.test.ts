import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { symmetricEigenvalues } from './eigen.ts';
import { secularRoots, secularVectors } from './secular.ts';
import { type SecularExports, secularBody } from './secularWasm.ts';
import { lazyKernel } from './wasmKernel.ts';

const EPS = 2 ** -52;
const instantiate = lazyKernel<SecularExports>(() => ({ secular: secularBody() }));

describe('secular equation of D + ρ z zᵀ', () => {
  it('roots = eigenvalues of the dense matrix; WebAssembly sums = JavaScript to rounding; vectors orthonormal', () => {
    const K = 61; // odd: the SIMD kernel's scalar tail runs too
    const rng = Rng.fromSeed(4);
    const d = Float64Array.from({ length: K }, () => rng.normal()).sort();
    // two close poles (1e-9 apart) stress the choice of origin
    d[30] = d[29] + 1e-9;
    d.sort();
    const z = Float64Array.from({ length: K }, () => rng.normal());
    const norm = Math.hypot(...z);
    for (let j = 0; j < K; j++) z[j] /= norm;
    const rho = 0.7;
    const dense = new Float64Array(K * K);
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) dense[i * K + j] = (i === j ? d[i] : 0) + rho * z[i] * z[j];
    const exact = symmetricEigenvalues(K, dense);
    const scale = Math.max(Math.abs(d[0]), Math.abs(d[K - 1])) + rho;

    const lambda = new Float64Array(K);
    const delta = new Float64Array(K * K);
    secularRoots(K, d, z, rho, lambda, delta);
    // both backward stable (‖D + ρ z zᵀ‖ ≤ scale): within 10·K·ε·scale
    for (let i = 0; i < K; i++) expect(Math.abs(lambda[i] - exact[i])).toBeLessThan(10 * K * EPS * scale);
    // delta holds d_j − λ_i, accurate also for the nearest pole
    for (let i = 0; i < K; i++) expect(delta[i * K + i]).toBeLessThan(0);

    const inst = instantiate(8 * (K * K + K + 2));
    if (inst !== null) {
      const dw = new Float64Array(inst.buffer, 0, K * K);
      const zw = new Float64Array(inst.buffer, 8 * K * K, K);
      const out = new Float64Array(inst.buffer, 8 * (K * K + K), 2);
      const lw = new Float64Array(K);
      secularRoots(K, d, z, rho, lw, dw, { secular: inst.kernel.secular, z: zw, out });
      // the sums differ by rounding only; a root moves by at most that residual over f′
      for (let i = 0; i < K; i++) expect(Math.abs(lw[i] - lambda[i])).toBeLessThan(4 * K * EPS * scale);
    }

    const u = new Float64Array(K * K);
    const g = Int32Array.from({ length: K }, (_, j) => j);
    secularVectors(K, d, z, delta, g, u, new Float64Array(K));
    // Gu–Eisenstat: orthonormal to working precision (10·K·ε)
    for (let a = 0; a < K; a++)
      for (let b = a; b < K; b++) {
        let s = 0;
        for (let j = 0; j < K; j++) s += u[j * K + a] * u[j * K + b];
        expect(Math.abs(s - (a === b ? 1 : 0))).toBeLessThan(10 * K * EPS);
      }
  });
});
