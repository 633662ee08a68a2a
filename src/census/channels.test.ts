import { describe, expect, it } from 'vitest';
import { censusTestOptions, enumerateStationaryPoints } from '../../test/helpers/enumeration.ts';
import { gradientFlowEndState } from '../dmft/index.ts';
import { complexityMinima } from '../landscape/index.ts';
import { channelCovariance, sampleInstance } from '../model/index.ts';
import { runCensus } from './census.ts';

// A census of a three-channel model (matrix + order 3 + order 4, issue 15) against the exact
// enumeration of its stationary points at tiny N (dense derivatives of every channel written out
// term by term, Newton on the Lagrange system), and the Kac–Rice side with the general covariance.

const overlapOf = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s / a.length;
};

describe('census of a three-channel model (2 + 3 + 4) against the exact enumeration', () => {
  for (const { n, seed, chi } of [
    { n: 5, seed: 2, chi: 2 },
    { n: 6, seed: 5, chi: 0 },
  ]) {
    it(`N = ${n}, seed ${seed}: Morse count χ(S^${n - 1}) = ${chi}; every minimum found, indices agree`, async () => {
      const inst = sampleInstance({
        n,
        p: 3,
        delta2: 0.5,
        deltap: 0.5,
        extraTensors: [{ order: 4, delta: 0.5 }],
        seed,
      });
      expect(inst.extraTensors?.[0].tensor.length).toBe((n * (n - 1) * (n - 2) * (n - 3)) / 24);
      const exact = enumerateStationaryPoints(inst, 6000);
      // The enumeration is complete: Σ_k (−1)^k #index-k = χ(S^{N−1}) (Morse).
      expect(exact.reduce((a, q) => a + (q.index % 2 === 0 ? 1 : -1), 0)).toBe(chi);
      const exactMinima = exact.filter((q) => q.index === 0);
      const census = await runCensus(inst, { ...censusTestOptions(seed), randomStarts: 80, dt: 0.04 });
      expect(census.endPoints.every((e) => e.endClass !== 'unconverged')).toBe(true);
      const found = census.distinct.filter((d) => d.index === 0);
      // The same minima (80 uniform starts miss a basin only if it covers < ~4 % of the sphere;
      // a miss shows as a count mismatch).
      expect(found.length).toBe(exactMinima.length);
      for (const q of exactMinima)
        expect(census.endPoints.some((e) => e.index === 0 && overlapOf(e.x, q.x) > 1 - 1e-9)).toBe(true);
      // Every end point is one of the enumerated points with its index (saddles included).
      for (const e of census.endPoints) {
        const q = exact.find((r) => overlapOf(r.x, e.x) > 1 - 1e-9);
        expect(q?.index).toBe(e.index);
      }
    }, 30_000);
  }

  it('Kac–Rice with the general covariance: Σ_min = 0 at the GF end state (THEORY §4.2)', () => {
    const cov = channelCovariance([
      { order: 2, delta: 0.5 },
      { order: 3, delta: 2 },
      { order: 4, delta: 4 },
    ]);
    const end = gradientFlowEndState(cov)!;
    // The signal minimum is unique (complexity 0) and Σ_min < 0 just beside it: 1e-9 is the
    // accuracy of the end-state root (Brent to 1e-14 in m, Σ quadratic around it).
    expect(Math.abs(complexityMinima(cov, end.m).complexity)).toBeLessThan(1e-9);
    expect(complexityMinima(cov, end.m + 0.02).complexity).toBeLessThan(0);
  });
});
