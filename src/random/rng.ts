/**
 * The project's random number generator: xoshiro128** underneath, uniform doubles
 * with 53 random bits, standard normals by Marsaglia's polar method (`normal`) or
 * the ziggurat method (`zigguratNormal`, `fillZigguratNormal`: several times faster,
 * used for instance noise), independent streams by jumping. Everything that samples takes an `Rng`; every output records
 * the seed it came from.
 */

import { fillPolar } from './polar.ts';
import { Xoshiro128 } from './xoshiro.ts';
import { fillZiggurat, zigguratNormal } from './ziggurat.ts';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** A serialisable snapshot of an `Rng`: enough to resume the exact same sequence. */
export interface RngState {
  readonly words: readonly [number, number, number, number];
  /** The spare normal deviate of the polar method, or null. */
  readonly spare: number | null;
}

export class Rng {
  private readonly gen: Xoshiro128;
  private spare: number | null = null;

  private constructor(gen: Xoshiro128) {
    this.gen = gen;
  }

  /**
   * A generator seeded by a non-negative integer (< 2^53).
   * @example
   * const rng = Rng.fromSeed(42);
   * rng.normal(); // same value on every run and platform running V8
   */
  static fromSeed(seed: number): Rng {
    return new Rng(Xoshiro128.fromSeed(seed));
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(new Xoshiro128(state.words));
    rng.spare = state.spare;
    return rng;
  }

  getState(): RngState {
    const s = this.gen.state;
    return { words: [s[0], s[1], s[2], s[3]], spare: this.spare };
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.gen.nextUint32();
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.gen.nextUint32() >>> 5; // 27 bits
    const lo = this.gen.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform integer in [0, n) without modulo bias (Lemire's rejection on 32 bits). */
  integer(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > TWO_POW_32) throw new RangeError(`integer(n): bad n = ${n}`);
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.gen.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /** Standard normal deviate (Marsaglia polar method; deviates come in pairs). */
  normal(): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return z;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * factor;
    return u * factor;
  }

  /**
   * Standard normal deviate by the 256-layer ziggurat (`ziggurat.ts`): two 32-bit
   * words per deviate almost always. A different sequence from `normal()`; it does
   * not touch the polar method's spare deviate.
   */
  zigguratNormal(): number {
    return zigguratNormal(this.gen);
  }

  /**
   * Fill `out[start…end)` with standard normals: the same values as as many
   * `zigguratNormal()` calls, with the generator inlined (the fast path for bulk noise).
   */
  fillZigguratNormal(out: Float64Array, start = 0, end = out.length): Float64Array {
    if (!(start >= 0 && end <= out.length && start <= end))
      throw new RangeError(`fillZigguratNormal: bad range [${start}, ${end}) for length ${out.length}`);
    fillZiggurat(this.gen, out, start, end);
    return out;
  }

  /**
   * Fill `out[start…end)` with exactly the deviates of as many `normal()` calls (the
   * polar method, spare included), with the generator inlined: about twice as fast.
   */
  fillPolarNormal(out: Float64Array, start = 0, end = out.length): Float64Array {
    if (!(start >= 0 && end <= out.length && start <= end))
      throw new RangeError(`fillPolarNormal: bad range [${start}, ${end}) for length ${out.length}`);
    const spare = fillPolar(this.gen.state, this.spare ?? Number.NaN, out, start, end);
    this.spare = !Number.isNaN(spare) ? spare : null;
    return out;
  }

  /**
   * Fill `out[offset + k·stride]`, k < n, with independent N(0, variance) deviates.
   * Works on Float64Array and Float32Array alike.
   */
  fillNormal<A extends Float64Array | Float32Array>(
    out: A,
    variance = 1,
    n = out.length,
    stride = 1,
    offset = 0,
  ): A {
    const sd = Math.sqrt(variance);
    for (let k = 0, i = offset; k < n; k++, i += stride) out[i] = sd * this.normal();
    return out;
  }

  /**
   * An independent stream: a copy of this generator advanced by 2^64 steps; this
   * generator is then advanced too, so successive `split()` calls give disjoint streams.
   */
  split(): Rng {
    this.gen.jump();
    const child = new Rng(this.gen.clone());
    this.gen.jump();
    return child;
  }

  /**
   * The k-th of a family of independent streams derived from this generator's
   * current state (k jumps of 2^64), leaving this generator untouched. Stream k
   * depends only on (seed, k), so e.g. replica k of a sweep is reproducible alone.
   */
  stream(k: number): Rng {
    if (!Number.isInteger(k) || k < 0)
      throw new RangeError(`stream index must be a non-negative integer, got ${k}`);
    const gen = this.gen.clone().longJump();
    for (let i = 0; i < k; i++) gen.jump();
    return new Rng(gen);
  }
}
