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
 * relative at Δp = 3e-5 (p = 3, all m) and 4e-9 at Δp = 1e3; 1e-7 covers both.
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
        { numRuns: 16, seed: 11 + p },
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

  it('refuses Δp outside the range, naming deltap; Δp = ∞ stays accepted', () => {
    expect(() => thresholds(3, 1.6e4)).toThrow(/deltap must lie in/);
    expect(() => thresholds(3, 1e-9)).toThrow(/deltap/);
    expect(() => validateLineParams(3, Number.POSITIVE_INFINITY)).not.toThrow();
    expect(thresholds(4, Number.POSITIVE_INFINITY).trivAllM).toBe(1);
  });
});
