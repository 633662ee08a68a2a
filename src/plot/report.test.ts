import { describe, expect, it } from 'vitest';
import { complexityFixture, phaseFixture } from '../../test/helpers/plotFixtures.ts';
import { complexityFigure } from './complexity.ts';
import { createHeadlessDocument, svgToString } from './headless.ts';
import { phaseDiagram } from './phaseDiagram.ts';
import { buildReport, escapeHtml, type ReportSection } from './report.ts';

const document = createHeadlessDocument();

function sections(): ReportSection[] {
  return [
    {
      id: 'phase-p3',
      title: 'Phase diagram, p = 3',
      caption:
        'Δp on x, 1/Δ2 on y. Triv in both conventions.\n\nGF threshold at Δp = 1: 1/Δ2 = 2 (closed form).',
      svg: svgToString(phaseDiagram(phaseFixture(3), { document })),
      dataFiles: ['phase-p3.csv', 'phase-p3.json'],
    },
    {
      id: 'complexity',
      title: 'Complexity of minima <Σ_min>',
      caption: 'Three 1/Δ2 & their regimes.',
      svg: svgToString(complexityFigure(complexityFixture(), { document })),
      dataFiles: ['complexity.csv'],
    },
  ];
}

describe('buildReport', () => {
  const html = buildReport({
    title: 'saddlesurf figures',
    sections: sections(),
    meta: {
      version: '0.1.0',
      generated: '2026-11-28T22:00:00Z',
      seed: 42,
      parameters: { p: [3, 4], N: 1000 },
      notes: ['triv: both conventions'],
    },
  });

  it('is one HTML document with every section, its caption paragraphs and its data links', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html.match(/<section id="phase-p3">/g)).toHaveLength(1);
    expect(html.match(/<section id="complexity">/g)).toHaveLength(1);
    expect(html).toContain('<h2>Figure 1. Phase diagram, p = 3</h2>');
    expect(html).toContain('<p>GF threshold at Δp = 1: 1/Δ2 = 2 (closed form).</p>');
    expect(html).toContain('<a href="phase-p3.csv">phase-p3.csv</a>');
    expect(html).toContain('<a href="#complexity">');
    // One outer figure per section (chart panels are nested <svg>s inside it).
    expect(html.match(/<svg\b[^>]*\brole="img"/g)).toHaveLength(2);
  });

  it('escapes text and records the provenance', () => {
    expect(html).toContain('Complexity of minima &lt;Σ_min&gt;');
    expect(html).toContain('Three 1/Δ2 &amp; their regimes.');
    expect(html).toContain('<dt>version</dt><dd>0.1.0</dd>');
    expect(html).toContain('<dt>seed</dt><dd>42</dd>');
    expect(html).toContain('&quot;N&quot;: 1000');
    expect(html).toContain('<li>triv: both conventions</li>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('loads nothing from the network and runs no script', () => {
    // Namespace URIs (xmlns) are identifiers, not loads; every attribute that loads is checked.
    expect(html).not.toMatch(/\s(src|href|xlink:href|action|poster|data)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<(script|link|iframe|img|object|embed)\b/i);
    expect(html).not.toContain('<?xml');
  });

  it('keeps element ids unique across inlined figures', () => {
    // Two figures rendered separately can both define id="c" (Plot numbers clip
    // paths per process); inlined, each must keep pointing at its own definition.
    const withIds = (colour: string) =>
      `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" role="img" width="10" height="10"><defs><clipPath id="c"><rect width="5" height="5"/></clipPath></defs><rect clip-path="url(#c)" fill="${colour}" width="10" height="10"/></svg>`;
    const page = buildReport({
      title: 'ids',
      sections: [
        { id: 'a', title: 'A', caption: '', svg: withIds('red'), dataFiles: [] },
        { id: 'b', title: 'B', caption: '', svg: withIds('blue'), dataFiles: [] },
      ],
      meta: { version: '0' },
    });
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['a', 'fig1-c', 'b', 'fig2-c', 'provenance']);
    expect(page).toContain('clip-path="url(#fig1-c)" fill="red"');
    expect(page).toContain('clip-path="url(#fig2-c)" fill="blue"');
    const all = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('rejects absolute or remote data paths, duplicate or malformed ids, and scripted SVG', () => {
    const base = sections()[0]!;
    const meta = { version: '0' };
    expect(() =>
      buildReport({ title: 't', sections: [{ ...base, dataFiles: ['https://x.org/a.csv'] }], meta }),
    ).toThrow(/relative/);
    expect(() =>
      buildReport({ title: 't', sections: [{ ...base, dataFiles: ['/tmp/a.csv'] }], meta }),
    ).toThrow(/relative/);
    expect(() => buildReport({ title: 't', sections: [base, base], meta })).toThrow(/duplicate/);
    expect(() => buildReport({ title: 't', sections: [{ ...base, id: '1 bad' }], meta })).toThrow(/id/);
    expect(() =>
      buildReport({ title: 't', sections: [{ ...base, svg: '<svg><script>alert(1)</script></svg>' }], meta }),
    ).toThrow(/script/);
  });
});
