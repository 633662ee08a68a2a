import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  clampField,
  DEFAULT_STATE,
  FIELDS,
  formatState,
  MAX_N,
  modelOf,
  type Order,
  parseState,
  roundPick,
  type ViewState,
} from './state.ts';

const arbState: fc.Arbitrary<ViewState> = fc
  .record({
    p: fc.constantFrom<Order>(3, 4),
    deltap: fc.double({ min: FIELDS.deltap.min, max: FIELDS.deltap.max, noNaN: true }),
    invDelta2: fc.double({ min: FIELDS.invDelta2.min, max: FIELDS.invDelta2.max, noNaN: true }),
    m0: fc.double({ min: FIELDS.m0.min, max: FIELDS.m0.max, noNaN: true }),
    tmax: fc.double({ min: FIELDS.tmax.min, max: FIELDS.tmax.max, noNaN: true }),
    n: fc.integer({ min: FIELDS.n.min, max: FIELDS.n.max }),
    seed: fc.integer({ min: 0, max: FIELDS.seed.max }),
  })
  .map((s) => ({ ...s, n: Math.min(s.n, MAX_N[s.p]) }));

describe('URL state', () => {
  it('round-trips every valid state exactly (shareable links restore the same view)', () => {
    fc.assert(
      fc.property(arbState, (s) => {
        const parsed = parseState(formatState(s));
        expect(parsed.ignored).toEqual([]);
        expect(parsed.state).toEqual(s);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('gives the default view for an empty query and a canonical query for it', () => {
    expect(parseState('')).toEqual({ state: DEFAULT_STATE, ignored: [] });
    expect(formatState(DEFAULT_STATE)).toBe('?p=3&dp=1&snr=3&m0=0.000001&t=100&n=100&seed=1');
  });

  it('ignores malformed or out-of-range values, naming them, and keeps the rest', () => {
    const { state, ignored } = parseState('?p=5&dp=-1&snr=2.5&n=12.5&seed=0x10&m0=&t=1e9');
    expect(state).toEqual({ ...DEFAULT_STATE, invDelta2: 2.5 });
    expect(ignored).toHaveLength(6);
    expect(ignored[0]).toContain('p must be 3 or 4');
    expect(ignored.join(' ')).toContain('Δp must be in [0.05, 4]');
    expect(ignored.join(' ')).toContain('N must be an integer');
  });

  it('caps N by the tensor order (p = 4 instances grow as N⁴)', () => {
    expect(parseState('?p=4&n=150').ignored[0]).toContain('[10, 100]');
    expect(parseState('?p=4&n=100').state.n).toBe(100);
    // An N that p = 3 allows is refused at p = 4 (the default N = 100 stays).
    expect(parseState('?p=4&n=101').state.n).toBe(100);
    expect(parseState('?p=4&n=101').ignored[0]).toContain('[10, 100]');
    expect(parseState('?p=3&n=101').ignored).toEqual([]);
    expect(clampField('n', 249.6, 4)).toBe(100);
    expect(clampField('n', 249.6, 3)).toBe(250);
    expect(clampField('deltap', -3)).toBe(FIELDS.deltap.min);
  });

  it('rounds picked coordinates to 3 significant digits and maps 1/Δ2 to Δ2', () => {
    expect(roundPick(1.23456)).toBe(1.23);
    expect(roundPick(0.0123456)).toBe(0.0123);
    expect(modelOf({ ...DEFAULT_STATE, invDelta2: 4 })).toEqual({ p: 3, delta2: 0.25, deltap: 1 });
  });
});
