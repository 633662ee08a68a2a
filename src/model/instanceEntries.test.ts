import { describe, expect, it } from 'vitest';
import { decodeNpz, encodeNpz } from '../io/index.ts';
import { Rng } from '../random/index.ts';
import { sampleInstance } from './instance.ts';
import { instanceFromNpzEntries, instanceToNpzEntries } from './instanceEntries.ts';
import { energy } from './loss.ts';
import { randomPointOnSphere } from './sphere.ts';

describe('instance ⇄ NPZ entries', () => {
  const variants = [
    { n: 12, p: 3, delta2: 0.5, deltap: 2, precision: 'float64' as const },
    { n: 12, p: 4, delta2: 0.5, deltap: 2, precision: 'float32' as const },
    { n: 9, p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1, precision: 'float64' as const },
    { n: 9, p: 5, delta2: 1, deltap: Number.POSITIVE_INFINITY, precision: 'float64' as const },
  ];
  for (const v of variants) {
    it(`round-trips through NPZ bytes: p=${v.p} Δ2=${v.delta2} Δp=${v.deltap} ${v.precision}`, () => {
      const inst = sampleInstance({ ...v, seed: 2 ** 40 + 3 });
      const back = instanceFromNpzEntries(decodeNpz(encodeNpz(instanceToNpzEntries(inst))));
      expect(back.n).toBe(inst.n);
      expect(back.p).toBe(inst.p);
      expect(back.delta2).toBe(inst.delta2);
      expect(back.deltap).toBe(inst.deltap);
      expect(back.seed).toBe(inst.seed);
      expect(back.sampler).toBe('ziggurat');
      expect(Array.from(back.signal)).toEqual(Array.from(inst.signal));
      expect(back.matrix === null ? null : Array.from(back.matrix)).toEqual(
        inst.matrix === null ? null : Array.from(inst.matrix),
      );
      expect(back.tensor?.constructor).toBe(inst.tensor?.constructor);
      expect(back.tensor === null ? null : Array.from(back.tensor)).toEqual(
        inst.tensor === null ? null : Array.from(inst.tensor),
      );
      const x = randomPointOnSphere(inst.n, Rng.fromSeed(1));
      expect(energy(back, x)).toBe(energy(inst, x));
    });
  }

  it('records the sampler; a file without the entry (written before) still loads, a wrong one fails', () => {
    const polar = sampleInstance({ n: 8, p: 3, delta2: 1, deltap: 1, seed: 1, sampler: 'polar' });
    const entries = instanceToNpzEntries(polar);
    expect(new TextDecoder().decode(entries.sampler.data as Uint8Array)).toBe('polar');
    expect(instanceFromNpzEntries(decodeNpz(encodeNpz(entries))).sampler).toBe('polar');
    // An earlier file: the same arrays, no `sampler` entry; it loads, the sampler unknown.
    const { sampler: _, ...earlier } = entries;
    const old = instanceFromNpzEntries(decodeNpz(encodeNpz(earlier)));
    expect(old.sampler).toBeUndefined();
    expect(Array.from(old.tensor!)).toEqual(Array.from(polar.tensor!));
    const text = new TextEncoder().encode('box-muller');
    expect(() =>
      instanceFromNpzEntries({ ...entries, sampler: { data: text, shape: [text.length] } }),
    ).toThrow(/'sampler' must be .*'ziggurat' or 'polar', got "box-muller"/);
    expect(() =>
      instanceFromNpzEntries({ ...entries, sampler: { data: Float64Array.of(2), shape: [] } }),
    ).toThrow(/'sampler' must be .* got a Float64Array/);
  });

  it('rejects inconsistent entries with a message naming the entry', () => {
    const inst = sampleInstance({ n: 8, p: 3, delta2: 1, deltap: 1, seed: 1 });
    const good = instanceToNpzEntries(inst);
    const without = (name: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== name));
    expect(() => instanceFromNpzEntries(without('seed'))).toThrow(/no 'seed' entry/);
    expect(() => instanceFromNpzEntries(without('tensor'))).toThrow(/'tensor' must be a packed/);
    expect(() =>
      instanceFromNpzEntries({ ...good, deltap: { data: Float64Array.of(Infinity), shape: [] } }),
    ).toThrow(/'tensor' entry but deltap = inf/);
    expect(() => instanceFromNpzEntries({ ...good, p: { data: Float64Array.of(2), shape: [] } })).toThrow(
      /p must be/,
    );
    expect(() =>
      instanceFromNpzEntries({ ...good, tensor: { data: new Float64Array(55), shape: [55] } }),
    ).toThrow(/C\(8, 3\) = 56/);
    const asym = Float64Array.from(inst.matrix!);
    asym[1] += 1;
    expect(() => instanceFromNpzEntries({ ...good, matrix: { data: asym, shape: [8, 8] } })).toThrow(
      /symmetric/,
    );
    const nan = Float64Array.from(inst.signal);
    nan[3] = Number.NaN;
    expect(() => instanceFromNpzEntries({ ...good, signal: { data: nan, shape: [8] } })).toThrow(
      /non-finite/,
    );
  });
});
