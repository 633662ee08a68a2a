import { describe, expect, it } from 'vitest';
import { createHeadlessDocument, pngSize } from './headless.ts';
import { phaseDiagram } from './phaseDiagram.ts';
import { gfThreshold, phaseFixture } from './testFixtures.ts';
import {
  dashOf,
  geometryIsFinite,
  legendTexts,
  markerCentres,
  marks,
  marksWithPrefix,
  PNG_SIGNATURE,
  pathCount,
  renderPng,
  texts,
  tickPositions,
} from './testHelpers.ts';

const document = createHeadlessDocument();

describe('phaseDiagram', () => {
  const data = [phaseFixture(3), phaseFixture(4)];
  const svg = phaseDiagram(data, { document });
  const panels = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg');

  it('is a standalone svg with one chart panel per p, titled with p', () => {
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(panels).toHaveLength(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['p = 3', 'p = 4']));
  });

  it('labels the axes with the paper symbols Δp and 1/Δ2', () => {
    const all = texts(svg);
    expect(all.filter((t) => t.includes('Δₚ') && t.includes('tensor noise'))).toHaveLength(2);
    expect(all.filter((t) => t.includes('1/Δ₂') && t.includes('signal-to-noise'))).toHaveLength(2);
  });

  it('draws each threshold line as exactly one path per panel', () => {
    for (const id of ['gf', 'mlAmp', 'mlAmpSpinodal', 'triv-all', 'triv-nonNegative', 'langevinConjecture']) {
      const groups = marks(svg, `series:${id}`);
      expect(groups, id).toHaveLength(2);
      for (const g of groups) expect(pathCount(g), id).toBe(1);
    }
  });

  it('distinguishes the two trivialisation conventions and dashes the conjecture', () => {
    const dash = (id: string) => dashOf(marks(svg, `series:${id}`)[0]!);
    expect(dash('triv-all')).toBeNull();
    expect(dash('triv-nonNegative')).toBeTruthy();
    expect(dash('langevinConjecture')).toBeTruthy();
    expect(dash('langevinConjecture')).not.toBe(dash('triv-nonNegative'));
    const all = texts(svg);
    expect(all).toContain('triv, spurious minima at any m');
    expect(all).toContain('triv, spurious minima at m ≥ 0');
    expect(all).toContain('Langevin T = 1 (conjecture)');
    // The word also sits next to the dashed line in each panel.
    expect(all.filter((t) => t === 'conjecture')).toHaveLength(2);
  });

  it('draws the legend as SVG text, including regions and measured points', () => {
    const entries = legendTexts(svg);
    expect(entries).toEqual(
      expect.arrayContaining([
        'Bayes: impossible',
        'Bayes: hard',
        'Bayes: easy',
        'GF threshold, closed form',
        'ML-AMP, m = 0 unstable',
        'GF threshold, from N = ∞ escape times',
        'Langevin T = 1, from N = ∞ escape times',
      ]),
    );
    // Legend is drawn once for both panels, and every entry once.
    expect(new Set(entries).size).toBe(entries.length);
    expect(svg.querySelectorAll('figure')).toHaveLength(0);
  });

  it('fills every Bayes region in each panel', () => {
    for (const region of ['impossible', 'hard', 'easy'])
      expect(marks(svg, `region:${region}`), region).toHaveLength(2);
  });

  it('places measured points at their 1/Δ2 with error bars of ±err, in axis units', () => {
    // Independent check of the geometry: recover the y scale from two tick labels,
    // then map the dots and error-bar ends back to data units.
    const p3 = panels[0]!;
    const ticks = tickPositions(p3, 'y');
    const y1 = ticks.get('1')!.y;
    const y2 = ticks.get('2')!.y;
    const toData = (py: number) => 1 + (py - y1) / (y2 - y1);
    const dots = markerCentres(marks(p3, 'measured:gf')[0]!);
    const bars = marks(p3, 'errorbars:gf')[0]!.querySelectorAll('line');
    const measured = data[0]!.measured.filter((m) => m.method === 'gf');
    expect(dots).toHaveLength(measured.length);
    expect(bars).toHaveLength(measured.length);
    measured.forEach((m, i) => {
      const dotY = toData(dots[i]!.y);
      // Markers and rules are written with full double precision, so only rounding remains.
      expect(dotY).toBeCloseTo(m.invDelta2, 6);
      const ends = [Number(bars[i]!.getAttribute('y1')), Number(bars[i]!.getAttribute('y2'))].map(toData);
      expect(Math.abs(ends[0]! - ends[1]!)).toBeCloseTo(2 * m.err, 6);
      expect((ends[0]! + ends[1]!) / 2).toBeCloseTo(m.invDelta2, 6);
    });
  });

  it('draws the GF line through the closed form (pixel → data round trip)', () => {
    const p3 = panels[0]!;
    const xt = tickPositions(p3, 'x');
    const yt = tickPositions(p3, 'y');
    const xData = (px: number) => 1 + (px - xt.get('1')!.x) / (xt.get('2')!.x - xt.get('1')!.x);
    const yData = (py: number) => 1 + (py - yt.get('1')!.y) / (yt.get('2')!.y - yt.get('1')!.y);
    const d = marks(p3, 'series:gf')[0]!.querySelector('path')!.getAttribute('d')!;
    const vertices = [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(vertices.length).toBeGreaterThan(10);
    for (const [px, py] of vertices) {
      // Plot rounds path vertices to 1e-3 px; at ~50 px per unit of 1/Δ2 that is
      // 2e-5 in data units (plus the same in x times the slope): allow 5e-5.
      expect(yData(py!)).toBeCloseTo(gfThreshold(3, xData(px!)), 4);
    }
  });

  it('contains no NaN or Infinity in any geometry, even with gaps and infinite region tops', () => {
    const gappy = phaseFixture(3);
    const withGap = {
      ...gappy,
      lines: [
        {
          kind: 'gf' as const,
          points: [...gappy.lines[0]!.points.slice(0, 5), { deltap: 1, invDelta2: Number.NaN }],
        },
      ],
    };
    expect(geometryIsFinite(svg)).toBe(true);
    expect(geometryIsFinite(phaseDiagram(withGap, { document }))).toBe(true);
  });

  it('renders to a PNG of twice the SVG size', () => {
    const { png, svgText } = renderPng(svg);
    expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    const w = Number(svg.getAttribute('width'));
    const h = Number(svg.getAttribute('height'));
    expect(w).toBe(960);
    expect(pngSize(png)).toEqual({ width: 2 * w, height: 2 * h });
  });

  it('needs a document when there is no global one', () => {
    expect(() => phaseDiagram(data[0]!)).toThrow(/document/);
  });

  it('honours explicit domains and skips region labels on request', () => {
    const fig = phaseDiagram(data[0]!, { document, invDelta2Domain: [0, 3], regionLabels: false });
    expect(marksWithPrefix(fig, 'region label')).toHaveLength(0);
    expect(tickPositions(fig, 'y').has('3.0')).toBe(true);
    expect(tickPositions(fig, 'y').has('4.0')).toBe(false);
  });
});
