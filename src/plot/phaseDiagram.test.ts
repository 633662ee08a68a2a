import { describe, expect, it } from 'vitest';
import {
  dashOf,
  geometryIsFinite,
  legendTexts,
  markerCentres,
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
import { gfThreshold, phaseFixture } from '../../test/helpers/plotFixtures.ts';
import { bayesRegions } from '../amp/index.ts';
import { thresholdLines } from '../phase/index.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';
import { phaseDiagram } from './phaseDiagram.ts';
import { phaseLinesFromTable, regionRowsFromIntervals } from './phaseDiagramData.ts';

const document = createHeadlessDocument();

describe('phaseDiagram', () => {
  const data = [phaseFixture(3), phaseFixture(4)];
  const svg = phaseDiagram(data, { document });
  const panels = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg');

  it('is a standalone svg with one chart panel per p, titled with p', () => {
    expect(svg.getAttribute('xmlns')).toBe('http://www.w3.org/2000/svg');
    expect(panels).toHaveLength(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['p = 3', 'p = 4']));
    expect(svg.querySelector('title')?.textContent).toBe('phase diagram, p = 3, 4');
    expect(svg.getAttribute('role')).toBe('img');
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

  it('gives no legend key to a line without a finite point (a 2+p-only line of a channel model)', () => {
    const [panel] = data;
    const empty = {
      ...panel!,
      lines: [
        ...panel!.lines.filter((l) => l.kind !== 'mlAmpSpinodal'),
        {
          kind: 'mlAmpSpinodal' as const,
          points: panel!.lines[0]!.points.map((q) => ({ deltap: q.deltap, invDelta2: Number.NaN })),
        },
      ],
    };
    const withEmpty = legendTexts(phaseDiagram(empty, { document }));
    expect(withEmpty).not.toContain('ML-AMP spinodal');
    expect(withEmpty).toContain('GF threshold, closed form');
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
    // The Δp axis is logarithmic (the domain spans more than a decade): ticks 1 and 2 are log10(2) apart.
    const xData = (px: number) => 2 ** ((px - xt.get('1')!.x) / (xt.get('2')!.x - xt.get('1')!.x));
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

  it('uses a log Δp axis with 1-2-5 labels when Δp spans a decade, and a linear one when asked', () => {
    const labels = [...tickPositions(panels[0]!, 'x').keys()].filter((t) => t !== '');
    expect(labels).toEqual(expect.arrayContaining(['1', '2']));
    expect(texts(svg).some((t) => t.includes('log scale'))).toBe(true);
    const linear = phaseDiagram(phaseFixture(3), { document, deltapScale: 'linear' });
    expect(texts(linear).some((t) => t.includes('log scale'))).toBe(false);
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

  it('keeps every mark inside the frame when the domains cut lines, regions and points', () => {
    const fig = phaseDiagram(data, { document, deltapDomain: [0.7, 2.5], invDelta2Domain: [0.8, 2.2] });
    const charts = [...fig.children].filter((c) => c.tagName.toLowerCase() === 'svg');
    for (const c of charts) expect(marksInsideFrame(c)).toBe(true);
    // Control: the check does see a vertex in the margin.
    const bad = charts[0]!.cloneNode(true) as Element;
    marks(bad, 'series:gf')[0]!.querySelector('path')!.setAttribute('d', 'M0,0L100,100');
    expect(marksInsideFrame(bad)).toBe(false);
    expect(marksWithPrefix(charts[0]!, 'region:').length).toBeGreaterThan(0);
  });

  it('honours explicit domains and skips region labels on request', () => {
    const fig = phaseDiagram(data[0]!, { document, invDelta2Domain: [0, 3], regionLabels: false });
    expect(marksWithPrefix(fig, 'region label')).toHaveLength(0);
    expect(tickPositions(fig, 'y').has('3.0')).toBe(true);
    expect(tickPositions(fig, 'y').has('4.0')).toBe(false);
  });
});

describe('phaseLinesFromTable', () => {
  it('maps the src/phase line names to kinds and conventions, keeping nulls as gaps', () => {
    const lines = phaseLinesFromTable([0.5, 1, 2], {
      gf: [gfThreshold(3, 0.5), gfThreshold(3, 1), gfThreshold(3, 2)],
      trivAllM: [2.9, 2.3, null],
      trivNonNegativeM: [2.8, 2.2, 1.9],
      bayesIT: [0.7, 1, 1],
      langevinConjecture: [null, 1.4, 1.2],
    });
    expect(lines.map((l) => [l.kind, l.convention])).toEqual([
      ['gf', undefined],
      ['triv', 'all'],
      ['triv', 'nonNegative'],
      ['langevinConjecture', undefined],
    ]);
    expect(lines[1]!.points[2]).toEqual({ deltap: 2, invDelta2: null });
    const fig = phaseDiagram({ p: 3, lines, regions: [], measured: [] }, { document });
    // The null splits nothing here (it is at the end) but must not produce NaN.
    expect(geometryIsFinite(fig)).toBe(true);
    expect(pathCount(marks(fig, 'series:triv-all')[0]!)).toBe(1);
  });

  it('refuses a column whose length does not match the Δp grid', () => {
    expect(() => phaseLinesFromTable([1, 2], { gf: [2] })).toThrow(/gf/);
  });
});

describe('regionRowsFromIntervals', () => {
  const pocket = [
    {
      deltap: 0.3,
      intervals: [
        { from: 0, to: 0.6, region: 'impossible' as const },
        { from: 0.6, to: Infinity, region: 'easy' as const },
      ],
    },
    {
      deltap: 0.2,
      intervals: [
        { from: 0, to: 0.5, region: 'impossible' as const },
        { from: 0.5, to: 1.1, region: 'hard' as const },
        { from: 1.1, to: 1.2, region: 'easy' as const },
        { from: 1.2, to: 1.4, region: 'hard' as const },
        { from: 1.4, to: Infinity, region: 'easy' as const },
      ],
    },
    {
      deltap: 0.1,
      intervals: [
        { from: 0, to: 0.4, region: 'impossible' as const },
        { from: 0.4, to: 1.3, region: 'hard' as const },
        { from: 1.3, to: Infinity, region: 'easy' as const },
      ],
    },
  ];
  const rows = regionRowsFromIntervals(pocket);
  const band = (region: string, segment: number) =>
    rows
      .filter((r) => r.region === region && r.segment === segment)
      .map((r) => [r.deltap, r.invDelta2From, r.invDelta2To]);

  it('joins overlapping intervals of a region across Δp into one band, sorted by Δp', () => {
    expect(band('impossible', 0)).toEqual([
      [0.1, 0, 0.4],
      [0.2, 0, 0.5],
      [0.3, 0, 0.6],
    ]);
    // The top easy region continues through the column with the pocket.
    expect(band('easy', 0)).toEqual([
      [0.1, 1.3, Infinity],
      [0.2, 1.4, Infinity],
      [0.3, 0.6, Infinity],
    ]);
  });

  it('starts separate bands for a pocket and pinches bands off on the nearest boundary of the neighbour column', () => {
    // The pocket (easy, 1.1–1.2 at Δp = 0.2) grows out of the boundary at 1.3 of Δp = 0.1
    // and shrinks into the boundary at 0.6 of Δp = 0.3 (the only finite one besides 0).
    expect(band('easy', 1)).toEqual([
      [0.1, 1.3, 1.3],
      [0.2, 1.1, 1.2],
      [0.3, 0.6, 0.6],
    ]);
    // The lower hard interval at Δp = 0.2 overlaps the hard band of Δp = 0.1 more than the upper one.
    expect(band('hard', 0)).toEqual([
      [0.1, 0.4, 1.3],
      [0.2, 0.5, 1.1],
      [0.3, 0.6, 0.6],
    ]);
    expect(band('hard', 1)).toEqual([
      [0.1, 1.3, 1.3],
      [0.2, 1.2, 1.4],
      [0.3, 0.6, 0.6],
    ]);
  });

  it('tiles [0, ∞) between grid points: at every Δp the bands cover 1/Δ2 without gaps or overlaps', () => {
    // Interpolate every band linearly at intermediate Δp (as the area mark does) and
    // check that the intervals chain from 0 to ∞.
    for (const x of [0.125, 0.15, 0.175, 0.225, 0.25, 0.275]) {
      const keys = [...new Set(rows.map((r) => `${r.region}:${r.segment}`))];
      const spans = keys
        .map((k) => {
          const bandRows = rows.filter((r) => `${r.region}:${r.segment}` === k);
          const i = bandRows.findIndex((r) => r.deltap > x);
          if (i <= 0) return null;
          const a = bandRows[i - 1]!;
          const b = bandRows[i]!;
          const w = (x - a.deltap) / (b.deltap - a.deltap);
          const lerp = (u: number, v: number) => (u === v ? u : u + w * (v - u));
          return { from: lerp(a.invDelta2From, b.invDelta2From), to: lerp(a.invDelta2To, b.invDelta2To) };
        })
        .filter((v): v is { from: number; to: number } => v !== null && v.to > v.from)
        .sort((u, v) => u.from - v.from);
      expect(spans[0]!.from).toBe(0);
      expect(spans[spans.length - 1]!.to).toBe(Infinity);
      // 1e-12: linear interpolation of shared boundary values is exact up to rounding.
      for (let j = 1; j < spans.length; j++) expect(spans[j]!.from).toBeCloseTo(spans[j - 1]!.to, 12);
    }
  });

  it('draws every band without NaN in the geometry', () => {
    const fig = phaseDiagram(
      { p: 4, lines: [], regions: rows, measured: [] },
      { document, invDelta2Domain: [0, 2] },
    );
    expect(geometryIsFinite(fig)).toBe(true);
    expect(marks(fig, 'region:easy')).toHaveLength(2);
    expect(marks(fig, 'region:hard')).toHaveLength(2);
  });
});

describe('phase diagram from the real threshold table (src/phase, src/amp)', () => {
  // 25 Δp points keep this under a second; the CLI uses a finer grid.
  const deltaps = Array.from({ length: 25 }, (_, i) => 0.05 + (3.95 * i) / 24);
  const panels = [3, 4].map((p) => ({
    p,
    lines: phaseLinesFromTable(deltaps, thresholdLines(p, deltaps)),
    regions: regionRowsFromIntervals(deltaps.map((d) => ({ deltap: d, intervals: bayesRegions(p, d) }))),
    measured: [],
  }));
  const svg = phaseDiagram(panels, { document, invDelta2Domain: [0, 3.2] });

  it('draws every line once per panel and puts the GF line on its closed form (THEORY §5)', () => {
    for (const id of ['gf', 'mlAmp', 'triv-all', 'triv-nonNegative', 'langevinConjecture'])
      expect(marks(svg, `series:${id}`), id).toHaveLength(2);
    const p3 = [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg')[0]!;
    const xt = tickPositions(p3, 'x');
    const yt = tickPositions(p3, 'y');
    // The Δp axis is logarithmic (the domain spans more than a decade): ticks 1 and 2 are log10(2) apart.
    const xData = (px: number) => 2 ** ((px - xt.get('1')!.x) / (xt.get('2')!.x - xt.get('1')!.x));
    const yData = (py: number) => 1 + (py - yt.get('1.0')!.y) / (yt.get('2.0')!.y - yt.get('1.0')!.y);
    const d = marks(p3, 'series:gf')[0]!.querySelector('path')!.getAttribute('d')!;
    // Skip the first vertex: the line enters through the top of the frame there, on a chord.
    for (const v of pathVertices(d).slice(1)) {
      // 1e-3 px rounding ≈ 1e-5 in both axes, times slopes below 10: allow 5e-4 (3 decimals).
      expect(yData(v.y)).toBeCloseTo(gfThreshold(3, xData(v.x)), 3);
    }
  });

  it('puts the impossible/easy boundary of p = 3 at 1/Δ2 = 1 for Δp ≥ 1 (continuous transition, THEORY §6.2)', () => {
    const p3 = panels[0]!;
    for (const r of p3.regions.filter(
      (q) => q.deltap >= 1 && q.region === 'impossible' && q.invDelta2To > q.invDelta2From,
    )) {
      // bayesRegions polishes boundaries with Brent to ~1e-12.
      expect(r.invDelta2To).toBeCloseTo(1, 9);
    }
  });

  it('has no clip paths (resvg aborts on some) and rasterises', () => {
    expect(svg.querySelectorAll('[clip-path]')).toHaveLength(0);
    expect(geometryIsFinite(svg)).toBe(true);
    const { png } = renderPng(svg);
    expect(pngSize(png)).toEqual({ width: 1920, height: 2 * Number(svg.getAttribute('height')) });
  });
});
