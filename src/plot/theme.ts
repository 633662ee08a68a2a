/// <reference lib="dom" />
/**
 * Shared look of every saddlesurf figure: fonts, sizes, the colour-blind-safe
 * palette, the paper's symbols, and the `document` resolution that lets the same
 * builders run in a browser (native DOM) and headless in Node (linkedom, see
 * `headless.ts`).
 */

/** The SVG namespace, written as `xmlns` on every exported figure. */
export const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * Font stack. DejaVu Sans is in every Debian image and has the Greek letters and
 * the subscript glyphs ₂ and ₚ used in the labels; browsers without it fall back
 * to Verdana, which has similar metrics.
 */
export const FONT_FAMILY = "'DejaVu Sans', Verdana, sans-serif";

/** Default font size in px: legible when a 640 px wide figure is printed at column width. */
export const FONT_SIZE = 13;

/**
 * The Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008), yellow left out
 * because it is unreadable as a thin line on white.
 */
export const colors = {
  blue: '#0072B2',
  vermilion: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  orange: '#E69F00',
  sky: '#56B4E9',
  black: '#000000',
  grey: '#777777',
} as const;

/** Colours for a family of curves (e.g. several 1/Δ2), in order. */
export const seriesPalette: readonly string[] = [
  colors.blue,
  colors.vermilion,
  colors.green,
  colors.purple,
  colors.orange,
  colors.sky,
  colors.black,
];

/** The colour of the i-th curve of a family (cycles after seven). */
export function seriesColor(i: number): string {
  return seriesPalette[i % seriesPalette.length]!;
}

/** Dash patterns (stroke-dasharray) with fixed meanings across figures. */
export const dashes = {
  solid: undefined,
  /** Conjectures and fitted curves. */
  dashed: '8,4',
  /** Reference levels (thresholds, edges). */
  dotted: '2,3',
  /** The second convention of a quantity drawn twice (e.g. triv with m ≥ 0). */
  dashDot: '9,3,2,3',
  /** Finite-N means. */
  shortDash: '4,3',
} as const;

/** The paper's symbols as plain Unicode text (rendered by DejaVu Sans). */
export const sym = {
  deltap: 'Δₚ',
  delta2: 'Δ₂',
  invDelta2: '1/Δ₂',
  overlap: 'm',
  energy: 'e',
  multiplier: 'μ',
  complexity: 'Σ',
  lambdaMin: 'λₘᵢₙ',
  complexityMin: 'Σₘᵢₙ',
  muTh: 'μₜₕ',
  eTh: 'eₜₕ',
  time: 't',
  sigma: 'σ',
} as const;

/** Options every figure builder accepts. */
export interface BaseFigureOptions {
  /**
   * The document used to create SVG elements. Defaults to `globalThis.document`
   * (the browser); in Node pass `createHeadlessDocument()` from `src/plot/node.ts`.
   */
  document?: Document;
  /** Total width of the figure in px (each builder has a print-size default). */
  width?: number;
  /** Base font size in px (default 13). */
  fontSize?: number;
}

/**
 * The document to build with: the option if given, else the global one.
 * @example
 * // in a browser
 * resolveDocument(undefined) === document; // true
 */
export function resolveDocument(doc: Document | undefined): Document {
  const d = doc ?? (globalThis as { document?: Document }).document;
  if (d === undefined) {
    throw new Error(
      'saddlesurf/plot: no document available; pass options.document (in Node: createHeadlessDocument() from src/plot/node.ts)',
    );
  }
  return d;
}

/** Compact number formatting for labels: 4 significant digits, no trailing zeros. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : 'NaN';
  if (x === 0) return '0';
  const a = Math.abs(x);
  const s = a >= 1e-3 && a < 1e5 ? Number(x.toPrecision(digits)).toString() : x.toExponential(digits - 1);
  return s.replace(/-/g, '−');
}

/**
 * An integer as Unicode superscript digits, for exponents in labels.
 * @example
 * superscript(-3); // '⁻³'
 */
export function superscript(n: number): string {
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  const digits = String(Math.abs(Math.trunc(n)))
    .split('')
    .map((d) => sup[Number(d)])
    .join('');
  return `${n < 0 ? '⁻' : ''}${digits}`;
}

/**
 * Approximate rendered width of `text` in px. DejaVu Sans averages 0.535 em per
 * character on our labels (measured on a rendered legend); 0.56 leaves a margin.
 */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.56;
}
