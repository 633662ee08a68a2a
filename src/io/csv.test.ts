import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnsToCsv, parseCsv, toCsv } from './csv.ts';
import { numberFromJson, toJson } from './json.ts';

describe('CSV', () => {
  it('writes numbers exactly and re-reads them (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }),
        (xs) => {
          const text = columnsToCsv({ x: xs, i: xs.map((_, i) => i) });
          const { columns, rows } = parseCsv(text);
          return (
            columns.join() === 'x,i' &&
            rows.every((r, i) => Object.is(Number(r[0]), xs[i] === 0 ? xs[i] + 0 : xs[i]))
          );
        },
      ),
    );
  });

  it('writes missing values empty, infinities as inf, quotes text with commas', () => {
    expect(
      toCsv(
        ['a', 'b', 'c'],
        [
          [null, Number.NaN, Number.POSITIVE_INFINITY],
          ['x,y', 'q"q', -Infinity],
        ],
      ),
    ).toBe('a,b,c\n,,inf\n"x,y","q""q",-inf\n');
    expect(parseCsv('a,b\n"x,y",2\n').rows).toEqual([['x,y', '2']]);
    expect(() => toCsv(['a'], [[1, 2]])).toThrow(/fields/);
  });
});

describe('JSON', () => {
  it('spells infinities as "inf" and reads them back; typed arrays become lists', () => {
    const text = toJson({ d: Number.POSITIVE_INFINITY, n: Number.NaN, a: new Float64Array([1, 2]) });
    const back = JSON.parse(text);
    expect(back).toEqual({ d: 'inf', n: null, a: [1, 2] });
    expect(numberFromJson(back.d)).toBe(Number.POSITIVE_INFINITY);
    expect(text.endsWith('\n')).toBe(true);
  });
});
