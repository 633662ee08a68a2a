/**
 * Shared Observable Plot settings for the charts inside saddlesurf figures:
 * margins sized for 13 px text, centred axis labels without arrows, and the
 * check that Plot returned a bare `<svg>` (it wraps the chart in an HTML
 * `<figure>` as soon as a title or swatch legend is requested, which standalone
 * SVG output cannot contain).
 */
import * as Plot from '@observablehq/plot';
import type { PanelPlacement } from './compose.ts';
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

/**
 * Tick labels for a log axis over `domain`: powers of ten only ({@link logTickFormat}) when
 * it spans two decades or more; otherwise also the 2× and 5× ticks, so that an axis over
 * less than two decades carries at least two labels.
 * @example
 * logTickFormatFor([150, 3000])(200); // '200'
 * logTickFormatFor([1, 1e4])(200); // ''
 */
export function logTickFormatFor(domain: readonly [number, number]): (v: number) => string {
  if (Math.log10(domain[1] / domain[0]) >= 2) return logTickFormat;
  return (v: number) => {
    const power = logTickFormat(v);
    if (power !== '') return power;
    const n = Math.floor(Math.log10(v) + 1e-9);
    const mantissa = v / 10 ** n;
    if (Math.abs(mantissa - 2) > 1e-9 && Math.abs(mantissa - 5) > 1e-9) return '';
    return n >= -3 && n <= 3
      ? String(Number(v.toPrecision(1)))
      : `${Math.round(mantissa)}·10${superscript(n)}`;
  };
}

/**
 * Ticks at 1, 2 and 5 × 10ⁿ inside `domain`, for a log axis spanning a few decades that should be
 * read at a glance (each tick labelled, e.g. Δp = 0.5, 1, 2, 5).
 * @example
 * logTicks125([0.25, 8]); // [0.5, 1, 2, 5]
 */
export function logTicks125(domain: readonly [number, number]): number[] {
  const ticks: number[] = [];
  const eps = 1e-9;
  for (let n = Math.floor(Math.log10(domain[0])) - 1; n <= Math.ceil(Math.log10(domain[1])); n++)
    for (const mantissa of [1, 2, 5]) {
      const v = Number((mantissa * 10 ** n).toPrecision(1));
      if (v >= domain[0] * (1 - eps) && v <= domain[1] * (1 + eps)) ticks.push(v);
    }
  return ticks;
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

/**
 * Clip a polyline to a box in data space, inserting breaks (NaN points) where it
 * leaves the box and exact crossing points where it enters or leaves. Used instead
 * of Plot's `clip: true`: resvg (the PNG renderer) aborts the whole process on some
 * clip-path layers (a Rust panic in its geometry code, seen on real phase-diagram
 * data), so figures never emit clip paths. Coordinates are interpolated in the
 * axes' linear space (`log10` for log axes), where chart segments are straight.
 * @example
 * clipPolyline([{ x: 0, y: 0 }, { x: 1, y: 2 }], { y: [0, 1] });
 * // [{ x: 0, y: 0 }, { x: 0.5, y: 1 }]
 */
export function clipPolyline(
  points: readonly { x: number; y: number }[],
  box: { x?: [number, number]; y?: [number, number]; xLog?: boolean; yLog?: boolean },
): { x: number; y: number }[] {
  const fx = box.xLog === true ? Math.log10 : (v: number) => v;
  const fy = box.yLog === true ? Math.log10 : (v: number) => v;
  const gx = box.xLog === true ? (v: number) => 10 ** v : (v: number) => v;
  const gy = box.yLog === true ? (v: number) => 10 ** v : (v: number) => v;
  const [x0, x1] = (box.x ?? [-Infinity, Infinity]).map((v) => (Number.isFinite(v) ? fx(v) : v)) as [
    number,
    number,
  ];
  const [y0, y1] = (box.y ?? [-Infinity, Infinity]).map((v) => (Number.isFinite(v) ? fy(v) : v)) as [
    number,
    number,
  ];
  const out: { x: number; y: number }[] = [];
  const gap = () => {
    if (out.length > 0 && !Number.isNaN(out[out.length - 1]!.y)) out.push({ x: Number.NaN, y: Number.NaN });
  };
  const push = (u: number, v: number) => {
    const last = out[out.length - 1];
    const x = gx(u);
    const y = gy(v);
    if (last === undefined || last.x !== x || last.y !== y) out.push({ x, y });
  };
  for (let i = 0; i < points.length; i++) {
    const a = points[i]!;
    const ax = fx(a.x);
    const ay = fy(a.y);
    if (!Number.isFinite(ax) || !Number.isFinite(ay)) {
      gap();
      continue;
    }
    const b = points[i + 1];
    const bx = b === undefined ? Number.NaN : fx(b.x);
    const by = b === undefined ? Number.NaN : fy(b.y);
    if (!Number.isFinite(bx) || !Number.isFinite(by)) {
      // Isolated end point: keep it if inside.
      if (ax >= x0 && ax <= x1 && ay >= y0 && ay <= y1) push(ax, ay);
      continue;
    }
    // Liang–Barsky: the parameter range [t0, t1] of the segment a→b inside the box.
    let t0 = 0;
    let t1 = 1;
    const dx = bx - ax;
    const dy = by - ay;
    const edges: [number, number][] = [
      [-dx, ax - x0],
      [dx, x1 - ax],
      [-dy, ay - y0],
      [dy, y1 - ay],
    ];
    let visible = true;
    for (const [p, q] of edges) {
      if (p === 0) {
        if (q < 0) visible = false;
      } else {
        const r = q / p;
        if (p < 0) t0 = Math.max(t0, r);
        else t1 = Math.min(t1, r);
      }
    }
    if (!visible || t0 > t1) {
      gap();
      continue;
    }
    if (t0 > 0) gap();
    push(ax + t0 * dx, ay + t0 * dy);
    push(ax + t1 * dx, ay + t1 * dy);
    if (t1 < 1) gap();
  }
  while (out.length > 0 && Number.isNaN(out[out.length - 1]!.y)) out.pop();
  return out;
}

/** One panel of a stack that shares a log time axis. */
export interface TimePanel {
  /** y-axis label. */
  label: string;
  /** y domain. */
  domain: [number, number];
  marks: Plot.Markish[];
}

/**
 * Panels stacked vertically on a shared logarithmic time axis (m(t), e(t), μ(t);
 * λ_min(t), overlap, m(t)): each `panelHeight` tall, only the last one labels the
 * time axis. Returns the placements for `composeFigure` and the stack's height.
 */
export function stackTimePanels(
  frame: {
    document: Document;
    width: number;
    fontSize: number;
    panelHeight: number;
    tDomain: [number, number];
    /** A heading above the first panel (e.g. the model parameters), in extra top margin. */
    title?: string;
  },
  panels: readonly TimePanel[],
): { placements: PanelPlacement[]; height: number } {
  let y = 0;
  const placements = panels.map((panel, k) => {
    const last = k === panels.length - 1;
    const extraTop = k === 0 && frame.title !== undefined ? 22 : 0;
    const h = (last ? frame.panelHeight + MARGINS.bottom - 20 : frame.panelHeight) + extraTop;
    const svg = renderChart({
      ...chartOptions({
        document: frame.document,
        width: frame.width,
        height: h,
        fontSize: frame.fontSize,
        marginTop: 10 + extraTop,
        marginBottom: last ? MARGINS.bottom : 26,
      }),
      x: last ? logTimeAxis({ domain: frame.tDomain }) : logTimeAxis({ domain: frame.tDomain, label: null }),
      y: axis(panel.label, { domain: panel.domain, ticks: 5 }),
      marks: panel.marks,
    });
    const placement: PanelPlacement =
      extraTop > 0 ? { svg, x: 0, y, title: frame.title, titleX: MARGINS.left } : { svg, x: 0, y };
    y += h;
    return placement;
  });
  return { placements, height: y };
}
