import { describe, expect, it } from 'vitest';
import {
  geometryIsFinite,
  legendTexts,
  markerCentres,
  marks,
  marksInsideFrame,
  PNG_SIGNATURE,
  pathCount,
  pathVertices,
  renderPng,
  texts,
  tickPositions,
} from '../../test/helpers/figureQueries.ts';
import { complexityFixture } from '../../test/helpers/plotFixtures.ts';
import { complexityFigure } from './complexity.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';

const document = createHeadlessDocument();

describe('complexityFigure', () => {
  const data = complexityFixture();
  const svg = complexityFigure(data, { document });

  it('labels Σ_min in units of 10⁻³ (complexities are 1e-4 … 1e-3) and m on x', () => {
    const all = texts(svg);
    expect(all).toContain('complexity of minima Σₘᵢₙ (× 10⁻³)');
    expect(all).toContain('overlap m with the signal');
  });

  it('draws one path per 1/Δ2 and names the regime in the SVG legend', () => {
    for (const c of data.curves) {
      const g = marks(svg, `series:${c.invDelta2}`);
      expect(g).toHaveLength(1);
      expect(pathCount(g[0]!)).toBe(1);
    }
    const legend = legendTexts(svg);
    expect(legend).toEqual([
      '1/Δ₂ = 1.3 (below GF threshold)',
      '1/Δ₂ = 1.7 (between GF and both triv lines)',
      '1/Δ₂ = 2.2 (above triv at any m)',
      'signal minimum m* (Σ = 0)',
    ]);
  });

  it('plots Σ scaled by 10³: the curve vertices map back to the data', () => {
    const yt = tickPositions(svg, 'y');
    const xt = tickPositions(svg, 'x');
    const sigma = (py: number) => ((py - yt.get('0.0')!.y) / (yt.get('1.0')!.y - yt.get('0.0')!.y)) * 1e-3;
    const m = (px: number) => 0.2 * ((px - xt.get('0.0')!.x) / (xt.get('0.2')!.x - xt.get('0.0')!.x));
    const rows = data.rows.filter((r) => r.invDelta2 === 1.3 && Number.isFinite(r.complexity));
    const v = pathVertices(marks(svg, 'series:1.3')[0]!.querySelector('path')!.getAttribute('d')!);
    const bottom = sigma(Math.max(...v.map((q) => q.y)));
    // The curve leaves the frame at its lower edge (Σ = −0.6 × max Σ = −0.9e-3): it is cut
    // there, not drawn below (1e-8 covers pixel rounding).
    expect(bottom).toBeGreaterThan(-0.9e-3 - 1e-8);
    expect(bottom).toBeLessThan(-0.9e-3 + 1e-8);
    expect(v.length).toBeGreaterThan(100);
    for (const q of v) {
      // Each vertex lies on the piecewise-linear curve through the data (the cut point
      // on a chord). 1e-3 px rounding ≈ 5e-6 in m and 2e-9 in Σ; times the slope
      // |dΣ/dm| < 1e-2, that is < 1e-7: allow 5e-8 + rounding (8 decimals).
      const x = m(q.x);
      const j = rows.findIndex((r) => r.m >= x - 1e-5);
      const a = rows[Math.max(0, j - 1)]!;
      const b = rows[j]!;
      const interp =
        b.m === a.m ? b.complexity : a.complexity + ((x - a.m) / (b.m - a.m)) * (b.complexity - a.complexity);
      expect(sigma(q.y)).toBeCloseTo(interp, 7);
    }
  });

  it('marks the signal minimum of each curve on the Σ = 0 line', () => {
    const zeroY = tickPositions(svg, 'y').get('0.0')!.y;
    for (const s of data.signal!) {
      const [c] = markerCentres(marks(svg, `signal:${s.invDelta2}`)[0]!);
      expect(c!.y).toBeCloseTo(zeroY, 9);
    }
  });

  it('leaves a gap (a second subpath) where Σ is not finite, without NaN', () => {
    const rows = data.rows.map((r) =>
      r.invDelta2 === 1.3 && r.m > 0.2 && r.m < 0.3 ? { ...r, complexity: Number.NEGATIVE_INFINITY } : r,
    );
    const fig = complexityFigure({ ...data, rows }, { document });
    const d = marks(fig, 'series:1.3')[0]!.querySelector('path')!.getAttribute('d')!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(geometryIsFinite(fig)).toBe(true);
    expect(geometryIsFinite(svg)).toBe(true);
  });

  it('keeps raw units when Σ is not small', () => {
    const big = complexityFigure(
      {
        p: 3,
        deltap: 1,
        curves: [{ invDelta2: 1 }],
        rows: [0, 0.5, 1].map((m) => ({ invDelta2: 1, m, complexity: 0.3 - m })),
      },
      { document },
    );
    expect(texts(big)).toContain('complexity of minima Σₘᵢₙ');
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
