/**
 * Shared Observable Plot settings for the charts inside saddlesurf figures:
 * margins sized for 13 px text, centred axis labels without arrows, and the
 * check that Plot returned a bare `<svg>` (it wraps the chart in an HTML
 * `<figure>` as soon as a title or swatch legend is requested, which standalone
 * SVG output cannot contain).
 */
import * as Plot from '@observablehq/plot';
import { FONT_SIZE, superscript } from './theme.ts';

/** Size and margins of one chart. */
export interface ChartFrame {
  document: Document;
  width: number;
  height: number;
  /** Font size in px; the default margins scale with it. */
  fontSize?: number;
  marginLeft?: number;
  marginRight?: number;
  marginTop?: number;
  marginBottom?: number;
}

/** A white outline behind text marks so labels stay legible where they cross lines. */
export const textHalo = { stroke: 'white', strokeWidth: 4, paintOrder: 'stroke' } as const;

/** Default margins (px) that fit 13 px tick labels and rotated y labels. */
export const MARGINS = { left: 70, right: 18, top: 26, bottom: 46 } as const;

/** Plot's top-level options for a chart of the given frame. */
export function chartOptions(frame: ChartFrame): Plot.PlotOptions {
  const k = (frame.fontSize ?? FONT_SIZE) / FONT_SIZE;
  return {
    document: frame.document,
    width: frame.width,
    height: frame.height,
    marginLeft: frame.marginLeft ?? Math.round(MARGINS.left * k),
    marginRight: frame.marginRight ?? MARGINS.right,
    marginTop: frame.marginTop ?? Math.round(MARGINS.top * k),
    marginBottom: frame.marginBottom ?? Math.round(MARGINS.bottom * k),
  };
}

/** Axis settings: a centred label without Plot's direction arrow. */
export function axis(label: string, extra: Plot.ScaleOptions = {}): Plot.ScaleOptions {
  return { label, labelAnchor: 'center', labelArrow: 'none', ...extra };
}

/** Log-scale time axis (THEORY §3: plateaus and jumps span decades of t). */
export function logTimeAxis(extra: Plot.ScaleOptions = {}): Plot.ScaleOptions {
  return axis('time t (log scale)', { type: 'log', tickFormat: logTickFormat, ...extra });
}

/** Tick labels on log axes: powers of ten as 10ⁿ, other ticks left blank to avoid crowding. */
export function logTickFormat(v: number): string {
  const e = Math.log10(v);
  if (Math.abs(e - Math.round(e)) > 1e-9) return '';
  const n = Math.round(e);
  if (n >= 0 && n <= 3) return String(10 ** n);
  return `10${superscript(n)}`;
}

/** Render the chart, insisting on a bare `<svg>` element. */
export function renderChart(options: Plot.PlotOptions): SVGSVGElement {
  const node = Plot.plot(options);
  if (node.tagName.toLowerCase() !== 'svg') {
    throw new Error(
      'saddlesurf/plot: Plot returned an HTML wrapper; figures must not request titles or swatch legends',
    );
  }
  return node as SVGSVGElement;
}

/** Extent of the finite values among `values`, or `fallback` if there are none. */
export function finiteExtent(values: Iterable<number>, fallback: [number, number]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : fallback;
}

/** Widen an interval by a fraction of its length on each side (a zero-length one by ±1 or ±10 %). */
export function pad(extent: [number, number], fraction = 0.05): [number, number] {
  const [lo, hi] = extent;
  const w = hi - lo;
  if (w === 0) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    return [lo - d, hi + d];
  }
  return [lo - w * fraction, hi + w * fraction];
}

/** Extent for a log axis: positive finite values, padded by a factor on each side. */
export function logExtent(values: Iterable<number>, factor = 1.3): [number, number] {
  const positive: number[] = [];
  for (const v of values) if (v > 0 && Number.isFinite(v)) positive.push(v);
  const [lo, hi] = finiteExtent(positive, [1, 10]);
  return [lo / factor, hi * factor];
}
