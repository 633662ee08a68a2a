import { describe, expect, it } from 'vitest';
import { Rng } from './rng.ts';
import { ZIGGURAT_R, ZIGGURAT_V, zigguratEdges } from './ziggurat.ts';

/** erf by its Taylor series (|x| < 3) or Laplace continued fraction (|x| ≥ 3): ~1e-15 absolute. */
function erf(x: number): number {
  const t = Math.abs(x);
  let r: number;
  if (t < 3) {
    let s = t;
    let term = t;
    for (let k = 1; k < 200; k++) {
      term *= (-t * t) / k;
      s += term / (2 * k + 1);
    }
    r = (2 / Math.sqrt(Math.PI)) * s;
  } else {
    let f = 0;
    for (let k = 60; k >= 1; k--) f = k / 2 / (t + f);
    r = 1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f);
  }
  return x < 0 ? -r : r;
}
const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const density = (x: number) => Math.exp(-0.5 * x * x);

describe('ziggurat normal sampler', () => {
  it('has 256 layers of equal area V under the unnormalised density, the base one with its tail', () => {
    const X = zigguratEdges;
    expect(X[1]).toBe(ZIGGURAT_R);
    expect(X[256]).toBe(0);
    // Layer i ≥ 1 is the rectangle [0, X[i]] × [f(X[i]), f(X[i+1])]. Marsaglia & Tsang give
    // R and V to 16 and 12 digits, so the recursion keeps the areas equal to ~1e-9.
    for (let i = 1; i < 256; i++) {
      const area = X[i] * (density(X[i + 1]) - density(X[i]));
      expect(Math.abs(area / ZIGGURAT_V - 1)).toBeLessThan(1e-8);
    }
    // Base layer: rectangle R·f(R) plus the exact tail √(π/2)·erfc(R/√2).
    const tail = Math.sqrt(Math.PI / 2) * (1 - erf(ZIGGURAT_R / Math.SQRT2));
    expect(Math.abs((ZIGGURAT_R * density(ZIGGURAT_R) + tail) / ZIGGURAT_V - 1)).toBeLessThan(1e-9);
  });

  it('the bulk fill gives exactly the single-draw sequence and leaves the same state', () => {
    const a = Rng.fromSeed(11);
    const b = Rng.fromSeed(11);
    const buf = new Float64Array(50_000);
    a.fillZigguratNormal(buf, 7, 40_007);
    let mismatches = 0;
    for (let k = 7; k < 40_007; k++) if (buf[k] !== b.zigguratNormal()) mismatches++;
    expect(mismatches).toBe(0);
    expect(a.uint32()).toBe(b.uint32());
    expect(() => a.fillZigguratNormal(buf, 10, 60_000)).toThrow(RangeError);
  });

  // 4·10⁶ deviates: a fixed seed makes each check deterministic; the bounds are 5 standard
  // errors (a correct sampler fails one with probability < 1e-6), and a sampler off by the
  // tail (e.g. tail layer dropped) or by 0.5 % in scale fails them.
  const n = 4_000_000;
  const z = Rng.fromSeed(3).fillZigguratNormal(new Float64Array(n));

  it('has the moments of N(0, 1) within 5 standard errors', () => {
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    for (const v of z) {
      const v2 = v * v;
      s1 += v;
      s2 += v2;
      s3 += v2 * v;
      s4 += v2 * v2;
    }
    // Standard errors: Var z = 1, Var z² = 2, Var z³ = 15, Var z⁴ = 96.
    expect(Math.abs(s1 / n)).toBeLessThan(5 * Math.sqrt(1 / n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s3 / n)).toBeLessThan(5 * Math.sqrt(15 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('passes a KS test and a χ² test on 200 bins against the exact normal CDF', () => {
    const sorted = Float64Array.from(z.subarray(0, 200_000)).sort();
    let d = 0;
    for (let i = 0; i < sorted.length; i++) {
      const f = normalCdf(sorted[i]);
      d = Math.max(d, f - i / sorted.length, (i + 1) / sorted.length - f);
    }
    // Asymptotic KS: P(√n D > 1.95) = 0.001.
    expect(Math.sqrt(sorted.length) * d).toBeLessThan(1.95);
    // χ² over 200 equal-width bins on [−4, 4] plus the two tails (201 dof): mean 201, sd 20;
    // 5 sd. A wedge error in one layer (shape wrong by 1 % over ~1/256 of the mass) adds ~40.
    const bins = 200;
    const counts = new Float64Array(bins + 2);
    for (const v of z) counts[v < -4 ? 0 : v >= 4 ? bins + 1 : 1 + Math.floor(((v + 4) / 8) * bins)]++;
    let chi2 = 0;
    for (let k = 0; k < bins + 2; k++) {
      const lo = k === 0 ? -Infinity : -4 + (8 * (k - 1)) / bins;
      const hi = k === bins + 1 ? Infinity : -4 + (8 * k) / bins;
      const expected = n * (normalCdf(hi) - normalCdf(lo));
      chi2 += (counts[k] - expected) ** 2 / expected;
    }
    expect(chi2).toBeLessThan(201 + 5 * Math.sqrt(2 * 201));
  });

  it('has the tail probabilities of N(0, 1), through the tail layer beyond R', () => {
    for (const c of [2, 3, ZIGGURAT_R, 4, 4.5]) {
      let count = 0;
      for (const v of z) if (Math.abs(v) > c) count++;
      const p = 2 * (1 - normalCdf(c));
      // Binomial standard error √(p/n); 5 of them.
      expect(Math.abs(count / n - p)).toBeLessThan(5 * Math.sqrt(p / n));
    }
  });
});

describe('inlined polar fill', () => {
  it('gives exactly the deviates of successive normal() calls, spare included', () => {
    const a = Rng.fromSeed(9);
    const b = Rng.fromSeed(9);
    const buf = new Float64Array(20);
    for (let rep = 0; rep < 300; rep++) {
      const len = (rep * 37) % 13; // odd and even lengths leave and consume spares
      a.fillPolarNormal(buf, 3, 3 + len);
      const single = new Float64Array(len).map(() => b.normal());
      expect(buf.subarray(3, 3 + len)).toEqual(single);
    }
    expect(a.normal()).toBe(b.normal());
    expect(a.getState()).toEqual(b.getState());
  });
});
