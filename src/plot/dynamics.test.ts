import { describe, expect, it } from 'vitest';
import {
  dashOf,
  geometryIsFinite,
  legendTexts,
  marks,
  marksInsideFrame,
  marksWithPrefix,
  PNG_SIGNATURE,
  pathCount,
  pathVertices,
  renderPng,
  texts,
  tickPositions,
} from '../../test/helpers/figureQueries.ts';
import { dynamicsFixture } from '../../test/helpers/plotFixtures.ts';
import { dynamicsFigure } from './dynamics.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';

const document = createHeadlessDocument();

describe('dynamicsFigure', () => {
  const data = dynamicsFixture();
  const invs = [1.4, 1.5, 1.6, 1.7];
  const svg = dynamicsFigure(data, { document });
  const panels = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg');

  it('stacks m, e and μ panels with the paper symbols and one log time label', () => {
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(panels).toHaveLength(3);
    const all = texts(svg);
    expect(all).toEqual(expect.arrayContaining(['overlap m', 'energy e = H/N', 'multiplier μ']));
    expect(all.filter((t) => t === 'time t (log scale)')).toHaveLength(1);
  });

  it('draws one N = ∞ path per 1/Δ2 and observable, and finite-N mean + band where given', () => {
    for (const a of invs) {
      for (const k of ['m', 'e', 'mu']) {
        const g = marks(svg, `series:${k}:${a}`);
        expect(g, `${k}:${a}`).toHaveLength(1);
        expect(pathCount(g[0]!)).toBe(1);
        expect(dashOf(g[0]!)).toBeNull();
      }
      for (const k of ['m', 'e']) {
        expect(marks(svg, `finiteN:${k}:${a}`), `${k}:${a}`).toHaveLength(1);
        expect(dashOf(marks(svg, `finiteN:${k}:${a}`)[0]!)).toBeTruthy();
        expect(marks(svg, `band:${k}:${a}`)).toHaveLength(1);
      }
      // The fixture has no finite-N μ, so nothing is drawn for it.
      expect(marks(svg, `finiteN:mu:${a}`)).toHaveLength(0);
    }
  });

  it('marks the threshold values 2σ and e_th for every 1/Δ2, with one text each', () => {
    expect(marksWithPrefix(svg, 'threshold:mu:')).toHaveLength(invs.length);
    expect(marksWithPrefix(svg, 'threshold:e:')).toHaveLength(invs.length);
    const all = texts(svg);
    expect(all).toContain('μₜₕ = 2σ');
    expect(all).toContain('eₜₕ (threshold energy)');
  });

  it('has an SVG legend naming every 1/Δ2, N = ∞, and the finite-N runs with N and seed count', () => {
    const legend = legendTexts(svg);
    for (const a of invs) expect(legend).toContain(`1/Δ₂ = ${a}`);
    expect(legend).toContain('N = ∞ (large-N dynamics)');
    expect(legend).toContain('N = 1000: mean and spread over 8 seeds');
  });

  it('uses a logarithmic time axis: decades are equally spaced', () => {
    const ticks = tickPositions(panels[2]!, 'x');
    const xs = ['10⁻²', '10⁻¹', '1', '10', '100', '1000', '10⁴'].map((k) => ticks.get(k)!.x);
    const steps = xs.slice(1).map((x, i) => x - xs[i]!);
    // Tick positions carry full double precision; 1e-6 px bounds rounding.
    for (const s of steps) expect(s).toBeCloseTo(steps[0]!, 6);
  });

  it('maps m(t) of the N = ∞ curve to the right pixels (pixel → data round trip)', () => {
    const top = panels[0]!;
    const xt = tickPositions(top, 'x');
    const yt = tickPositions(top, 'y');
    const logT = (px: number) => (px - xt.get('1')!.x) / (xt.get('10')!.x - xt.get('1')!.x);
    const m = (py: number) => 0.2 * ((py - yt.get('0.0')!.y) / (yt.get('0.2')!.y - yt.get('0.0')!.y));
    const d = marks(top, 'series:m:1.7')[0]!.querySelector('path')!.getAttribute('d')!;
    const rows = data.theory.filter((r) => r.invDelta2 === 1.7);
    const v = pathVertices(d);
    expect(v).toHaveLength(rows.length);
    v.forEach((q, i) => {
      // Path vertices are rounded to 1e-3 px, ~1e-5 in units of log10 t and of m.
      expect(logT(q.x)).toBeCloseTo(Math.log10(rows[i]!.t), 4);
      expect(m(q.y)).toBeCloseTo(rows[i]!.m, 4);
    });
  });

  it('drops t ≤ 0 rows (log axis) and non-finite values without NaN in the geometry', () => {
    const withZero = {
      ...data,
      theory: [
        { invDelta2: 1.4, t: 0, m: 0.01, e: -1, mu: 1 },
        ...data.theory,
        { invDelta2: 1.4, t: 5, m: Number.NaN, e: -1, mu: 1 },
      ],
    };
    expect(geometryIsFinite(svg)).toBe(true);
    expect(geometryIsFinite(dynamicsFigure(withZero, { document }))).toBe(true);
  });

  it('drops rows outside an explicit time domain instead of drawing into the margins', () => {
    const fig = dynamicsFigure(data, { document, timeDomain: [1, 1000] });
    const top = [...fig.children].filter((c) => c.tagName.toLowerCase() === 'svg')[0]!;
    const xt = tickPositions(top, 'x');
    const [left, right] = [xt.get('1')!.x, xt.get('1000')!.x];
    for (const g of [...marksWithPrefix(top, 'series:'), ...marksWithPrefix(top, 'finiteN:')]) {
      for (const v of pathVertices(g.querySelector('path')!.getAttribute('d')!)) {
        // 1e-3 px: path rounding.
        expect(v.x).toBeGreaterThanOrEqual(left - 1e-3);
        expect(v.x).toBeLessThanOrEqual(right + 1e-3);
      }
    }
  });

  it('works without finite-N data or thresholds', () => {
    const bare = dynamicsFigure({ p: 3, deltap: 1, theory: data.theory }, { document });
    expect(marksWithPrefix(bare, 'finiteN:')).toHaveLength(0);
    expect(marksWithPrefix(bare, 'threshold:')).toHaveLength(0);
    expect(texts(bare)).not.toContain('threshold values');
  });

  it('keeps every data mark inside its frame', () => {
    for (const chart of [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg'))
      expect(marksInsideFrame(chart)).toBe(true);
  });

  it('renders to a PNG of twice the SVG size', () => {
    const { png } = renderPng(svg);
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({
      width: 2 * Number(svg.getAttribute('width')),
      height: 2 * Number(svg.getAttribute('height')),
    });
  });
});
