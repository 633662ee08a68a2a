import { describe, expect, it } from 'vitest';
import * as saddlesurf from './index.ts';

describe('library API', () => {
  it('exposes one namespace per concept, and the README example runs', () => {
    for (const name of [
      'amp',
      'dmft',
      'dynamics',
      'io',
      'landscape',
      'linalg',
      'model',
      'numerics',
      'phase',
      'plot',
      'random',
    ]) {
      expect(Object.keys((saddlesurf as unknown as Record<string, object>)[name]).length).toBeGreaterThan(0);
    }
    const f = saddlesurf.model.spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 });
    const end = saddlesurf.dmft.gradientFlowEndState(f);
    // THEORY §3: m*² = f'(m*)² / (f'(m*)² + f'(1)), checked here from the covariance directly.
    const m = end!.m;
    expect(m * m).toBeCloseTo(f.df(m) ** 2 / (f.df(m) ** 2 + f.df(1)), 12);
    // THEORY §5 closed form: (1 + √(1 + 4(p−1)/Δp))/2 = (1 + 3)/2 at p = 3, Δp = 1.
    expect(saddlesurf.phase.gfThreshold(3, 1)).toBeCloseTo(2, 14);
  });
});
