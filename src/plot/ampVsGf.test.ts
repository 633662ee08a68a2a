import { describe, expect, it } from 'vitest';
import {
  geometryIsFinite,
  legendTexts,
  marks,
  marksInsideFrame,
  PNG_SIGNATURE,
  pathCount,
  pathVertices,
  renderPng,
  texts,
  tickPositions,
} from '../../test/helpers/figureQueries.ts';
import { ampVsGfFixture } from '../../test/helpers/plotFixtures.ts';
import { ampVsGfFigure } from './ampVsGf.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';

const document = createHeadlessDocument();

describe('ampVsGfFigure', () => {
  const data = ampVsGfFixture();
  const svg = ampVsGfFigure(data, { document });
  const panels = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg');
  const mOf = (panel: Element) => {
    const yt = tickPositions(panel, 'y');
    return (py: number) => 0.5 * ((py - yt.get('0.0')!.y) / (yt.get('0.5')!.y - yt.get('0.0')!.y));
  };

  it('has an ML-AMP panel against iterations and a GF panel against log time', () => {
    expect(panels).toHaveLength(2);
    const all = texts(svg);
    expect(all).toEqual(
      expect.arrayContaining(['ML-AMP', 'gradient flow', 'ML-AMP iteration', 'time t (log scale)']),
    );
    expect(all.filter((t) => t === 'overlap m')).toHaveLength(2);
  });

  it('marks the common end point m* in both panels at the same height', () => {
    const ys = panels.map((p) => {
      const rule = marks(p, 'fixed point')[0]!.querySelector('line')!;
      return mOf(p)(Number(rule.getAttribute('y1')));
    });
    // Rules are written at full precision.
    for (const y of ys) expect(y).toBeCloseTo(data.fixedPoint, 9);
    expect(texts(svg).filter((t) => t.startsWith('m* = 0.78'))).toHaveLength(2);
  });

  it('draws state evolution and large-N GF as one path each, ending at m*', () => {
    const se = marks(panels[0]!, 'series:state-evolution')[0]!;
    const gf = marks(panels[1]!, 'series:dmft')[0]!;
    expect(pathCount(se)).toBe(1);
    expect(pathCount(gf)).toBe(1);
    const seV = pathVertices(se.querySelector('path')!.getAttribute('d')!);
    expect(seV).toHaveLength(data.stateEvolution.length);
    // The state evolution (THEORY §6.1) converges to m*: the last vertex sits on it
    // (1e-3 px rounding ≈ 3e-6 in m).
    expect(mOf(panels[0]!)(seV[seV.length - 1]!.y)).toBeCloseTo(data.fixedPoint, 4);
  });

  it('overlays finite-N mean and spread in both panels and says N and seeds in the SVG legend', () => {
    expect(marks(panels[0]!, 'finiteN:amp')).toHaveLength(1);
    expect(marks(panels[0]!, 'band:amp')).toHaveLength(1);
    expect(marks(panels[1]!, 'finiteN:gf')).toHaveLength(1);
    expect(marks(panels[1]!, 'band:gf')).toHaveLength(1);
    const legend = legendTexts(svg);
    expect(legend).toContain('N = 1000: mean and spread over 10 seeds');
    expect(legend).toContain('m*: GF end state = ML-AMP fixed point');
  });

  it('keeps every data mark inside its frame', () => {
    for (const chart of [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg'))
      expect(marksInsideFrame(chart)).toBe(true);
  });

  it('has no NaN in the geometry and renders to a PNG of twice the SVG size', () => {
    expect(geometryIsFinite(svg)).toBe(true);
    const { png } = renderPng(svg);
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 1600, height: 2 * Number(svg.getAttribute('height')) });
  });
});
