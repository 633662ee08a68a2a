import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clipPolyline, logTickFormat, logTickFormatFor } from './chart.ts';

describe('clipPolyline', () => {
  it('cuts a segment at the box edge, at the exact crossing', () => {
    expect(
      clipPolyline(
        [
          { x: 0, y: 0 },
          { x: 1, y: 2 },
        ],
        { y: [0, 1] },
      ),
    ).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 1 },
    ]);
  });

  it('breaks the line (NaN point) where it leaves and re-enters the box', () => {
    const out = clipPolyline(
      [
        { x: 0, y: 0 },
        { x: 1, y: 4 },
        { x: 2, y: 0 },
      ],
      { y: [0, 2] },
    );
    expect(out).toEqual([
      { x: 0, y: 0 },
      { x: 0.5, y: 2 },
      { x: Number.NaN, y: Number.NaN },
      { x: 1.5, y: 2 },
      { x: 2, y: 0 },
    ]);
  });

  it('interpolates in log space on log axes (straight on the chart)', () => {
    // From t = 1 to t = 10000 over x ∈ [0, 1]: log10 t is linear, so t = 100 at x = 0.5.
    const out = clipPolyline(
      [
        { x: 0, y: 1 },
        { x: 1, y: 1e4 },
      ],
      { y: [1, 100], yLog: true },
    );
    expect(out[1]!.x).toBeCloseTo(0.5, 12);
    expect(out[1]!.y).toBeCloseTo(100, 9);
  });

  it('turns non-finite points into gaps and drops segments entirely outside', () => {
    const out = clipPolyline(
      [
        { x: 0, y: 0.5 },
        { x: 1, y: Number.NaN },
        { x: 2, y: 5 },
        { x: 3, y: 6 },
      ],
      { y: [0, 1] },
    );
    expect(out).toEqual([{ x: 0, y: 0.5 }]);
  });

  it('keeps every output point inside the box and every inside input point (property)', () => {
    const pt = fc.record({
      x: fc.double({ min: -10, max: 10, noNaN: true }),
      y: fc.double({ min: -10, max: 10, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(pt, { minLength: 2, maxLength: 30 }), (raw) => {
        const points = [...raw].sort((a, b) => a.x - b.x);
        const out = clipPolyline(points, { x: [-5, 5], y: [-2, 3] });
        for (const q of out) {
          if (Number.isNaN(q.x)) continue;
          // 1e-12: crossing points are computed in floating point.
          expect(q.x).toBeGreaterThanOrEqual(-5 - 1e-12);
          expect(q.x).toBeLessThanOrEqual(5 + 1e-12);
          expect(q.y).toBeGreaterThanOrEqual(-2 - 1e-12);
          expect(q.y).toBeLessThanOrEqual(3 + 1e-12);
        }
        const inside = points.filter((q) => q.x >= -5 && q.x <= 5 && q.y >= -2 && q.y <= 3);
        for (const q of inside) expect(out.some((o) => o.x === q.x && o.y === q.y)).toBe(true);
      }),
      { seed: 20261128, numRuns: 200 },
    );
  });
});

describe('logTickFormat', () => {
  it('labels powers of ten only, with superscript exponents outside 1 … 1000', () => {
    expect([1e-3, 0.1, 1, 10, 1000, 1e4, 2, 50].map(logTickFormat)).toEqual([
      '10⁻³',
      '10⁻¹',
      '1',
      '10',
      '1000',
      '10⁴',
      '',
      '',
    ]);
  });
});

describe('logTickFormatFor', () => {
  it('labels only powers of ten over two decades or more', () => {
    const f = logTickFormatFor([1, 1e4]);
    expect(f).toBe(logTickFormat);
    expect([1, 2, 5, 10, 200, 1000].map(f)).toEqual(['1', '', '', '10', '', '1000']);
  });

  it('also labels the 2× and 5× ticks over less than two decades', () => {
    const f = logTickFormatFor([150, 3000]);
    expect([200, 300, 500, 1000, 2000, 3000].map(f)).toEqual(['200', '', '500', '1000', '2000', '']);
    expect(logTickFormatFor([2e-5, 1e-4])(5e-5)).toBe('5·10⁻⁵');
  });
});
