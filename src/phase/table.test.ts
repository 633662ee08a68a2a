import { describe, expect, it } from 'vitest';
import { LINE_NAMES, thresholdLines, thresholds } from './table.ts';

describe('thresholds: every line at one Δp (THEORY §5)', () => {
  it('every line tends to 1 as Δp → ∞', () => {
    for (const p of [3, 4]) {
      const t = thresholds(p, 1e4);
      for (const name of LINE_NAMES) {
        const v = t[name];
        if (v === null) continue;
        // Each line is 1 + O(1/Δp) (GF: 1 + (p−1)/Δp, trivialisation ≈ 1 + (3p/2 − 2)/Δp):
        // at Δp = 1e4 that is ≤ 4e-4: margin 1e-3.
        expect(Math.abs(v - 1), `${name} at p = ${p}`).toBeLessThan(1e-3);
      }
      // The spinodals disappear (continuous transitions) at large Δp.
      expect(t.bayesSpinodal).toBeNull();
    }
  });

  it('trivAllM ≥ trivNonNegativeM > gf > mlAmp on Δp ∈ [0.1, 10] for p = 3 and 4', () => {
    const grid = Array.from({ length: 25 }, (_, i) => 0.1 * 100 ** (i / 24));
    for (const p of [3, 4]) {
      const l = thresholdLines(p, grid);
      for (let i = 0; i < grid.length; i++) {
        // For even p both conventions coincide; they are separate root findings agreeing to 1e-10 relative.
        expect(l.trivAllM[i]!).toBeGreaterThanOrEqual(l.trivNonNegativeM[i]! * (1 - 1e-9));
        expect(l.trivNonNegativeM[i]!).toBeGreaterThan(l.gf[i]!);
        expect(l.gf[i]!).toBeGreaterThan(l.mlAmp[i]!);
      }
      if (p === 3) {
        // Odd p: the negative-m band makes the all-m convention strictly larger.
        expect(l.trivAllM[12]!).toBeGreaterThan(l.trivNonNegativeM[12]! + 1e-3);
      }
    }
  });

  it('a grid computation (with continuation) equals point-by-point evaluation', () => {
    const grid = [0.3, 0.35, 0.4, 3];
    const l = thresholdLines(3, grid);
    for (const [i, deltap] of grid.entries()) {
      const t = thresholds(3, deltap);
      for (const name of LINE_NAMES) {
        if (t[name] === null) expect(l[name][i]).toBeNull();
        // Root finding to 1e-10 relative from different brackets.
        else expect(l[name][i]!).toBeCloseTo(t[name]!, 8);
      }
    }
  });
});

describe('Bayes-optimal lines (THEORY §6.2, computed in amp/)', () => {
  it('p = 3: tricritical point at Δp = 1', () => {
    for (const deltap of [1, 1.5, 4]) {
      const t = thresholds(3, deltap);
      // Continuous transition: IT = AMP = 1, no spinodal (exact by construction in amp/).
      expect(t.bayesIT).toBeCloseTo(1, 12);
      expect(t.bayesAMP).toBeCloseTo(1, 12);
      expect(t.bayesSpinodal).toBeNull();
    }
    for (const deltap of [0.6, 0.9]) {
      const t = thresholds(3, deltap);
      // First order: a hard phase between IT and AMP = 1, with the spinodal below IT.
      expect(t.bayesIT!).toBeLessThan(1);
      expect(t.bayesAMP).toBeCloseTo(1, 12);
      expect(t.bayesSpinodal!).toBeLessThan(t.bayesIT!);
    }
  });

  it('p = 4: the AMP line rises above 1 at small Δp; the IT line reaches 0 at finite Δp', () => {
    expect(thresholds(4, 0.1).bayesAMP!).toBeGreaterThan(1);
    expect(thresholds(4, 0.1).bayesIT).toBe(0);
    expect(thresholds(3, 0.05).bayesIT).toBe(0);
    expect(thresholds(3, 0.5).bayesIT!).toBeGreaterThan(0);
  });
});
