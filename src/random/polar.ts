/**
 * Marsaglia's polar method with xoshiro128** inlined: the same deviates, in the same
 * order, as successive `Rng.normal()` calls (so the seed → sample map is unchanged),
 * without a method call and two `uniform()` calls per coordinate.
 */

const TWO_POW_M53 = 2 ** -53;

/**
 * Fills `out[start…end)`, advancing the state words `s` in place. `spare` holds the
 * polar method's second deviate between calls (NaN: none); the new spare is returned.
 */
export function fillPolar(
  s: Uint32Array,
  spare: number,
  out: Float64Array,
  start: number,
  end: number,
): number {
  let k = start;
  if (k < end && !Number.isNaN(spare)) {
    out[k++] = spare;
    spare = Number.NaN;
  }
  let s0 = s[0] | 0;
  let s1 = s[1] | 0;
  let s2 = s[2] | 0;
  let s3 = s[3] | 0;
  while (k < end) {
    // Four xoshiro128** outputs: two 53-bit uniforms u, v in [0, 1).
    let w = 0;
    let u = 0;
    let v = 0;
    for (let q = 0; q < 4; q++) {
      const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      if (q === 0 || q === 2) w = r >>> 5;
      else if (q === 1) u = (w * 67108864 + (r >>> 6)) * TWO_POW_M53;
      else v = (w * 67108864 + (r >>> 6)) * TWO_POW_M53;
    }
    u = 2 * u - 1;
    v = 2 * v - 1;
    const r2 = u * u + v * v;
    if (r2 >= 1 || r2 === 0) continue;
    const factor = Math.sqrt((-2 * Math.log(r2)) / r2);
    out[k++] = u * factor;
    if (k < end) out[k++] = v * factor;
    else spare = v * factor;
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
  return spare;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
