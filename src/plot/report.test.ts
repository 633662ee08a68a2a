import { describe, expect, it } from 'vitest';
import { complexityFigure } from './complexity.ts';
import { createHeadlessDocument, svgToString } from './headless.ts';
import { phaseDiagram } from './phaseDiagram.ts';
import { buildReport, escapeHtml, type ReportSection } from './report.ts';
import { complexityFixture, phaseFixture } from './testFixtures.ts';

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
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    // Every url(#…) reference points at an id of the page.
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
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
