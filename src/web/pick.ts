/**
 * Picking a point on the phase diagram with the mouse, a finger or the keyboard.
 *
 * The figure comes from the shared `src/plot` builder: an outer `<svg>` holding
 * one Observable Plot chart per panel. Plot attaches its scales to each chart
 * element (`chart.scale('x')` with `apply`/`invert`), so pointer positions are
 * mapped to (Δp, 1/Δ2) through the very scales that drew the lines, whatever
 * margins or legend the builder chose.
 */
import { SVG_NS } from '../plot/theme.ts';

interface PlotScale {
  apply(value: number): number;
  invert(pixel: number): number;
  domain: number[];
  type?: string;
}

/** A Plot chart element: an `<svg>` with Plot's `scale(name)` accessor. */
type PlotChart = SVGSVGElement & { scale(name: string): PlotScale | undefined };

/** The first chart of a figure that has continuous x and y scales. */
export function findChart(figure: SVGSVGElement): PlotChart | undefined {
  const candidates = [figure, ...Array.from(figure.querySelectorAll('svg'))] as SVGSVGElement[];
  for (const c of candidates) {
    const chart = c as Partial<PlotChart> & SVGSVGElement;
    if (typeof chart.scale !== 'function') continue;
    const x = chart.scale('x');
    const y = chart.scale('y');
    if (x?.invert !== undefined && y?.invert !== undefined) return chart as PlotChart;
  }
  return undefined;
}

/**
 * Data coordinates under a pointer event, or undefined outside the plotting area; with
 * `clamp` (a drag that leaves the plot) the nearest point of the area instead.
 */
export function pointerToData(
  chart: PlotChart,
  clientX: number,
  clientY: number,
  clamp = false,
): { x: number; y: number } | undefined {
  const ctm = chart.getScreenCTM();
  if (ctm === null) return undefined;
  const local = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  const xs = chart.scale('x')!;
  const ys = chart.scale('y')!;
  const x = xs.invert(local.x);
  const y = ys.invert(local.y);
  const [x0, x1] = [Math.min(...xs.domain), Math.max(...xs.domain)];
  const [y0, y1] = [Math.min(...ys.domain), Math.max(...ys.domain)];
  if (clamp) return { x: Math.min(x1, Math.max(x0, x)), y: Math.min(y1, Math.max(y0, y)) };
  if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) return undefined;
  return { x, y };
}

/** The x and y domains of the chart and whether x is logarithmic (for keyboard steps and clamping). */
export function chartDomains(chart: PlotChart): { x: [number, number]; y: [number, number]; xLog: boolean } {
  const xScale = chart.scale('x')!;
  const xs = xScale.domain;
  const ys = chart.scale('y')!.domain;
  return {
    x: [Math.min(...xs), Math.max(...xs)],
    y: [Math.min(...ys), Math.max(...ys)],
    xLog: xScale.type === 'log',
  };
}

/** Draw (or move) the crosshair marking the selected point, inside the chart so exports show it. */
export function drawMarker(chart: PlotChart, x: number, y: number): void {
  const doc = chart.ownerDocument;
  let g = chart.querySelector<SVGGElement>('g.selected-point');
  if (g === null) {
    g = doc.createElementNS(SVG_NS, 'g') as SVGGElement;
    g.setAttribute('class', 'selected-point');
    g.setAttribute('aria-label', 'selected point');
    g.setAttribute('pointer-events', 'none');
    for (const [tag, attrs] of [
      ['line', { stroke: '#000000', 'stroke-width': '1', 'stroke-dasharray': '3,3' }],
      ['line', { stroke: '#000000', 'stroke-width': '1', 'stroke-dasharray': '3,3' }],
      ['circle', { r: '7', fill: 'none', stroke: 'white', 'stroke-width': '4' }],
      ['circle', { r: '7', fill: 'none', stroke: '#000000', 'stroke-width': '2' }],
    ] as const) {
      const el = doc.createElementNS(SVG_NS, tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      g.append(el);
    }
    chart.append(g);
  }
  const xs = chart.scale('x')!;
  const ys = chart.scale('y')!;
  const px = xs.apply(x);
  const py = ys.apply(y);
  const xr = xs.domain.map((d) => xs.apply(d));
  const yr = ys.domain.map((d) => ys.apply(d));
  const [h, v, halo, ring] = Array.from(g.children) as SVGElement[];
  h.setAttribute('x1', String(Math.min(...xr)));
  h.setAttribute('x2', String(Math.max(...xr)));
  h.setAttribute('y1', String(py));
  h.setAttribute('y2', String(py));
  v.setAttribute('x1', String(px));
  v.setAttribute('x2', String(px));
  v.setAttribute('y1', String(Math.min(...yr)));
  v.setAttribute('y2', String(Math.max(...yr)));
  for (const c of [halo, ring]) {
    c.setAttribute('cx', String(px));
    c.setAttribute('cy', String(py));
  }
}
