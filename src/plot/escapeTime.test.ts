import { describe, expect, it } from 'vitest';
import {
  dashOf,
  geometryIsFinite,
  legendTexts,
  markerCentres,
  marks,
  marksInsideFrame,
  PNG_SIGNATURE,
  pathVertices,
  renderPng,
  texts,
  tickPositions,
} from '../../test/helpers/figureQueries.ts';
import { escapeTimeFixture } from '../../test/helpers/plotFixtures.ts';
import { fitEscapeTimes } from '../phase/index.ts';
import { escapeTimeFigure } from './escapeTime.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';

const document = createHeadlessDocument();

describe('escapeTimeFigure', () => {
  const data = escapeTimeFixture();
  const svg = escapeTimeFigure(data, { document });
  const xt = tickPositions(svg, 'x');
  const yt = tickPositions(svg, 'y');
  const invDelta2 = (px: number) =>
    1.5 + 0.1 * ((px - xt.get('1.5')!.x) / (xt.get('1.6')!.x - xt.get('1.5')!.x));
  const log10t = (py: number) => 2 + (py - yt.get('100')!.y) / (yt.get('1000')!.y - yt.get('100')!.y);

  it('labels the axes with 1/Δ2 and the escape level, with a log time axis', () => {
    const all = texts(svg);
    expect(all).toContain('1/Δ₂ (matrix signal-to-noise ratio)');
    expect(all).toContain('time for m to reach 0.5 (log scale)');
  });

  it('lists every case with its fitted a_c and θ, and the line styles, in an SVG legend', () => {
    const legend = legendTexts(svg);
    // Text content joins the sub/superscript tspans: "a" + "c", ")" + "−θ".
    expect(legend).toEqual([
      'p = 3, Δₚ = 1: ac = 1.52 ± 0.02, θ = 1.1',
      'p = 4, Δₚ = 2: ac = 1.55 ± 0.03, θ = 1',
      'fit t ≈ A (1/Δ₂ − ac)−θ',
      'fitted ac ± error',
      'GF threshold, closed form',
    ]);
    // No ASCII markup is left: a_c and the exponent are real sub/superscripts.
    const shifts = [...svg.querySelectorAll('tspan')].map((t) => [
      t.textContent,
      t.getAttribute('baseline-shift'),
    ]);
    expect(shifts).toEqual(
      expect.arrayContaining([
        ['c', 'sub'],
        ['−θ', 'super'],
      ]),
    );
    expect(legend.join(' ')).not.toMatch(/[_^]/);
  });

  it('draws the fitted law t = A (1/Δ2 − a_c)^(−θ) as one dashed path (pixel → data round trip)', () => {
    for (const c of data.cases) {
      const g = marks(svg, `fit:${c.id}`)[0]!;
      expect(dashOf(g)).toBeTruthy();
      const paths = g.querySelectorAll('path');
      expect(paths).toHaveLength(1);
      const v = pathVertices(paths[0]!.getAttribute('d')!);
      expect(v.length).toBeGreaterThan(50);
      const f = c.fit!;
      for (const q of v) {
        const x = invDelta2(q.x);
        // 1e-3 px rounding ≈ 4e-6 in 1/Δ2, which moves log10 t by at most θ·4e-6/(x − a_c)/ln 10 ≈ 1e-4
        // at the steepest sampled point; allow 5e-3.
        expect(log10t(q.y)).toBeCloseTo(
          Math.log10(f.amplitude) - f.exponent * Math.log10(x - f.threshold),
          2,
        );
      }
    }
  });

  it('places the measured points, the a_c band and the closed-form threshold in data coordinates', () => {
    for (const c of data.cases) {
      const pts = data.points.filter((q) => q.caseId === c.id);
      const centres = markerCentres(marks(svg, `points:${c.id}`)[0]!);
      expect(centres).toHaveLength(pts.length);
      centres.forEach((q, i) => {
        // Marker positions are written at full precision.
        expect(invDelta2(q.x)).toBeCloseTo(pts[i]!.invDelta2, 9);
        expect(log10t(q.y)).toBeCloseTo(Math.log10(pts[i]!.time), 9);
      });
      const rect = marks(svg, `ac-band:${c.id}`)[0]!.querySelector('rect')!;
      const x0 = invDelta2(Number(rect.getAttribute('x')));
      const x1 = invDelta2(Number(rect.getAttribute('x')) + Number(rect.getAttribute('width')));
      expect(x0).toBeCloseTo(c.fit!.threshold - c.fit!.thresholdError, 9);
      expect(x1).toBeCloseTo(c.fit!.threshold + c.fit!.thresholdError, 9);
      const rule = marks(svg, `closed-form:${c.id}`)[0]!.querySelector('line')!;
      expect(invDelta2(Number(rule.getAttribute('x1')))).toBeCloseTo(c.gfThreshold!, 9);
    }
  });

  it('skips runs that never escaped (infinite time) without NaN', () => {
    const fig = escapeTimeFigure(
      {
        ...data,
        points: [...data.points, { caseId: 'p3-dp1', invDelta2: 1.5, time: Number.POSITIVE_INFINITY }],
      },
      { document },
    );
    expect(markerCentres(marks(fig, 'points:p3-dp1')[0]!)).toHaveLength(8);
    expect(geometryIsFinite(fig)).toBe(true);
    expect(geometryIsFinite(svg)).toBe(true);
  });

  it('keeps every mark inside the frame when an explicit 1/Δ2 domain cuts the data', () => {
    const fig = escapeTimeFigure(data, { document, invDelta2Domain: [1.53, 1.9] });
    const chart = [...fig.children].find((c) => c.tagName.toLowerCase() === 'svg')!;
    expect(marksInsideFrame(chart)).toBe(true);
    // The closed-form p = 3 threshold (2) lies outside the domain; points left of 1.53 are dropped.
    expect(marks(chart, 'closed-form:p3-dp1')[0]?.querySelector('line') ?? null).toBeNull();
    expect(markerCentres(marks(chart, 'points:p3-dp1')[0]!).length).toBeLessThan(8);
  });

  it('renders to a PNG of twice the SVG size', () => {
    const { png } = renderPng(svg);
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 1280, height: 2 * Number(svg.getAttribute('height')) });
  });

  it('takes a PowerLawFit from src/phase as it is, and draws its law through exact-law points', () => {
    // Points on t = 10 (1/Δ2 − 2)^(−1.5): the fit recovers the law (phase/ tests its accuracy);
    // here the drawn dashed curve must pass through the markers.
    const xs = [2.2, 2.4, 2.6, 3, 3.5];
    const points = xs.map((x) => ({ caseId: 'exact', invDelta2: x, time: 10 * (x - 2) ** -1.5 }));
    const fit = fitEscapeTimes(points.map((q) => ({ x: q.invDelta2, t: q.time })));
    const fig = escapeTimeFigure(
      { level: 0.5, cases: [{ id: 'exact', p: 3, deltap: 2, fit, gfThreshold: 2 }], points },
      { document },
    );
    const chart = [...fig.children].find((c) => c.tagName.toLowerCase() === 'svg')!;
    const curve = pathVertices(marks(chart, 'fit:exact')[0]!.querySelector('path')!.getAttribute('d')!);
    for (const c of markerCentres(marks(chart, 'points:exact')[0]!)) {
      // Nearest curve vertices on either side of the marker: interpolate the curve's pixel y there.
      const j = curve.findIndex((v) => v.x >= c.x);
      const a = curve[Math.max(0, j - 1)]!;
      const b = curve[j]!;
      const y = b.x === a.x ? b.y : a.y + ((c.x - a.x) / (b.x - a.x)) * (b.y - a.y);
      // Within 0.5 px: chords of the sampled curve and 1e-3 px rounding.
      expect(Math.abs(y - c.y)).toBeLessThan(0.5);
    }
    expect(legendTexts(fig)[0]).toMatch(/^p = 3, Δₚ = 2: ac = 2(\.000)? ± /);
  });
});
