import { describe, expect, it } from 'vitest';
import { ampVsGfFixture, escapeTimeFixture, gfThreshold } from '../../test/helpers/plotFixtures.ts';
import {
  ampVsGfCaption,
  complexityCaption,
  dynamicsCaption,
  escapeTimeCaption,
  firstCrossing,
  phaseDiagramCaption,
  surfingCaption,
} from './captions.ts';

describe('firstCrossing', () => {
  it('interpolates linearly between the samples around the crossing', () => {
    const ramp = [0, 1, 2, 3].map((t) => ({ t, v: t / 4 }));
    expect(firstCrossing(ramp, 0.5)).toBe(2);
    expect(firstCrossing(ramp, 0.6)).toBeCloseTo(2.4, 12);
    expect(firstCrossing(ramp, 0.9)).toBeNull();
    const down = [0, 1, 2].map((t) => ({ t, v: 1 - t }));
    expect(firstCrossing(down, 0.25, 'down')).toBeCloseTo(0.75, 12);
  });
});

describe('captions', () => {
  it('phase diagram: names both triv conventions, flags the conjecture, compares measured with closed form', () => {
    const pts = [0.5, 1, 2].map((d) => ({ deltap: d, invDelta2: gfThreshold(3, d) }));
    const text = phaseDiagramCaption({
      p: 3,
      lines: [
        { kind: 'gf', points: pts },
        { kind: 'triv', convention: 'all', points: pts },
        { kind: 'triv', convention: 'nonNegative', points: pts },
        { kind: 'langevinConjecture', points: pts },
      ],
      regions: [],
      measured: [{ method: 'gf', deltap: 1, invDelta2: 2.02, err: 0.04 }],
    });
    expect(text).toContain('Phase diagram for p = 3');
    expect(text).toContain('spurious minima at any m (green solid');
    expect(text).toContain('only m ≥ 0 (black dash-dot)');
    expect(text).toContain('a conjecture, not a result');
    // Closed form at Δp = 1, p = 3: (1 + √(1 + 8))/2 = 2; (2.02 − 2)/0.04 = 0.5 σ.
    expect(text).toContain('GF at Δp = 1: 1/Δ2 = 2.02 ± 0.04 (closed-form line 2, difference 0.02 = 0.5 σ)');
  });

  it('dynamics: crossing time of m, end state and threshold values per 1/Δ2', () => {
    const theory = Array.from({ length: 100 }, (_, i) => ({
      invDelta2: 1.5,
      t: i + 1,
      m: (i + 1) / 100,
      e: -1,
      mu: 3,
    }));
    const text = dynamicsCaption({
      p: 3,
      deltap: 1,
      theory,
      thresholds: [{ invDelta2: 1.5, mu: 3.8, e: -1.6 }],
    });
    expect(text).toContain(
      '1/Δ2 = 1.5: m reaches 0.5 at t ≈ 50, at t = 100: m = 1, e = −1, μ = 3, μ_th = 2σ = 3.8, e_th = −1.6',
    );
  });

  it('surfing: when λ_min is negative and when m crosses the level', () => {
    const run = [1, 2, 3, 4, 5].map((t) => ({
      t,
      m: t / 5,
      lambdaMin: t === 2 || t === 3 ? -0.5 : 0.1,
      eigenvectorOverlap: t === 3 ? 0.8 : 0.1,
    }));
    const text = surfingCaption({ p: 3, deltap: 1, invDelta2: 1.8, N: 500, seed: 3, run });
    expect(text).toContain('N = 500 (seed 3)');
    expect(text).toContain('λ_min < 0 from t ≈ 2 to t ≈ 4 (a saddle)');
    expect(text).toContain('largest eigenvector overlap² 0.8 at t ≈ 3');
    expect(text).toContain('m reaches 0.5 at t ≈ 2.5');
  });

  it('complexity: maximum and the range of m with Σ > 0', () => {
    const rows = [-0.2, 0, 0.2, 0.4].map((m) => ({ invDelta2: 2, m, complexity: 1e-3 - 0.01 * m * m }));
    const text = complexityCaption({
      p: 3,
      deltap: 1,
      curves: [{ invDelta2: 2, regime: 'betweenGfTriv' }],
      rows,
    });
    // Σ = 1e-3 − 0.01 m²: 1e-3 at m = 0, 6e-4 at |m| = 0.2, −6e-4 at m = 0.4.
    expect(text).toContain(
      '1/Δ2 = 2 (between GF and both trivialisation lines): max Σ_min = 0.001 at m = 0, Σ > 0 for m in [−0.2, 0.2]',
    );
  });

  it('escape time: a_c ± error against the closed form in units of the error', () => {
    const text = escapeTimeCaption(escapeTimeFixture());
    // p = 3, Δp = 1: a_c = 1.52 ± 0.02 vs 2 → −0.48 = −24 σ (the fixture is synthetic).
    expect(text).toContain(
      'p = 3, Δp = 1 (8 runs): a_c = 1.52 ± 0.02, θ = 1.1, A = 40; closed form 2, difference −0.48 = −24 σ',
    );
  });

  it('ML-AMP vs GF: the closed-form m* and where each method ends', () => {
    const data = ampVsGfFixture();
    const text = ampVsGfCaption(data);
    expect(text).toContain(`closed form m* = ${Number(data.fixedPoint.toPrecision(4))}`);
    expect(text).toContain('state evolution after 40 iterations');
    expect(text).toContain('Finite-N runs at N = 1000, 10 seeds.');
  });
});
