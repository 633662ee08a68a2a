import { describe, expect, it } from 'vitest';
import { Anderson } from './anderson.ts';

describe('Anderson acceleration', () => {
  it('solves a linear contraction much faster than plain iteration', () => {
    // x = A x + b with a slow mode (eigenvalue 0.99): plain iteration needs ~3000 steps for 1e-12.
    const n = 5;
    const diag = [0.99, 0.5, -0.3, 0.9, 0.1];
    const b = Float64Array.from({ length: n }, (_, k) => k + 1);
    const exact = diag.map((d, k) => b[k] / (1 - d));
    const aa = new Anderson(n, 5);
    aa.reset(n);
    const x = new Float64Array(n);
    const w = new Float64Array(n).fill(1);
    let steps = 0;
    for (; steps < 100; steps++) {
      const g = Float64Array.from(x, (v, k) => diag[k] * v + b[k]);
      let r = 0;
      for (let k = 0; k < n; k++) r = Math.max(r, Math.abs(g[k] - x[k]));
      if (r < 1e-12) break;
      aa.step(x, g, w);
    }
    // with depth ≥ number of distinct eigenvalues Anderson is a Krylov method: exact in ~n+1 steps
    expect(steps).toBeLessThan(15);
    for (let k = 0; k < n; k++) expect(x[k]).toBeCloseTo(exact[k], 9);
  });
});
