import { describe, expect, it } from 'vitest';
import { spikedCovariance } from '../model/index.ts';
import { phiRS } from './freeEntropy.ts';
import { bayesSeStep, bayesStateEvolution, mlSeStep, mlStateEvolution } from './stateEvolution.ts';
import {
  bayesFixedPointSnr,
  bayesPhase,
  bayesRegions,
  bayesThresholds,
  mlAmpInstability,
  mlAmpSpinodal,
  mlFixedPointSnr,
} from './thresholds.ts';

/**
 * Independent classifier for one point of the phase diagram: the global maximiser of
 * Φ_RS by brute force on a dense m-grid, and the end point of the actual state-evolution
 * iteration from a tiny m0 (no branch bookkeeping).
 */
function bruteForceRegion(p: number, deltap: number, a: number): 'impossible' | 'hard' | 'easy' {
  const spec = { p, delta2: 1 / a, deltap };
  const f = spikedCovariance(spec);
  let best = 0;
  let bestPhi = 0;
  const n = 10_000;
  for (let k = 1; k < n; k++) {
    const m = k / n;
    const v = phiRS(m, f);
    if (v > bestPhi) {
      bestPhi = v;
      best = m;
    }
  }
  if (best === 0) return 'impossible';
  const end = bayesStateEvolution(spec, 1e-10, 2_000_000, 1e-14).fixedPoint;
  // Grid resolution 1/n for the brute-force maximiser.
  return Math.abs(end - best) < 2 / n ? 'easy' : 'hard';
}

describe('bayesThresholds and bayesRegions (THEORY §6.2)', () => {
  it('p = 3: tricritical point at Δp = 1, 1/Δ2 = 1', () => {
    for (const deltap of [1, 1.5, 4, Number.POSITIVE_INFINITY]) {
      expect(bayesThresholds(3, deltap)).toEqual({ it: 1, amp: 1, spinodal: null });
    }
    let prevIt = 0;
    for (const deltap of [0.5, 0.9, 0.99, 0.999]) {
      const t = bayesThresholds(3, deltap);
      expect(t.amp).toBe(1);
      // Closed form: A(m) = 1/(1−m) − m/Δp is minimal at 1 − m = √Δp, A = 2/√Δp − 1/Δp.
      expect(t.spinodal!).toBeCloseTo(2 / Math.sqrt(deltap) - 1 / deltap, 12);
      expect(t.it!).toBeLessThan(1);
      expect(t.it!).toBeGreaterThan(t.spinodal!);
      expect(t.it!).toBeGreaterThan(prevIt);
      prevIt = t.it!;
    }
    // Both lines close onto the tricritical point: (1 − Δp)² scaling of A's dip.
    expect(1 - prevIt).toBeLessThan(1e-5);
  });

  it('IT threshold equals min over m of the 1/Δ2 that makes Φ_RS(m) = 0 (a second method)', () => {
    for (const [p, deltap] of [
      [3, 0.3],
      [3, 0.5],
      [3, 0.8],
      [4, 0.15],
      [4, 0.2],
      [5, 0.1],
    ]) {
      // Φ_RS is linear in a = 1/Δ2: Φ(m; a) = 0 at a0(m) = −4[½ln(1−m) + m/2 + m^p/(2pΔp)]/m².
      let best = 1;
      for (let k = 1; k < 200_000; k++) {
        const m = k / 200_000;
        const a0 = (-4 * (0.5 * Math.log1p(-m) + m / 2 + m ** p / (2 * p * deltap))) / (m * m);
        best = Math.min(best, a0);
      }
      // Grid of 5e-6 at a smooth minimum: error O(grid² · a0'') ≲ 1e-9.
      expect(bayesThresholds(p, deltap).it!).toBeCloseTo(Math.max(0, best), 8);
    }
  });

  it('the IT line reaches 1/Δ2 = 0 at a finite Δp (the pure tensor model becomes solvable)', () => {
    for (const p of [3, 4]) {
      // Pure tensor (1/Δ2 = 0): solvable iff max_m ½ln(1−m) + m/2 + m^p/(2pΔp) > 0; bisect Δp.
      const solvable = (deltap: number) => {
        for (let k = 1; k < 20_000; k++) {
          const m = k / 20_000;
          if (0.5 * Math.log1p(-m) + m / 2 + m ** p / (2 * p * deltap) > 0) return true;
        }
        return false;
      };
      let lo = 0.01;
      let hi = 1;
      for (let i = 0; i < 20; i++) {
        const mid = 0.5 * (lo + hi);
        if (solvable(mid)) lo = mid;
        else hi = mid;
      }
      expect(bayesThresholds(p, lo * 0.99).it).toBe(0);
      const above = bayesThresholds(p, hi * 1.01).it!;
      expect(above).toBeGreaterThan(0);
      expect(above).toBeLessThan(0.2);
    }
  });

  it('p = 4: the AMP line rises above 1 at small Δp, at the saddle-node of the low branch', () => {
    for (const deltap of [0.1, 0.2, 0.25]) {
      const { amp } = bayesThresholds(4, deltap);
      expect(amp!).toBeGreaterThan(1);
      // The low branch ends where A'(m) = 1/(1−m)² − 2m/Δp = 0 (first root), A = local maximum.
      let mMax = 0;
      for (let m = 1e-6; m < 0.5; m += 1e-6) {
        if (1 / (1 - m) ** 2 - (2 * m) / deltap < 0) {
          mMax = m;
          break;
        }
      }
      // Grid 1e-6 on m near a maximum of A: A error O(1e-12); allow 1e-9.
      expect(amp!).toBeCloseTo(bayesFixedPointSnr(mMax, 4, deltap), 9);
      // Actual SE from m0 → 0⁺ just below / above: stuck low, then jumps high.
      const below = bayesStateEvolution({ p: 4, delta2: 1 / (amp! - 1e-4), deltap }, 1e-10, 1_000_000);
      const above = bayesStateEvolution({ p: 4, delta2: 1 / (amp! + 1e-4), deltap }, 1e-10, 1_000_000);
      expect(below.fixedPoint).toBeLessThan(mMax + 1e-3);
      expect(above.fixedPoint).toBeGreaterThan(0.5);
    }
    // Above Δp = 8/27 A(m) is monotone (max of 2m(1−m)² is 8/27): continuous.
    expect(bayesThresholds(4, 0.3)).toEqual({ it: 1, amp: 1, spinodal: null });
  });

  it('every region agrees with a brute-force classification (dense Φ_RS grid + SE from 1e-10)', () => {
    for (const [p, deltap] of [
      [3, 0.4],
      [3, 2],
      [4, 0.15],
      [4, 0.28],
      [5, 0.2],
    ]) {
      const regions = bayesRegions(p, deltap);
      expect(regions[0].from).toBe(0);
      expect(regions[regions.length - 1].to).toBe(Number.POSITIVE_INFINITY);
      for (let i = 0; i < regions.length; i++) {
        const r = regions[i];
        if (i > 0) expect(r.from).toBe(regions[i - 1].to);
        const width = Number.isFinite(r.to) ? r.to - r.from : 1;
        // Probe away from the ends: SE is slow (critical) right at a boundary.
        for (const frac of [0.3, 0.7]) {
          const a = r.from + frac * width;
          if (a <= 0) continue;
          expect(bruteForceRegion(p, deltap, a)).toBe(r.region);
          expect(bayesPhase(p, deltap, 1 / a)).toBe(r.region);
        }
      }
    }
  });

  it('p = 4 at Δp = 0.28 has an easy pocket above 1/Δ2 = 1 below the hard band', () => {
    const kinds = bayesRegions(4, 0.28).map((r) => r.region);
    expect(kinds).toEqual(['impossible', 'easy', 'hard', 'easy']);
  });

  it('rejects bad parameters, naming them', () => {
    expect(() => bayesThresholds(2, 1)).toThrow(/p must/);
    expect(() => bayesThresholds(3, 0)).toThrow(/deltap/);
    expect(() => bayesPhase(3, 1, -1)).toThrow(/delta2/);
  });
});

describe('bayesFixedPointSnr and mlFixedPointSnr', () => {
  it('make m a fixed point of the respective state-evolution map', () => {
    for (const [p, deltap] of [
      [3, 0.5],
      [4, 2],
      [5, 0.3],
    ]) {
      for (const m of [0.1, 0.4, 0.8, 0.95]) {
        const aB = bayesFixedPointSnr(m, p, deltap);
        if (aB > 0) {
          const fB = spikedCovariance({ p, delta2: 1 / aB, deltap });
          // The map is evaluated at O(1) values: rounding only.
          expect(bayesSeStep(fB, m)).toBeCloseTo(m, 13);
        }
        const aM = mlFixedPointSnr(m, p, deltap);
        if (aM > 0) {
          const fM = spikedCovariance({ p, delta2: 1 / aM, deltap });
          expect(mlSeStep(fM, m)).toBeCloseTo(m, 13);
        }
      }
    }
  });
});

describe('mlAmpSpinodal (THEORY §6.1)', () => {
  it('is where ML state evolution from a large overlap stops falling back to m = 0', () => {
    for (const [p, deltap] of [
      [3, 0.5],
      [3, 2],
      [4, 0.2],
      [4, 1],
    ]) {
      const s = mlAmpSpinodal(p, deltap)!;
      expect(s).toBeGreaterThan(0);
      expect(s).toBeLessThan(mlAmpInstability(deltap));
      // Just above: an informative fixed point attracts m0 = 0.99; just below: nothing does.
      const above = mlStateEvolution({ p, delta2: 1 / (s * (1 + 1e-4)), deltap }, 0.99, 1_000_000);
      const below = mlStateEvolution({ p, delta2: 1 / (s * (1 - 1e-4)), deltap }, 0.99, 1_000_000);
      expect(above.fixedPoint).toBeGreaterThan(0.05);
      expect(Math.abs(below.fixedPoint)).toBeLessThan(1e-6);
    }
  });

  it('is null where the transition is continuous, and 0 when the tensor alone suffices', () => {
    expect(mlAmpSpinodal(3, Number.POSITIVE_INFINITY)).toBeNull();
    expect(mlAmpSpinodal(4, 10)).toBeNull();
    expect(mlAmpSpinodal(4, 2)).toBeNull();
    // p = 4 switches from first order to continuous where dA_ML/d(m²) at 0 changes sign:
    // (1+R)/2 − 2b/R − b = 0 with b = 1/Δp, R = √(1+4b); between Δp = 1 and 2.
    expect(mlAmpSpinodal(4, 1)).not.toBeNull();
    expect(mlAmpSpinodal(3, 0.05)).toBe(0);
  });

  it('instability of m = 0 is (1 + √(1 + 4/Δp))/2', () => {
    // Golden ratio at Δp = 1 (closed form).
    expect(mlAmpInstability(1)).toBeCloseTo((1 + Math.sqrt(5)) / 2, 15);
    expect(mlFixedPointSnr(0, 3, 0.7)).toBeCloseTo(mlAmpInstability(0.7), 14);
  });
});
