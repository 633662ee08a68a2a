import { describe, expect, it } from 'vitest';
import { PNG_SIGNATURE } from '../../test/helpers/figureQueries.ts';
import { composeFigure } from './compose.ts';
import { createHeadlessDocument, pngSize, svgToPng, svgToString } from './headless.ts';
import { svgEl } from './legend.ts';

describe('headless rendering', () => {
  it('serialises a bare svg as a standalone document with xmlns and size from the viewBox', () => {
    const document = createHeadlessDocument();
    const svg = svgEl(document, 'svg', { viewBox: '0 0 120 80' });
    svg.append(svgEl(document, 'rect', { x: 10, y: 10, width: 50, height: 20, fill: '#0072B2' }));
    const text = svgToString(svg);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(text).toMatch(/width="120"/);
    expect(text).toMatch(/height="80"/);
  });

  it('rasterises at the requested zoom: PNG signature and IHDR size = scale × SVG size', () => {
    const document = createHeadlessDocument();
    const svg = svgEl(document, 'svg', { width: 150, height: 90, viewBox: '0 0 150 90' });
    svg.append(svgEl(document, 'rect', { x: 0, y: 0, width: 150, height: 90, fill: '#D55E00' }));
    const png = svgToPng(svgToString(svg), { scale: 2 });
    expect([...png.slice(0, 8)]).toEqual(PNG_SIGNATURE);
    expect(pngSize(png)).toEqual({ width: 300, height: 180 });
    expect(pngSize(svgToPng(svgToString(svg), { scale: 1 }))).toEqual({ width: 150, height: 90 });
  });

  it('renders text with the default font (a text-only figure is not blank)', () => {
    const document = createHeadlessDocument();
    const plain = composeFigure(document, { width: 200, panelHeight: 40, panels: [], ariaLabel: 'blank' });
    const withText = composeFigure(document, { width: 200, panelHeight: 40, panels: [], ariaLabel: 'text' });
    const t = svgEl(document, 'text', { x: 10, y: 25 });
    t.textContent = 'Δₚ 1/Δ₂ μ Σ λₘᵢₙ';
    withText.append(t);
    // Identical figures except for the text: if no font were found the PNGs would be identical.
    const a = svgToPng(svgToString(plain), { scale: 1 });
    const b = svgToPng(svgToString(withText), { scale: 1 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });
});
