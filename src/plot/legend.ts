/**
 * Legends drawn as plain SVG marks. Observable Plot renders swatch legends as an
 * HTML `<figure>`, which is lost when a figure is exported as a standalone SVG or
 * PNG (notes/ecosystem.md §5), so every saddlesurf figure draws its own.
 */
import { FONT_SIZE, SVG_NS, textWidth } from './theme.ts';

/** How a legend entry's key is drawn. */
export type LegendSymbol =
  /** A line sample; `band` adds a translucent band behind it (mean ± spread), `marker` a dot on it. */
  | {
      kind: 'line';
      color: string;
      dash?: string | undefined;
      width?: number;
      band?: boolean;
      marker?: boolean;
    }
  /** A marker; `errorBar` adds a vertical bar through it. */
  | {
      kind: 'dot';
      color: string;
      shape?: 'circle' | 'diamond' | 'square';
      filled?: boolean;
      errorBar?: boolean;
    }
  /** A filled rectangle (background regions). */
  | { kind: 'swatch'; color: string; opacity?: number };

/** One legend entry: a key and its text. */
export interface LegendEntry {
  label: string;
  symbol: LegendSymbol;
}

/** Layout options of {@link drawLegend}. */
export interface LegendOptions {
  /** Width available for the legend; entries wrap onto new rows beyond it. */
  width: number;
  /** Font size in px (default 13). */
  fontSize?: number;
  /** Left offset of the legend in px (default 0). */
  x?: number;
  /** Top offset of the legend in px (default 0). */
  y?: number;
}

/** Create an SVG element with attributes (undefined values are skipped). */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  doc: Document,
  name: K,
  attrs: Record<string, string | number | undefined> = {},
): SVGElementTagNameMap[K] {
  const node = doc.createElementNS(SVG_NS, name) as SVGElementTagNameMap[K];
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) node.setAttribute(k, String(v));
  return node;
}

/**
 * Legend labels may carry sub- and superscripts as `_{…}` and `^{…}` (e.g. `a_{c}`,
 * `(…)^{−θ}`): drawn as smaller `<tspan>`s shifted off the baseline, which both browsers and
 * the PNG renderer (resvg) support — Unicode has no subscript c or superscript θ that every
 * font carries.
 */
const RICH = /([_^])\{([^}]*)\}/g;

/** A label without its sub/superscript markup (for measuring and for plain-text uses). */
export function plainLabel(label: string): string {
  return label.replace(RICH, '$2');
}

function appendRichText(doc: Document, text: SVGTextElement, label: string, fontSize: number): void {
  let last = 0;
  for (const match of label.matchAll(RICH)) {
    if (match.index > last) text.append(doc.createTextNode(label.slice(last, match.index)));
    const tspan = svgEl(doc, 'tspan', {
      'baseline-shift': match[1] === '_' ? 'sub' : 'super',
      'font-size': Math.round(fontSize * 0.75),
    });
    tspan.textContent = match[2]!;
    text.append(tspan);
    last = match.index + match[0].length;
  }
  if (last < label.length) text.append(doc.createTextNode(label.slice(last)));
}

const KEY_WIDTH = 30;
const KEY_GAP = 6;
const ENTRY_GAP = 20;

function drawKey(doc: Document, s: LegendSymbol, cy: number): SVGGElement {
  const g = svgEl(doc, 'g', { 'aria-label': 'legend key' });
  if (s.kind === 'line') {
    if (s.band === true)
      g.append(
        svgEl(doc, 'rect', {
          x: 0,
          y: cy - 6,
          width: KEY_WIDTH,
          height: 12,
          fill: s.color,
          'fill-opacity': 0.2,
        }),
      );
    g.append(
      svgEl(doc, 'line', {
        x1: 0,
        x2: KEY_WIDTH,
        y1: cy,
        y2: cy,
        stroke: s.color,
        'stroke-width': s.width ?? 2,
        'stroke-dasharray': s.dash,
      }),
    );
    if (s.marker === true) g.append(svgEl(doc, 'circle', { cx: KEY_WIDTH / 2, cy, r: 2.5, fill: s.color }));
  } else if (s.kind === 'dot') {
    const cx = KEY_WIDTH / 2;
    if (s.errorBar === true)
      g.append(
        svgEl(doc, 'line', { x1: cx, x2: cx, y1: cy - 7, y2: cy + 7, stroke: s.color, 'stroke-width': 1.5 }),
      );
    const fill = s.filled === false ? 'white' : s.color;
    const shape = s.shape ?? 'circle';
    if (shape === 'circle') {
      g.append(svgEl(doc, 'circle', { cx, cy, r: 4, fill, stroke: s.color, 'stroke-width': 1.5 }));
    } else if (shape === 'square') {
      g.append(svgEl(doc, 'rect', { x: cx - 4, y: cy - 4, width: 8, height: 8, fill, stroke: s.color }));
    } else {
      g.append(
        svgEl(doc, 'path', {
          d: `M${cx},${cy - 5.5}L${cx + 5.5},${cy}L${cx},${cy + 5.5}L${cx - 5.5},${cy}Z`,
          fill,
          stroke: s.color,
          'stroke-width': 1.5,
        }),
      );
    }
  } else {
    g.append(
      svgEl(doc, 'rect', {
        x: 0,
        y: cy - 7,
        width: KEY_WIDTH,
        height: 14,
        fill: s.color,
        'fill-opacity': s.opacity ?? 1,
        stroke: '#999999',
        'stroke-width': 0.5,
      }),
    );
  }
  return g;
}

/**
 * Draw a legend as an SVG group: a table filled row by row with as many
 * columns as fit in the width (one row when everything fits).
 * @returns the group and the height it occupies.
 * @example
 * const { node, height } = drawLegend(document, [
 *   { label: 'N = ∞', symbol: { kind: 'line', color: '#0072B2' } },
 * ], { width: 600 });
 * height; // 22 (one row at 13 px)
 */
export function drawLegend(
  doc: Document,
  entries: readonly LegendEntry[],
  options: LegendOptions,
): { node: SVGGElement; height: number } {
  const fontSize = options.fontSize ?? FONT_SIZE;
  const rowHeight = Math.round(fontSize * 1.7);
  const g = svgEl(doc, 'g', {
    'aria-label': 'legend',
    transform: `translate(${options.x ?? 0},${options.y ?? 0})`,
  });
  const widths = entries.map((e) => KEY_WIDTH + KEY_GAP + textWidth(plainLabel(e.label), fontSize));
  // The most columns (filled row by row, each as wide as its widest entry) that fit the width,
  // so keys line up in columns and the legend takes as few rows as possible.
  let cols = 1;
  let colX: number[] = [0];
  for (let c = entries.length; c >= 1; c--) {
    const colW = Array.from({ length: c }, (_, j) => Math.max(0, ...widths.filter((_, i) => i % c === j)));
    const total = colW.reduce((a, b) => a + b, 0) + ENTRY_GAP * (c - 1);
    if (total <= options.width || c === 1) {
      cols = c;
      colX = colW.map((_, j) => colW.slice(0, j).reduce((a, b) => a + b + ENTRY_GAP, 0));
      break;
    }
  }
  let rows = 0;
  entries.forEach((entry, i) => {
    const row = Math.floor(i / cols);
    const x = colX[i % cols]!;
    rows = row + 1;
    const cy = row * rowHeight + rowHeight / 2;
    const item = svgEl(doc, 'g', { 'aria-label': 'legend entry', transform: `translate(${x},0)` });
    item.append(drawKey(doc, entry.symbol, cy));
    const text = svgEl(doc, 'text', {
      x: KEY_WIDTH + KEY_GAP,
      y: cy,
      dy: '0.35em',
      'font-size': fontSize,
      fill: 'currentColor',
      'text-anchor': 'start',
    });
    appendRichText(doc, text, entry.label, fontSize);
    item.append(text);
    g.append(item);
  });
  return { node: g, height: rows * rowHeight };
}

/**
 * Legend text for finite-N runs summarised over seeds: "N = 200: mean and spread over
 * 3 seeds", or "N = 100: one run" when there is a single seed (no spread to show).
 */
export function finiteNLabel(N: number | undefined, seeds: number | undefined): string {
  const n = N !== undefined ? `N = ${N}` : 'finite N';
  if (seeds === 1) return `${n}: one run`;
  return `${n}: mean and spread ${seeds !== undefined ? `over ${seeds} seeds` : 'over seeds'}`;
}
