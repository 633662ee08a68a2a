/**
 * The annealed complexity of minima Σ_min(m) (THEORY §4.2) at a few 1/Δ2 (the
 * report uses three: below the GF threshold, between GF and trivialisation, above
 * trivialisation). Complexities are tiny (1e-4 … 1e-3), so the y axis is shown in
 * units of a power of ten chosen from the data. Σ < 0 means no minima at that m;
 * the Σ = 0 line is drawn, and the signal minimum (Σ = 0 at m*, the GF end state
 * of §3) can be marked.
 */
import * as Plot from '@observablehq/plot';
import { axis, chartOptions, clipPolyline, finiteExtent, MARGINS, pad, renderChart } from './chart.ts';
import { composeFigure } from './compose.ts';
import type { LegendEntry } from './legend.ts';
import {
  type BaseFigureOptions,
  FONT_SIZE,
  fmt,
  resolveDocument,
  seriesColor,
  superscript,
  sym,
} from './theme.ts';

/** Where a 1/Δ2 sits relative to the GF and trivialisation thresholds (THEORY §5). */
export type ComplexityRegime = 'belowGf' | 'betweenGfTriv' | 'aboveTriv';

/** One curve: its 1/Δ2 and (optionally) its regime, for the legend. */
export interface ComplexityCurve {
  invDelta2: number;
  regime?: ComplexityRegime;
}

/** Σ_min at one (1/Δ2, m). Non-finite values (no minima at all) leave a gap. */
export interface ComplexityRow {
  invDelta2: number;
  m: number;
  complexity: number;
}

/** Data of {@link complexityFigure}. */
export interface ComplexityData {
  p: number;
  deltap: number;
  curves: readonly ComplexityCurve[];
  rows: readonly ComplexityRow[];
  /** Overlap m* of the signal minimum for each 1/Δ2 (marked at Σ = 0). */
  signal?: readonly { invDelta2: number; m: number }[];
}

/** Options of {@link complexityFigure}. */
export interface ComplexityOptions extends BaseFigureOptions {
  /** Height of the chart in px (default 420). */
  height?: number;
  /** Σ domain (in the raw units); default: the positive part of the data and a little below zero. */
  complexityDomain?: [number, number];
}

const regimeText: Record<ComplexityRegime, string> = {
  belowGf: 'below GF threshold',
  betweenGfTriv: 'between GF and both triv lines',
  aboveTriv: 'above triv at any m',
};

/**
 * Σ_min(m) for a few 1/Δ2.
 * @example
 * const svg = complexityFigure({ p: 3, deltap: 1, curves: [{ invDelta2: 1.3 }], rows }, { document });
 */
export function complexityFigure(data: ComplexityData, options: ComplexityOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  const values = data.rows.map((r) => r.complexity);
  const [lo, hi] = finiteExtent(values, [-1e-3, 1e-3]);
  const top = Math.max(hi, 0);
  const domain = options.complexityDomain ?? [
    Math.max(lo, -0.6 * (top > 0 ? top : 1e-3)),
    top > 0 ? top * 1.1 : 1e-3,
  ];
  // Display Σ in units of 10^k so tick labels stay short (values are 1e-4 … 1e-3).
  const maxAbs = Math.max(Math.abs(domain[0]), Math.abs(domain[1]));
  const k = maxAbs > 0 && maxAbs < 0.05 ? Math.floor(Math.log10(maxAbs)) : 0;
  const scale = 10 ** -k;
  const unit = k === 0 ? '' : ` (× 10${superscript(k)})`;
  const ms = data.rows.map((r) => r.m);
  const xDomain = pad(finiteExtent(ms, [0, 1]), 0.02);

  const marks: Plot.Markish[] = [Plot.frame({ stroke: '#888888' }), Plot.ruleY([0], { stroke: '#444444' })];
  const legend: LegendEntry[] = [];
  data.curves.forEach((c, i) => {
    const color = seriesColor(i);
    const rows = clipPolyline(
      data.rows
        .filter((r) => r.invDelta2 === c.invDelta2)
        .map((r) => ({ x: r.m, y: Number.isFinite(r.complexity) ? r.complexity * scale : Number.NaN })),
      { y: [domain[0] * scale, domain[1] * scale] },
    );
    marks.push(
      Plot.line(rows, {
        x: 'x',
        y: 'y',
        stroke: color,
        strokeWidth: 2.2,
        ariaDescription: `series:${c.invDelta2}`,
      }),
    );
    const regime = c.regime !== undefined ? ` (${regimeText[c.regime]})` : '';
    legend.push({
      label: `${sym.invDelta2} = ${fmt(c.invDelta2)}${regime}`,
      symbol: { kind: 'line', color, width: 2.5 },
    });
    const star = data.signal?.find((s) => s.invDelta2 === c.invDelta2);
    if (star !== undefined)
      marks.push(
        Plot.dot([star], {
          x: 'm',
          y: () => 0,
          r: 5,
          fill: 'white',
          stroke: color,
          strokeWidth: 2,
          ariaDescription: `signal:${c.invDelta2}`,
        }),
      );
  });
  if (data.signal !== undefined && data.signal.length > 0)
    legend.push({
      label: 'signal minimum m* (Σ = 0)',
      symbol: { kind: 'dot', color: '#444444', filled: false },
    });

  const svg = renderChart({
    ...chartOptions({ document: doc, width, height, fontSize }),
    x: axis(`overlap ${sym.overlap} with the signal`, { domain: xDomain }),
    y: axis(`complexity of minima ${sym.complexityMin}${unit}`, {
      domain: [domain[0] * scale, domain[1] * scale],
    }),
    marks,
  });
  return composeFigure(doc, {
    width,
    panelHeight: height,
    panels: [{ svg, x: 0, y: 0 }],
    legend,
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: `complexity of minima, p = ${data.p}, Δp = ${fmt(data.deltap)}`,
  });
}
