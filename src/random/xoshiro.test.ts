import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from './xoshiro.ts';

// Golden values from an independent Python transcription of the reference C code
// (xoshiro128starstar.c); the jump results were checked there against the GF(2)
// transition matrix raised to 2^64 and 2^96 by repeated squaring.
describe('Xoshiro128', () => {
  it('reproduces the reference sequence from state [1, 2, 3, 4]', () => {
    const g = new Xoshiro128([1, 2, 3, 4]);
    const out = Array.from({ length: 8 }, () => g.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  it('jump equals 2^64 steps and long jump 2^96 steps (matrix-power reference)', () => {
    const s0 = [0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321];
    expect(Array.from(new Xoshiro128(s0).jump().state)).toEqual([
      1924312370, 367877042, 2803060841, 4189014959,
    ]);
    expect(Array.from(new Xoshiro128(s0).longJump().state)).toEqual([
      398444013, 2887998657, 3761456819, 536037509,
    ]);
  });

  it('rejects an all-zero state and bad seeds', () => {
    expect(() => new Xoshiro128([0, 0, 0, 0])).toThrow(/all zero/);
    expect(() => Xoshiro128.fromSeed(-1)).toThrow(/seed/);
    expect(() => Xoshiro128.fromSeed(1.5)).toThrow(/seed/);
  });

  it('different seeds give different states, including seeds differing only above 2^32', () => {
    const a = Xoshiro128.fromSeed(1).state.join();
    const b = Xoshiro128.fromSeed(2).state.join();
    const c = Xoshiro128.fromSeed(1 + 2 ** 32).state.join();
    expect(new Set([a, b, c]).size).toBe(3);
  });
});
