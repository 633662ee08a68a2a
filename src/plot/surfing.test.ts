import { describe, expect, it } from 'vitest';
import {
  geometryIsFinite,
  legendTexts,
  markerCentres,
  marks,
  marksInsideFrame,
  PNG_SIGNATURE,
  pathCount,
  renderPng,
  texts,
  tickPositions,
} from '../../test/helpers/figureQueries.ts';
import { surfingFixture } from '../../test/helpers/plotFixtures.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';
import { surfingFigure } from './surfing.ts';

const document = createHeadlessDocument();

describe('surfingFigure', () => {
  const data = surfingFixture();
  const svg = surfingFigure(data, { document });
  const panels = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg');

  it('stacks λ_min, eigenvector overlap and m against log time', () => {
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(panels).toHaveLength(3);
    const all = texts(svg);
    expect(all).toEqual(
      expect.arrayContaining([
        'lowest eigenvalue λₘᵢₙ',
        'eigenvector overlap²',
        'overlap m',
        'time t (log scale)',
      ]),
    );
  });

  it('draws run and N = ∞ prediction as one path each per panel, plus the bulk edge', () => {
    for (const id of [
      'theory-lambda',
      'run-lambda',
      'edge',
      'theory-overlap',
      'run-overlap',
      'theory-m',
      'run-m',
    ]) {
      const g = marks(svg, `series:${id}`);
      expect(g, id).toHaveLength(1);
      expect(pathCount(g[0]!), id).toBe(1);
    }
    expect(markerCentres(marks(svg, 'points:run-m')[0]!)).toHaveLength(data.run.length);
  });

  it('names the run (N, seed) and the prediction in an SVG legend', () => {
    const legend = legendTexts(svg);
    expect(legend).toContain('N = 800 gradient flow (seed 7)');
    expect(legend).toContain('N = ∞ prediction (BBP outlier on the large-N trajectory)');
    expect(legend).toContain('bulk edge μ − 2σ');
  });

  it('places the run markers at their λ_min (pixel → data round trip) and draws the zero line', () => {
    const top = panels[0]!;
    const yt = tickPositions(top, 'y');
    const keys = [...yt.keys()].filter((k) => k !== '');
    const a = keys[0]!;
    const b = keys[keys.length - 1]!;
    const val = (s: string) => Number(s.replace('−', '-'));
    const toData = (py: number) =>
      val(a) + ((py - yt.get(a)!.y) / (yt.get(b)!.y - yt.get(a)!.y)) * (val(b) - val(a));
    const centres = markerCentres(marks(top, 'points:run-lambda')[0]!);
    centres.forEach((c, i) => {
      // Marker positions are written at full precision; 1e-9 bounds the arithmetic only.
      expect(toData(c.y)).toBeCloseTo(data.run[i]!.lambdaMin, 9);
    });
    const zero = top.querySelector('g[aria-label="rule"] line')!;
    expect(toData(Number(zero.getAttribute('y1')))).toBeCloseTo(0, 9);
  });

  it('draws §4.1 at the run’s own (m, μ) as open circles when given, with a legend entry', () => {
    expect(marks(panels[0]!, 'points:own-lambda')).toHaveLength(0);
    const own = {
      ...data,
      run: data.run.map((r) => ({ ...r, predictedLambdaMin: r.lambdaMin + 0.1, predictedOverlap: 0.5 })),
    };
    const withOwn = surfingFigure(own, { document });
    const ownPanels = [...withOwn.children].filter((c) => c.tagName.toLowerCase() === 'svg');
    const drawn = own.run.filter((r) => r.t > 0).length;
    expect(markerCentres(marks(ownPanels[0]!, 'points:own-lambda')[0]!)).toHaveLength(drawn);
    expect(markerCentres(marks(ownPanels[1]!, 'points:own-overlap')[0]!)).toHaveLength(drawn);
    expect(legendTexts(withOwn)).toContain('THEORY §4.1 at the run’s own (m, μ)');
    expect(geometryIsFinite(withOwn)).toBe(true);
  });

  it('has no NaN in the geometry, also without a theory prediction', () => {
    expect(geometryIsFinite(svg)).toBe(true);
    const bare = surfingFigure({ ...data, theory: undefined }, { document });
    expect(geometryIsFinite(bare)).toBe(true);
    expect(marks(bare, 'series:theory-m')).toHaveLength(0);
    expect(marks(bare, 'series:run-m')).toHaveLength(1);
    expect(texts(bare)).not.toContain('bulk edge μ − 2σ');
  });

  it('keeps every data mark inside its frame', () => {
    for (const chart of [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg'))
      expect(marksInsideFrame(chart)).toBe(true);
  });

  it('renders to a PNG of twice the SVG size', () => {
    const { png } = renderPng(svg);
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 1280, height: 2 * Number(svg.getAttribute('height')) });
  });
});
