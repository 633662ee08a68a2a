import { describe, expect, it } from 'vitest';
import {
  geometryIsFinite,
  legendTexts,
  marks,
  marksInsideFrame,
  PNG_SIGNATURE,
  renderPng,
  texts,
} from '../../test/helpers/figureQueries.ts';
import { type CensusData, type CensusHistogramRow, censusFigure, stackHistogram } from './census.ts';
import { createHeadlessDocument, pngSize } from './headless.ts';

const document = createHeadlessDocument();

// Synthetic census data of the right shape (not a physics result): two bins per observable.
const bar = (
  observable: CensusHistogramRow['observable'],
  endClass: CensusHistogramRow['endClass'],
  lo: number,
  count: number,
) => ({ observable, endClass, lo, hi: lo + 0.1, count }) as const;
const data: CensusData = {
  landscape: {
    p: 4,
    deltap: 1,
    invDelta2: 2,
    n: 50,
    instances: 2,
    counts: { signal: 5, mirror: 3, spurious: 4, saddle: 1, unconverged: 0 },
    histograms: [
      bar('m', 'signal', 0.7, 5),
      bar('m', 'mirror', -0.8, 3),
      bar('m', 'spurious', 0.1, 4),
      bar('m', 'saddle', 0.1, 1),
      bar('energy', 'signal', -1.7, 5),
      bar('energy', 'mirror', -1.7, 3),
      bar('energy', 'spurious', -1.5, 4),
      bar('energy', 'saddle', -1.4, 1),
      bar('lambdaMin', 'signal', 0.5, 5),
      bar('lambdaMin', 'mirror', 0.5, 3),
      bar('lambdaMin', 'spurious', 0.3, 4),
      bar('lambdaMin', 'saddle', -0.2, 1),
    ],
    signalOverlap: 0.73,
    signalEnergy: -1.79,
    mirrorOverlap: -0.73,
  },
  trend: {
    p: 4,
    deltap: 1,
    invDelta2: 0,
    kacRice: 0.0493,
    rows: [10, 20, 30].map((n) => ({
      n,
      sigma: 0.0493 + 2.8 / n,
      sigmaStderr: 0.005,
      sigmaChao1: 0.0493 + 3 / n,
      resolvable: Math.log(150) / n,
    })),
  },
};

describe('censusFigure', () => {
  const svg = censusFigure(data, { document });

  it('stacks the classes of one bin on top of each other, in class order', () => {
    const s = stackHistogram(data.landscape.histograms).filter(
      (r) => r.observable === 'energy' && r.lo === -1.7,
    );
    expect(s.map((r) => [r.endClass, r.y1, r.y2])).toEqual([
      ['signal', 0, 5],
      ['mirror', 5, 8],
    ]);
  });

  it('draws one rect per non-empty segment in each histogram, and the trend points', () => {
    for (const o of ['m', 'energy', 'lambdaMin'])
      expect(marks(svg, `histogram:${o}`)[0]!.querySelectorAll('rect')).toHaveLength(4);
    expect(marks(svg, 'sigma')[0]!.querySelectorAll('circle')).toHaveLength(3);
    expect(marks(svg, 'chao1')[0]!.querySelectorAll('circle')).toHaveLength(3);
    expect(marks(svg, 'gap')[0]!.querySelectorAll('circle')).toHaveLength(3);
  });

  it('gives the class counts and the Kac–Rice value in the legend, with the THEORY sections', () => {
    const legend = legendTexts(svg);
    expect(legend).toContain('signal (5)');
    expect(legend).toContain('saddle (1)');
    expect(legend).not.toContain('unconverged (0)');
    expect(legend.some((t) => t.includes('0.0493 (THEORY §4.2)'))).toBe(true);
    expect(texts(svg)).toContain('lowest Hessian eigenvalue λₘᵢₙ');
  });

  it('has finite geometry, every mark inside its frame, and renders to PNG', () => {
    expect(geometryIsFinite(svg)).toBe(true);
    for (const chart of [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg'))
      expect(marksInsideFrame(chart)).toBe(true);
    const { svgText, png } = renderPng(svg);
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png).width).toBe(2 * Number(/width="(\d+)"/.exec(svgText)![1]));
  });
});
