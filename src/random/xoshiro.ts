/**
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021): 128-bit state, period 2^128 − 1, 32-bit outputs,
 * with the published jump (2^64 steps) and long-jump (2^96 steps) polynomials
 * for independent streams. Seeded through splitmix32 so that any integer seed
 * gives a well-mixed, never-all-zero state.
 */

/** Jump polynomial: equivalent to 2^64 calls of `nextUint32`. */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];
/** Long-jump polynomial: equivalent to 2^96 calls of `nextUint32`. */
const LONG_JUMP = [0xb523952e, 0x0b6f099f, 0xccf5a0ef, 0x1c580662];

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

/** splitmix32 (Steele, Lea & Flood 2014, 32-bit variant): expands a seed into state words. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Raw xoshiro128** generator over a `Uint32Array(4)` state. */
export class Xoshiro128 {
  readonly state: Uint32Array;

  constructor(state: ArrayLike<number>) {
    if (state.length !== 4) throw new RangeError('xoshiro128** needs a state of 4 words');
    this.state = Uint32Array.from(state);
    if ((this.state[0] | this.state[1] | this.state[2] | this.state[3]) === 0) {
      throw new RangeError('xoshiro128** state must not be all zero');
    }
  }

  /**
   * State from a non-negative integer seed (up to 2^53): the low and high 32-bit
   * halves are each mixed by splitmix32.
   */
  static fromSeed(seed: number): Xoshiro128 {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be an integer in [0, 2^53), got ${seed}`);
    }
    const low = { s: seed >>> 0 };
    const high = { s: Math.floor(seed / 4294967296) >>> 0 };
    const a = splitmix32(low);
    const b = splitmix32(high) ^ splitmix32(low);
    const c = splitmix32(low);
    const d = splitmix32(high) ^ 0x2545f491;
    return new Xoshiro128([a, b, c, d]);
  }

  /** Next 32-bit output as an unsigned integer. */
  nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  private applyPolynomial(poly: readonly number[]): void {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (const word of poly) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          s0 ^= this.state[0];
          s1 ^= this.state[1];
          s2 ^= this.state[2];
          s3 ^= this.state[3];
        }
        this.nextUint32();
      }
    }
    this.state[0] = s0;
    this.state[1] = s1;
    this.state[2] = s2;
    this.state[3] = s3;
  }

  /** Advance by 2^64 steps: 2^64 non-overlapping streams of length 2^64. */
  jump(): this {
    this.applyPolynomial(JUMP);
    return this;
  }

  /** Advance by 2^96 steps: 2^32 non-overlapping blocks of 2^32 jump-streams. */
  longJump(): this {
    this.applyPolynomial(LONG_JUMP);
    return this;
  }

  clone(): Xoshiro128 {
    return new Xoshiro128(this.state);
  }
}
