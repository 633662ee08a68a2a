/**
 * Threshold lines over the whole accepted Δp range (issue 11 item 5): monotone in Δp,
 * ordered trivAllM ≥ trivNonNegativeM ≥ gf, and the same whether computed at one Δp
 * (`thresholds`) or on a grid with continuation (`thresholdLines`, as `phase-diagram` does).
 * Δp is drawn log-uniformly on THRESHOLD_DELTAP_RANGE.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { THRESHOLD_DELTAP_RANGE, trivialisationThreshold, validateLineParams } from './lines.ts';
import { thresholdLines, thresholds } from './table.ts';

const LOG_MIN = Math.log10(THRESHOLD_DELTAP_RANGE.min);
const LOG_MAX = Math.log10(THRESHOLD_DELTAP_RANGE.max);
const logDeltap = fc.double({ min: LOG_MIN, max: LOG_MAX, noNaN: true }).map((e) => 10 ** e);
/**
 * Relative accuracy of the trivialisation lines. Brent stops at 1e-10 relative, but the sign
 * of the spurious complexity next to the root is decided by Kac–Rice terms of size
 * O(1/Δp + 1/Δ2) cancelling to ~0: measured differences between brackets reach 5e-8
 * relative at Δp = 3e-5 (p = 3, all m) and ≤ 1e-9 for Δp ≤ 1e6; 1e-7 covers both.
 */
const LINE_TOL = 1e-7;

describe('threshold lines at any accepted Δp (THEORY §4.2, §5)', () => {
  for (const p of [3, 4, 5]) {
    it(`p = ${p}: ordered trivAllM ≥ trivNonNegativeM ≥ gf and decreasing in Δp`, () => {
      fc.assert(
        fc.property(logDeltap, logDeltap, (d1, d2) => {
          const [lo, hi] = d1 <= d2 ? [d1, d2] : [d2, d1];
          const a = thresholds(p, lo);
          const b = thresholds(p, hi);
          for (const t of [a, b]) {
            expect(t.trivAllM!).toBeGreaterThanOrEqual(t.trivNonNegativeM!);
            expect(t.trivNonNegativeM!).toBeGreaterThanOrEqual(t.gf!);
          }
          // Every line here decreases as the tensor channel gets noisier. Two Δp closer than
          // LINE_TOL may come out in either order by rounding of the Brent result.
          for (const name of ['gf', 'mlAmp', 'trivAllM', 'trivNonNegativeM'] as const)
            expect(b[name]!, `${name} at Δp = ${lo}, ${hi}`).toBeLessThanOrEqual(a[name]! * (1 + LINE_TOL));
        }),
        { numRuns: 30, seed: 11 + p },
      );
    });
  }

  it('a wide grid (continuation from far away) equals one evaluation per Δp', () => {
    // The case: at Δp = 1e-8 a wide phase-diagram grid gave trivAllM = 59942700 against
    // 61817871 from `thresholds` (the band had slipped between scan points). Independent second
    // value: for p = 3 at small Δp the all-m line is where the mirror minimum turns physical
    // (lines.test.ts): a = σ + √(1 − q1/q2)/Δp, i.e. a ≈ 0.618/Δp (t²(t + 2) = 1).
    const grid = [1e3, 40, 1, 0.02, 3e-5, 1e-8];
    for (const p of [3, 4]) {
      const l = thresholdLines(p, grid);
      for (const [i, deltap] of grid.entries()) {
        const t = thresholds(p, deltap);
        for (const name of ['trivAllM', 'trivNonNegativeM'] as const)
          expect(Math.abs(l[name][i]! / t[name]! - 1), `${name} p = ${p} Δp = ${deltap}`).toBeLessThan(
            LINE_TOL,
          );
      }
    }
    const t = trivialisationThreshold(3, 1e-8);
    expect(t).toBeGreaterThan(6.18e7);
    expect(t).toBeLessThan(6.19e7);
  });

  it('at large Δp the m ≥ 0 line is the root of Σ_min(0) = 0 computed in 50-digit arithmetic', () => {
    // Independent second method (mpmath, 50 digits, the textbook form of THEORY §4.2 at m = 0,
    // μ = θ + σ²/θ with θ = 1/Δ2): the complexities there are ~Δp⁻³ ≈ 1e-15 … 1e-18, which the
    // textbook form in double precision drowned in rounding (trivAllM 1.0001744 < trivNonNegativeM
    // 1.0002227 at Δp = 16000 before). The values, 1/Δ2 = 1 + s/Δp, approach s = 3p/2 − 2.
    const reference: Array<[number, number, number]> = [
      [3, 16000, 1.0001562270576116],
      [3, 1e5, 1.000024999412528],
      [4, 16000, 1.0002499433857024],
      [4, 1e5, 1.0000399985501078],
      [5, 16000, 1.0003436450858025],
      [5, 1e5, 1.0000549973127717],
    ];
    for (const [p, deltap, a] of reference) {
      const t = trivialisationThreshold(p, deltap, { convention: 'nonNegative' });
      // Measured |t − a| ≤ 1.3e-10 (at Δp = 1e5: 3e-6 of the offset a − 1 = 2.5e-5; at 1e6,
      // outside the range, 3e-9 = 1e-3 of the offset); 5e-10 allowed.
      expect(Math.abs(t - a), `p = ${p}, Δp = ${deltap}`).toBeLessThan(5e-10);
      expect(trivialisationThreshold(p, deltap)).toBeGreaterThanOrEqual(t);
    }
  });

  it('refuses Δp outside the range, naming deltap; Δp = ∞ stays accepted', () => {
    expect(() => thresholds(3, 1.1e5)).toThrow(/deltap must lie in/);
    expect(() => thresholds(3, 1e-9)).toThrow(/deltap/);
    expect(() => validateLineParams(3, Number.POSITIVE_INFINITY)).not.toThrow();
    expect(thresholds(4, Number.POSITIVE_INFINITY).trivAllM).toBe(1);
  });
});
