import { describe, expect, it } from 'vitest';
import { translation } from '../../test/helpers/figureQueries.ts';
import { createHeadlessDocument } from './headless.ts';
import { drawLegend, finiteNLabel, type LegendEntry } from './legend.ts';

const document = createHeadlessDocument();

const entries: LegendEntry[] = [
  { label: 'N = ∞ (large-N dynamics)', symbol: { kind: 'line', color: '#0072B2' } },
  {
    label: 'N = 1000: mean and spread over 8 seeds',
    symbol: { kind: 'line', color: '#000', dash: '4,3', band: true },
  },
  { label: 'Bayes: hard', symbol: { kind: 'swatch', color: '#f9d5b0' } },
  {
    label: 'Langevin T = 1, measured',
    symbol: { kind: 'dot', color: '#CC79A7', shape: 'diamond', errorBar: true },
  },
];

describe('drawLegend', () => {
  it('writes every label as SVG text (no HTML), with its key', () => {
    const { node } = drawLegend(document, entries, { width: 2000 });
    const items = [...node.querySelectorAll('g')].filter(
      (g) => g.getAttribute('aria-label') === 'legend entry',
    );
    expect(items.map((g) => g.querySelector('text')!.textContent)).toEqual(entries.map((e) => e.label));
    expect(items[0]!.querySelector('line')!.getAttribute('stroke')).toBe('#0072B2');
    expect(items[1]!.querySelector('line')!.getAttribute('stroke-dasharray')).toBe('4,3');
    expect(items[1]!.querySelector('rect')).not.toBeNull();
    expect(items[2]!.querySelector('rect')!.getAttribute('fill')).toBe('#f9d5b0');
    expect(items[3]!.querySelector('path')).not.toBeNull();
    expect(items[3]!.querySelector('line')).not.toBeNull();
    // Only the entry that asks for a marker has a dot on its line.
    expect(items[0]!.querySelector('circle')).toBeNull();
    const marked = drawLegend(
      document,
      [{ label: 'run', symbol: { kind: 'line', color: '#D55E00', marker: true } }],
      {
        width: 500,
      },
    );
    expect(marked.node.querySelector('circle')!.getAttribute('fill')).toBe('#D55E00');
  });

  it('keeps everything on one row when it fits and wraps onto more rows when narrow', () => {
    const wide = drawLegend(document, entries, { width: 2000, fontSize: 13 });
    const narrow = drawLegend(document, entries, { width: 300, fontSize: 13 });
    const rowHeight = Math.round(13 * 1.7);
    expect(wide.height).toBe(rowHeight);
    expect(narrow.height).toBe(4 * rowHeight);
    // Wrapped entries start at the left edge.
    const xs = [...narrow.node.querySelectorAll('g')]
      .filter((g) => g.getAttribute('aria-label') === 'legend entry')
      .map((g) => translation(g.getAttribute('transform')).x);
    expect(xs).toEqual([0, 0, 0, 0]);
  });

  it('lays out aligned columns when one row does not fit', () => {
    // Estimated widths at 13 px: 211, 313, 116, 211 px; two columns need 211 + 20 + 313 = 544 px.
    const { node, height } = drawLegend(document, entries, { width: 560, fontSize: 13 });
    expect(height).toBe(2 * Math.round(13 * 1.7));
    const xs = [...node.querySelectorAll('g')]
      .filter((g) => g.getAttribute('aria-label') === 'legend entry')
      .map((g) => translation(g.getAttribute('transform')).x);
    expect(xs[0]).toBe(0);
    expect(xs[2]).toBe(0);
    expect(xs[1]).toBe(xs[3]);
    // The second column starts after the widest entry of the first, plus the gap.
    expect(xs[1]).toBeCloseTo(36 + 24 * 13 * 0.56 + 20, 9);
  });

  it('takes no space when empty', () => {
    expect(drawLegend(document, [], { width: 100 }).height).toBe(0);
  });
});

describe('finiteNLabel', () => {
  it('says "one run" for a single seed and counts seeds otherwise', () => {
    expect(finiteNLabel(100, 1)).toBe('N = 100: one run');
    expect(finiteNLabel(200, 3)).toBe('N = 200: mean and spread over 3 seeds');
    expect(finiteNLabel(undefined, undefined)).toBe('finite N: mean and spread over seeds');
  });
});
