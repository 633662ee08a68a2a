/**
 * Every figure exports PNG, SVG and the CSV of its data (issue 7). Files are made
 * in the page (Blob + object URL), nothing is uploaded. Figures carry the provenance of
 * their numbers (the tasks' documents and command lines, `provenance.ts`): the SVG in a
 * `<metadata>` element, the PNG in an iTXt chunk, both under the keyword `saddlesurf`.
 */
import { SVG_NS } from '../plot/theme.ts';
import { withPngText } from './pngText.ts';
import { type Provenance, provenanceJson } from './provenance.ts';

/** What a figure's files record: one task run, or several (the dynamics panel's two runs). */
export type FigureProvenance = Provenance | readonly Provenance[] | undefined;

/** The keyword of the provenance text in exported figures. */
export const PROVENANCE_KEYWORD = 'saddlesurf';

/** A standalone SVG document for a figure: XML declaration, `xmlns`, explicit size. */
export function svgDocument(svg: SVGSVGElement, provenance?: FigureProvenance): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', SVG_NS);
  if (provenance !== undefined) {
    const meta = document.createElementNS(SVG_NS, 'metadata');
    meta.setAttribute('id', PROVENANCE_KEYWORD);
    meta.textContent = provenanceJson(provenance);
    copy.prepend(meta);
  }
  const { width, height } = svgSize(svg);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** Width and height in px from the attributes, else the viewBox. */
export function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const w = Number(svg.getAttribute('width'));
  const h = Number(svg.getAttribute('height'));
  if (w > 0 && h > 0) return { width: w, height: h };
  const box =
    svg
      .getAttribute('viewBox')
      ?.split(/[\s,]+/)
      .map(Number) ?? [];
  return { width: box[2] ?? 640, height: box[3] ?? 400 };
}

/** Offer a Blob as a download named `name`. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser time to start the download before the URL is revoked.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSvg(svg: SVGSVGElement, name: string, provenance?: FigureProvenance): void {
  download(new Blob([svgDocument(svg, provenance)], { type: 'image/svg+xml' }), `${name}.svg`);
}

export function downloadCsv(csv: string, name: string): void {
  download(new Blob([csv], { type: 'text/csv' }), `${name}.csv`);
}

/** Rasterise a figure at `scale`× through an <img> and a canvas (same look as the SVG file), with its provenance as text. */
export async function svgToPngBlob(
  svg: SVGSVGElement,
  scale = 2,
  provenance?: FigureProvenance,
): Promise<Blob> {
  const { width, height } = svgSize(svg);
  const url = URL.createObjectURL(new Blob([svgDocument(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (ctx === null) throw new Error('no 2D canvas available for PNG export');
    ctx.fillStyle = 'white';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    const png = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b === null ? reject(new Error('PNG encoding failed')) : resolve(b)), 'image/png'),
    );
    if (provenance === undefined) return png;
    const bytes = withPngText(
      new Uint8Array(await png.arrayBuffer()),
      PROVENANCE_KEYWORD,
      provenanceJson(provenance),
    );
    return new Blob([bytes], { type: 'image/png' });
  } finally {
    URL.revokeObjectURL(url);
  }
}

export async function downloadPng(
  svg: SVGSVGElement,
  name: string,
  provenance?: FigureProvenance,
): Promise<void> {
  download(await svgToPngBlob(svg, 2, provenance), `${name}.png`);
}
