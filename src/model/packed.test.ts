import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomial, packedIndex, unpackIndex } from './packed.ts';

/** All strictly increasing p-tuples of [0, n) in lexicographic order, by plain recursion. */
function enumerateTuples(n: number, p: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, prefix: number[]): void => {
    if (prefix.length === p) {
      out.push(prefix.slice());
      return;
    }
    for (let i = start; i < n; i++) {
      prefix.push(i);
      rec(i + 1, prefix);
      prefix.pop();
    }
  };
  rec(0, []);
  return out;
}

describe('binomial', () => {
  it('matches Pascal’s triangle (exact range: n ≤ 50)', () => {
    // Independent source: the additive recurrence C(n,k) = C(n−1,k−1) + C(n−1,k).
    const rows: number[][] = [[1]];
    for (let n = 1; n <= 50; n++) {
      const prev = rows[n - 1];
      rows.push(Array.from({ length: n + 1 }, (_, k) => (k === 0 || k === n ? 1 : prev[k - 1] + prev[k])));
    }
    for (let n = 0; n <= 50; n++) for (let k = 0; k <= n; k++) expect(binomial(n, k)).toBe(rows[n][k]);
    expect(binomial(5, 7)).toBe(0);
    expect(binomial(1000, 3)).toBe(166167000);
  });
});

describe('packed index map', () => {
  it('packedIndex is the position in lexicographic enumeration, unpackIndex its inverse', () => {
    for (const [n, p] of [
      [7, 3],
      [9, 4],
      [8, 5],
      [6, 6],
    ]) {
      const tuples = enumerateTuples(n, p);
      expect(tuples.length).toBe(binomial(n, p));
      tuples.forEach((tuple, rank) => {
        expect(packedIndex(n, tuple)).toBe(rank);
        expect(unpackIndex(n, p, rank)).toEqual(tuple);
      });
    }
  });

  it('round-trips at large n (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 2000 }),
        fc.integer({ min: 3, max: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (n, p, u) => {
          const total = binomial(n, p);
          const rank = Math.min(total - 1, Math.floor(u * total));
          const tuple = unpackIndex(n, p, rank);
          return packedIndex(n, tuple) === rank && tuple.every((v, r) => r === 0 || v > tuple[r - 1]);
        },
      ),
    );
  });

  it('rejects tuples that are not strictly increasing', () => {
    expect(() => packedIndex(5, [1, 1, 2])).toThrow(RangeError);
    expect(() => packedIndex(5, [1, 2, 5])).toThrow(RangeError);
    expect(() => unpackIndex(5, 3, 10)).toThrow(RangeError);
  });
});
