/**
 * Node-only rendering: a linkedom document to build figures without a browser,
 * serialisation to a standalone SVG file, and PNG rasterisation with resvg.
 * This is the one module of `plot/` that imports Node-side packages; the browser
 * barrel `index.ts` never imports it (use `node.ts`).
 */
import { Resvg } from '@resvg/resvg-js';
import { parseHTML } from 'linkedom';
import { SVG_NS } from './theme.ts';

/**
 * A fresh DOM document (linkedom) for building figures in Node.
 * @example
 * const document = createHeadlessDocument();
 * const svg = phaseDiagram(data, { document });
 */
export function createHeadlessDocument(): Document {
  const { document } = parseHTML('<!DOCTYPE html><html><head></head><body></body></html>');
  return document as unknown as Document;
}

/**
 * Serialise a figure to a standalone SVG document: XML declaration, `xmlns`,
 * explicit width/height (taken from the viewBox when missing). Embedded `<style>`
 * elements and presentation attributes are kept as they are.
 * @example
 * svgToString(svg).startsWith('<?xml'); // true
 */
export function svgToString(svg: SVGSVGElement): string {
  if (!svg.getAttribute('xmlns')) svg.setAttribute('xmlns', SVG_NS);
  const viewBox = svg
    .getAttribute('viewBox')
    ?.split(/[\s,]+/)
    .map(Number);
  if (viewBox !== undefined && viewBox.length === 4) {
    if (!svg.getAttribute('width')) svg.setAttribute('width', String(viewBox[2]));
    if (!svg.getAttribute('height')) svg.setAttribute('height', String(viewBox[3]));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}\n`;
}

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /** Zoom factor (default 2, crisp on high-density screens and in print). */
  scale?: number;
}

/**
 * Rasterise an SVG document (string) to PNG bytes with resvg, using DejaVu Sans
 * as the default font so text renders the same on every machine with it.
 * @example
 * const png = svgToPng(svgToString(svg)); // Uint8Array starting with 0x89 'PNG'
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    background: 'white',
    font: { defaultFontFamily: 'DejaVu Sans', loadSystemFonts: true },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** Width and height in px from a PNG's IHDR chunk (bytes 16–23, big-endian). */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
