/**
 * Standard normal deviates by the ziggurat method (Marsaglia & Tsang, "The Ziggurat
 * Method for Generating Random Variables", J. Stat. Softw. 5(8), 2000), 256 layers,
 * with Doornik's fix ("An Improved Ziggurat Method to Generate Normal Random
 * Samples", 2005): the layer index and the abscissa come from independent bits.
 *
 * Each deviate takes two 32-bit outputs of xoshiro128**: 8 bits pick the layer, 1 bit
 * the sign, the remaining 23 + 32 = 55 bits a uniform u ∈ [0, 1). With x = u·X[i],
 * x < X[i+1] (the part of the layer under the curve, ≈ 99 % of draws) is returned at
 * once; otherwise the wedge is tested against the exact density, and layer 0's
 * overhang is the tail beyond r, sampled exactly by Marsaglia's exponential method.
 * The output distribution is therefore exactly N(0, 1) up to floating-point rounding
 * of the tables and the 55-bit resolution of u.
 */

import type { Xoshiro128 } from './xoshiro.ts';

const LAYERS = 256;
/** Right edge of the last rectangle and the common layer area for 256 layers (Marsaglia & Tsang). */
const R = 3.6541528853610088;
const V = 0.00492867323399;

const density = (x: number): number => Math.exp(-0.5 * x * x);

/** X[0] = V/f(R) (the base layer's equivalent width), X[1] = R, …, X[256] = 0; F[i] = f(X[i]). */
const X = new Float64Array(LAYERS + 1);
const F = new Float64Array(LAYERS + 1);
X[0] = V / density(R);
X[1] = R;
for (let i = 2; i < LAYERS; i++) X[i] = Math.sqrt(-2 * Math.log(V / X[i - 1] + density(X[i - 1])));
X[LAYERS] = 0;
for (let i = 0; i <= LAYERS; i++) F[i] = density(X[i]);

const TWO_POW_M55 = 2 ** -55;
const TWO_POW_M53 = 2 ** -53;
const TWO_POW_32 = 4294967296;

/** The source of 32-bit words (an xoshiro128** generator). */
export interface Uint32Source {
  nextUint32(): number;
}

function uniformOpen(src: Uint32Source): number {
  // (0, 1]: 53 bits, never 0 (so its logarithm is finite).
  const hi = src.nextUint32() >>> 5;
  const lo = src.nextUint32() >>> 6;
  return (hi * 67108864 + lo + 1) * TWO_POW_M53;
}

/**
 * The rare path: draw (a, b) was rejected by the fast test. Returns the deviate for
 * that draw, or NaN to ask for a fresh draw (wedge rejection).
 */
function slowPath(a: number, b: number, src: Uint32Source): number {
  const i = a & 255;
  const sign = a & 256 ? -1 : 1;
  if (i === 0) {
    // Tail beyond R: x = −ln(U1)/R, accepted when −2 ln(U2) > x².
    for (;;) {
      const x = -Math.log(uniformOpen(src)) / R;
      const y = -Math.log(uniformOpen(src));
      if (y + y > x * x) return sign * (R + x);
    }
  }
  const x = ((a >>> 9) * TWO_POW_32 + b) * TWO_POW_M55 * X[i];
  const y = F[i] + uniformOpen(src) * (F[i + 1] - F[i]);
  return y < density(x) ? sign * x : Number.NaN;
}

/** One standard normal deviate from `src`. */
export function zigguratNormal(src: Uint32Source): number {
  for (;;) {
    const a = src.nextUint32();
    const b = src.nextUint32();
    const i = a & 255;
    const x = ((a >>> 9) * TWO_POW_32 + b) * TWO_POW_M55 * X[i];
    if (x < X[i + 1]) return a & 256 ? -x : x;
    const z = slowPath(a, b, src);
    if (!Number.isNaN(z)) return z;
  }
}

/**
 * Fills `out[start…end)` with standard normal deviates, advancing the generator
 * `gen` (its state words are stepped inline): the same deviates, in the same order, as `end − start`
 * calls of `zigguratNormal` on that generator, but with the generator inlined.
 */
export function fillZiggurat(gen: Xoshiro128, out: Float64Array, start: number, end: number): void {
  const s = gen.state;
  let s0 = s[0] | 0;
  let s1 = s[1] | 0;
  let s2 = s[2] | 0;
  let s3 = s[3] | 0;
  // The slow path draws extra words through `gen` itself: state saved before, reloaded after.
  for (let k = start; k < end; ) {
    // Two inlined xoshiro128** steps: a, then b.
    const a = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const b = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const i = a & 255;
    const x = ((a >>> 9) * TWO_POW_32 + b) * TWO_POW_M55 * X[i];
    if (x < X[i + 1]) {
      out[k++] = a & 256 ? -x : x;
      continue;
    }
    s[0] = s0;
    s[1] = s1;
    s[2] = s2;
    s[3] = s3;
    const z = slowPath(a, b, gen);
    s0 = s[0] | 0;
    s1 = s[1] | 0;
    s2 = s[2] | 0;
    s3 = s[3] | 0;
    if (!Number.isNaN(z)) out[k++] = z;
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The layer table (for tests): `edges[i]` = X[i], with X[1] = R and X[256] = 0. */
export const zigguratEdges: Readonly<Float64Array> = X;
export const ZIGGURAT_R = R;
export const ZIGGURAT_V = V;
