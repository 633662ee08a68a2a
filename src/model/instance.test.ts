import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import {
  DEFAULT_MAX_INSTANCE_BYTES,
  DEFAULT_SAMPLER,
  estimateInstanceBytes,
  MAX_TYPED_ARRAY_LENGTH,
  packedTensorLength,
  sampleInstance,
} from './instance.ts';
import { unpackIndex } from './packed.ts';

const bytesOf = (a: ArrayBufferView | null) =>
  a === null ? null : Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

describe('sampleInstance (THEORY §1)', () => {
  it('is deterministic: same seed, byte-identical instance', () => {
    const o = { n: 30, p: 3, delta2: 0.5, deltap: 2, seed: 123 };
    const a = sampleInstance(o);
    const b = sampleInstance(o);
    expect(bytesOf(a.signal)).toBe(bytesOf(b.signal));
    expect(bytesOf(a.matrix)).toBe(bytesOf(b.matrix));
    expect(bytesOf(a.tensor)).toBe(bytesOf(b.tensor));
    const c = sampleInstance({ ...o, seed: 124 });
    expect(bytesOf(c.signal)).not.toBe(bytesOf(a.signal));
  });

  it('draws the signal, matrix and tensor from separate streams', () => {
    const o = { n: 20, p: 4, delta2: 0.5, deltap: 2, seed: 7 };
    const full = sampleInstance(o);
    const f32 = sampleInstance({ ...o, precision: 'float32' });
    const noMatrix = sampleInstance({ ...o, delta2: Number.POSITIVE_INFINITY });
    const noTensor = sampleInstance({ ...o, deltap: Number.POSITIVE_INFINITY });
    // The signal depends on neither precision nor which channels are on.
    for (const other of [f32, noMatrix, noTensor]) expect(bytesOf(other.signal)).toBe(bytesOf(full.signal));
    expect(bytesOf(noTensor.matrix)).toBe(bytesOf(full.matrix));
    expect(bytesOf(noMatrix.tensor)).toBe(bytesOf(full.tensor));
    expect(noMatrix.matrix).toBeNull();
    expect(noTensor.tensor).toBeNull();
    // float32 is the float64 tensor rounded entry by entry.
    expect(f32.tensor).toBeInstanceOf(Float32Array);
    expect(Array.from(f32.tensor!)).toEqual(Array.from(full.tensor!, Math.fround));
  });

  it.each(['polar', 'ziggurat'] as const)(
    '%s: matrix and tensor noises are uncorrelated, centred, with variances Δ2 and Δp',
    (sampler) => {
      const n = 60;
      const p = 3;
      const delta2 = 0.5;
      const deltap = 2;
      const inst = sampleInstance({ n, p, delta2, deltap, seed: 99, sampler });
      const x = inst.signal;
      const y = inst.matrix!;
      const t = inst.tensor!;
      // Noise = observation minus the planted part of THEORY §1, rescaled to unit variance.
      const matrixNoise: number[] = [];
      for (let i = 0; i < n; i++) {
        expect(y[i * n + i]).toBe(0);
        for (let j = i + 1; j < n; j++) {
          expect(y[j * n + i]).toBe(y[i * n + j]);
          matrixNoise.push((y[i * n + j] - (x[i] * x[j]) / Math.sqrt(n)) / Math.sqrt(delta2));
        }
      }
      const tensorNoise = Array.from(t, (v, r) => {
        const [i, j, k] = unpackIndex(n, p, r);
        return (v - (Math.sqrt(2) / n) * x[i] * x[j] * x[k]) / Math.sqrt(deltap);
      });
      const moments = (z: number[]) => {
        const mean = z.reduce((s, v) => s + v, 0) / z.length;
        const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / z.length;
        return { mean, variance };
      };
      for (const z of [matrixNoise, tensorNoise]) {
        const { mean, variance } = moments(z);
        // Standard errors: 1/√K for the mean, √(2/K) for the variance; allow 4 of them.
        expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(z.length));
        expect(Math.abs(variance - 1)).toBeLessThan(4 * Math.sqrt(2 / z.length));
      }
      // Stream independence: the first K matrix and tensor deviates are uncorrelated
      // (sample correlation of independent normals has standard error 1/√K).
      const k = matrixNoise.length;
      let c = 0;
      for (let r = 0; r < k; r++) c += matrixNoise[r] * tensorNoise[r];
      expect(Math.abs(c / k)).toBeLessThan(4 / Math.sqrt(k));
      // And the signal is on the sphere |x*|² = N.
      expect(Math.abs(x.reduce((s, v) => s + v * v, 0) - n)).toBeLessThan(1e-10);
    },
  );

  it('stores the planted part at the packed position of its tuple, for p = 3, 4 and a generic p = 6', () => {
    for (const [n, p] of [
      [12, 3],
      [11, 4],
      [10, 6],
    ]) {
      // Δ → 0 (noise sd 1e-9) leaves T = √((p−1)!)/N^{(p−1)/2} x*_{i1}⋯x*_{ip} up to 1e-9.
      const inst = sampleInstance({ n, p, delta2: 1, deltap: 1e-18, seed: 1 });
      const t = inst.tensor!;
      expect(t.length).toBe(packedTensorLength(n, p));
      let fact = 1;
      for (let k = 2; k < p; k++) fact *= k;
      const scale = Math.sqrt(fact) / n ** ((p - 1) / 2);
      for (let r = 0; r < t.length; r++) {
        const planted = unpackIndex(n, p, r).reduce((prod, i) => prod * inst.signal[i], scale);
        expect(Math.abs(t[r] - planted)).toBeLessThan(1e-8);
      }
    }
  });
});

describe('sampling progress', () => {
  it('draws with the ziggurat by default (seed map 2); polar keeps the seed map 1 of Rng.normal()', () => {
    const n = 12;
    const inst = sampleInstance({ n, p: 3, delta2: 1, deltap: 1, seed: 5 });
    expect(DEFAULT_SAMPLER).toBe('ziggurat');
    expect(inst.sampler).toBe('ziggurat');
    // Rebuilt by hand: stream 1 matrix noise row by row, stream 2 tensor noise.
    const x = inst.signal;
    const root = Rng.fromSeed(5);
    expect(inst.matrix![1]).toBe((x[0] * x[1]) / Math.sqrt(n) + root.stream(1).zigguratNormal());
    expect(inst.tensor![0]).toBe((Math.sqrt(2) / n) * x[0] * x[1] * x[2] + root.stream(2).zigguratNormal());
    // Version-1 map (every instance drawn before the ziggurat became the default).
    const polar = sampleInstance({ n, p: 3, delta2: 1, deltap: 1, seed: 5, sampler: 'polar' });
    expect(polar.sampler).toBe('polar');
    expect(polar.signal).toEqual(inst.signal);
    const m = Rng.fromSeed(5).stream(1);
    const t = Rng.fromSeed(5).stream(2);
    expect(polar.matrix![1]).toBe((x[0] * x[1]) / Math.sqrt(n) + m.normal());
    expect(polar.tensor![0]).toBe((Math.sqrt(2) / n) * x[0] * x[1] * x[2] + t.normal());
    expect(() =>
      sampleInstance({ n, p: 3, delta2: 1, deltap: 1, seed: 5, sampler: 'box' as 'polar' }),
    ).toThrow(/sampler/);
  });

  it('reports increasing fractions ending at 1 without changing the draw', () => {
    const o = { n: 200, p: 3, delta2: 1, deltap: 1, seed: 5 };
    const fractions: number[] = [];
    const withProgress = sampleInstance({ ...o, onProgress: (f) => fractions.push(f) });
    // C(200,3) = 1 313 400 entries: a report after every 2^18 entries (5 of them), one at the end.
    expect(fractions.length).toBe(6);
    expect(fractions[0]).toBeGreaterThanOrEqual(2 ** 18 / 1313400);
    for (let k = 1; k < fractions.length; k++) expect(fractions[k]).toBeGreaterThan(fractions[k - 1]);
    expect(fractions[5]).toBe(1);
    expect(bytesOf(withProgress.tensor)).toBe(bytesOf(sampleInstance(o).tensor));
  });
});

describe('memory checks', () => {
  it('p = 3 at N = 1000 in float64 is estimated at ≈1.34 GB and fits the default budget', () => {
    const bytes = estimateInstanceBytes({ n: 1000, p: 3, delta2: 1, deltap: 1 });
    // 8·C(1000,3) tensor + 8·10^6 matrix + 8·10^3 signal, computed by hand.
    expect(bytes).toBe(8 * 166167000 + 8e6 + 8e3);
    expect(bytes).toBeLessThan(DEFAULT_MAX_INSTANCE_BYTES);
    expect(estimateInstanceBytes({ n: 1000, p: 3, delta2: 1, deltap: 1, precision: 'float32' })).toBe(
      4 * 166167000 + 8e6 + 8e3,
    );
    expect(estimateInstanceBytes({ n: 1000, p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1 })).toBe(
      8 * 166167000 + 8e3,
    );
  });

  it('refuses oversized instances with the estimate and advice, before allocating', () => {
    // 8·C(2500,3) + 8·2500² + 8·2500 = 20.86e9 bytes = 19.426 GiB.
    expect(() => sampleInstance({ n: 2500, p: 3, delta2: 1, deltap: 1, seed: 1 })).toThrow(
      /estimated 19\.43 GiB.*budget of 8\.00 GiB.*float32/,
    );
    expect(() => sampleInstance({ n: 1000, p: 3, delta2: 1, deltap: 1, seed: 1, maxBytes: 1e9 })).toThrow(
      /instance too large/,
    );
    expect(() =>
      sampleInstance({ n: 2500, p: 3, delta2: 1, deltap: 1, seed: 1, precision: 'float32', maxBytes: 1e9 }),
    ).toThrow(/use a smaller n/);
    // Beyond the typed-array length limit (2^32 entries), whatever the budget.
    expect(packedTensorLength(100000, 4)).toBeGreaterThan(MAX_TYPED_ARRAY_LENGTH);
    expect(() =>
      sampleInstance({ n: 100000, p: 4, delta2: 1, deltap: 1, seed: 1, maxBytes: Number.POSITIVE_INFINITY }),
    ).toThrow(/more than a typed array can hold/);
  });

  it('validates the parameters', () => {
    const ok = { n: 10, p: 3, delta2: 1, deltap: 1, seed: 1 };
    expect(() => sampleInstance({ ...ok, n: 1.5 })).toThrow(/n must be/);
    expect(() => sampleInstance({ ...ok, p: 2 })).toThrow(/p must be/);
    expect(() => sampleInstance({ ...ok, delta2: -1 })).toThrow(/delta2/);
    expect(() =>
      sampleInstance({ ...ok, delta2: Number.POSITIVE_INFINITY, deltap: Number.POSITIVE_INFINITY }),
    ).toThrow(/both/);
    expect(() => sampleInstance({ ...ok, seed: -1 })).toThrow(/seed/);
    expect(() => sampleInstance({ ...ok, n: 2 })).toThrow(/p must not exceed n/);
  });
});
