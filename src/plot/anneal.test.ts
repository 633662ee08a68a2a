import { describe, expect, it } from 'vitest';
import {
  geometryIsFinite,
  legendTexts,
  marks,
  marksInsideFrame,
  renderPng,
} from '../../test/helpers/figureQueries.ts';
import { type AnnealData, annealFigure } from './anneal.ts';
import { createHeadlessDocument } from './headless.ts';

const document = createHeadlessDocument();

// Synthetic curves of the right shape (not a physics result): two 1/Δ2, plain and annealed.
const ts = Array.from({ length: 40 }, (_, i) => 0.05 * 1.15 ** i);
const runs = [
  { key: 0, invDelta2: 1.4, ratio: 1, annealed: false, escapeTime: null },
  { key: 1, invDelta2: 1.4, ratio: 1, annealed: true, escapeTime: 8 },
  { key: 2, invDelta2: 1.697, ratio: 1.2, annealed: false, escapeTime: 6 },
  { key: 3, invDelta2: 1.697, ratio: 1.2, annealed: true, escapeTime: 4 },
];
const data: AnnealData = {
  p: 3,
  deltap: 1,
  c: 10,
  tau: 5,
  level: 0.3,
  runs,
  rows: runs.flatMap((r) =>
    ts.map((t) => ({
      key: r.key,
      t,
      m: 0.05 + (0.5 * t) / (t + 10 - r.key),
      e: -1 + 1 / (1 + t),
      mu: 3 - 1 / (1 + t),
    })),
  ),
  nishimori: [
    { invDelta2: 1.4, mu: 3.4, e: -1.04 },
    { invDelta2: 1.697, mu: 3.697, e: -1.18 },
  ],
};

describe('annealFigure', () => {
  const svg = annealFigure(data, { document });

  it('draws every run in m, e and μ, plain solid and annealed dashed in the colour of its 1/Δ2', () => {
    for (const key of ['m', 'e', 'mu'])
      for (const r of runs) {
        const path = marks(svg, `series:${key}:${r.key}`)[0]!.querySelector('path')!;
        const dash = marks(svg, `series:${key}:${r.key}`)[0]!.getAttribute('stroke-dasharray');
        expect(dash === '8,4').toBe(r.annealed);
        expect(path).not.toBeNull();
      }
  });

  it('marks the three escape times (not the run that never escapes) and the Nishimori values', () => {
    expect(marks(svg, 'escape')[0]!.querySelectorAll('circle')).toHaveLength(3);
    expect(marks(svg, 'nishimori:mu:1.4')).toHaveLength(1);
    expect(marks(svg, 'nishimori:e:1.697')).toHaveLength(1);
    expect(marks(svg, 'protocol')).toHaveLength(1);
    const legend = legendTexts(svg);
    expect(legend).toContain('1/Δ₂ = 1.697 (1.2 × Langevin line)');
    expect(legend.some((t) => t.includes('THEORY §3'))).toBe(true);
  });

  it('has finite geometry, every mark inside its frame, and renders', () => {
    expect(geometryIsFinite(svg)).toBe(true);
    for (const chart of [...svg.children].filter((c) => c.tagName.toLowerCase() === 'svg'))
      expect(marksInsideFrame(chart)).toBe(true);
    expect(renderPng(svg).png.length).toBeGreaterThan(1000);
  });
});
