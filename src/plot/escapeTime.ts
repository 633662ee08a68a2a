/**
 * Escape time against 1/Δ2 (THEORY §5 "GF, measured"): the time for m to reach a
 * level from a small m0 in the large-N dynamics diverges at the threshold; the fit
 * `t ≈ A (1/Δ2 − a_c)^(−θ)` extrapolates it. The figure shows the measured times,
 * the fitted curve (dashed), the fitted a_c with its uncertainty (shaded band) and
 * the closed-form GF threshold (dotted vertical line) for each case (p, Δp).
 */
import * as Plot from '@observablehq/plot';
import {
  axis,
  chartOptions,
  clipPolyline,
  finiteExtent,
  logExtent,
  logTickFormatFor,
  logTicks125,
  MARGINS,
  pad,
  renderChart,
} from './chart.ts';
import { composeFigure } from './compose.ts';
import type { LegendEntry } from './legend.ts';
import {
  type BaseFigureOptions,
  colors,
  dashes,
  FONT_SIZE,
  fmt,
  resolveDocument,
  seriesColor,
  sym,
} from './theme.ts';

/**
 * Parameters of the fit `t ≈ A (1/Δ2 − a_c)^(−θ)`; the field names match
 * `PowerLawFit` of `src/phase/` so a fit result can be passed as it is.
 */
export interface EscapeFit {
  /** Prefactor A. */
  amplitude: number;
  /** Extrapolated threshold a_c (a value of 1/Δ2). */
  threshold: number;
  /** Uncertainty of a_c (drawn as a band of ± this width). */
  thresholdError: number;
  /** Divergence exponent θ > 0. */
  exponent: number;
}

/** One case of the sweep: a (p, Δp) pair with its fit and closed-form threshold. */
export interface EscapeCase {
  id: string;
  p: number;
  deltap: number;
  /** Legend text; default "p = …, Δp = …". */
  label?: string;
  fit?: EscapeFit;
  /** Closed-form 1/Δ2 of the GF threshold (THEORY §5). */
  gfThreshold?: number;
}

/** One measured escape time. Non-finite or non-positive times (no escape within the run) are not drawn. */
export interface EscapePoint {
  caseId: string;
  invDelta2: number;
  time: number;
}

/** Data of {@link escapeTimeFigure}. */
export interface EscapeTimeData {
  /** The level of m that defines the escape (e.g. 0.5). */
  level: number;
  cases: readonly EscapeCase[];
  points: readonly EscapePoint[];
}

/** Options of {@link escapeTimeFigure}. */
export interface EscapeTimeOptions extends BaseFigureOptions {
  /** Height of the chart in px (default 420). */
  height?: number;
  /** 1/Δ2 domain; default: the points, fitted a_c ± error and closed-form thresholds. */
  invDelta2Domain?: [number, number];
}

/**
 * Escape times with fitted divergence and closed-form threshold.
 * @example
 * const svg = escapeTimeFigure({ level: 0.5, cases, points }, { document });
 */
export function escapeTimeFigure(data: EscapeTimeData, options: EscapeTimeOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 640;
  const height = options.height ?? 420;
  const valid = data.points.filter(
    (q) => Number.isFinite(q.time) && q.time > 0 && Number.isFinite(q.invDelta2),
  );
  const xs = [
    ...valid.map((q) => q.invDelta2),
    ...data.cases.flatMap((c) => [
      ...(c.fit !== undefined
        ? [c.fit.threshold - c.fit.thresholdError, c.fit.threshold + c.fit.thresholdError]
        : []),
      ...(c.gfThreshold !== undefined ? [c.gfThreshold] : []),
    ]),
  ];
  const xDomain = options.invDelta2Domain ?? pad(finiteExtent(xs, [1, 2]), 0.05);
  // Charts are not clipped (see chart.ts): points outside an explicit domain are left out,
  // and the a_c band and threshold lines are cut or dropped at its edges.
  const inX = (x: number) => x >= xDomain[0] && x <= xDomain[1];
  const points = valid.filter((q) => inX(q.invDelta2));
  const yDomain = logExtent(
    points.map((q) => q.time),
    2,
  );

  const marks: Plot.Markish[] = [Plot.frame({ stroke: '#888888' })];
  const legend: LegendEntry[] = [];
  data.cases.forEach((c, i) => {
    const color = seriesColor(i);
    if (c.fit !== undefined) {
      const f = c.fit;
      const bandLo = Math.max(f.threshold - f.thresholdError, xDomain[0]);
      const bandHi = Math.min(f.threshold + f.thresholdError, xDomain[1]);
      marks.push(
        Plot.rect(bandLo < bandHi ? [f] : [], {
          x1: () => bandLo,
          x2: () => bandHi,
          fill: color,
          fillOpacity: 0.18,
          ariaDescription: `ac-band:${c.id}`,
        }),
      );
      // Sample the fitted law from where it leaves the top of the frame, t = t_max, i.e.
      // 1/Δ2 = a_c + (A/t_max)^(1/θ), on a grid denser there (it diverges at a_c).
      const xStart = Math.max(xDomain[0], f.threshold + (f.amplitude / yDomain[1]) ** (1 / f.exponent));
      const n = 120;
      const law = (x: number) => f.amplitude * (x - f.threshold) ** -f.exponent;
      const curve = clipPolyline(
        Array.from({ length: n + 1 }, (_, j) => {
          const x = xStart + (xDomain[1] - xStart) * (j / n) ** 2;
          return { x, y: law(x) };
        }),
        { x: xDomain, y: yDomain, yLog: true },
      );
      marks.push(
        Plot.line(curve, {
          x: 'x',
          y: 'y',
          stroke: color,
          strokeWidth: 1.8,
          strokeDasharray: dashes.dashed,
          ariaDescription: `fit:${c.id}`,
        }),
      );
    }
    if (c.gfThreshold !== undefined && inX(c.gfThreshold))
      marks.push(
        Plot.ruleX([c.gfThreshold], {
          stroke: color,
          strokeWidth: 2,
          strokeDasharray: dashes.dotted,
          ariaDescription: `closed-form:${c.id}`,
        }),
      );
    marks.push(
      Plot.dot(
        points.filter((q) => q.caseId === c.id),
        {
          x: 'invDelta2',
          y: 'time',
          r: 4.5,
          fill: color,
          stroke: 'white',
          ariaDescription: `points:${c.id}`,
        },
      ),
    );
    const fitText =
      c.fit !== undefined
        ? `: a_{c} = ${fmt(c.fit.threshold)} ± ${fmt(c.fit.thresholdError, 2)}, θ = ${fmt(c.fit.exponent, 3)}`
        : '';
    legend.push({
      label: c.label ?? `p = ${c.p}, ${sym.deltap} = ${fmt(c.deltap)}${fitText}`,
      symbol: { kind: 'dot', color },
    });
  });
  const styleKey: LegendEntry[] = [
    {
      label: `fit t ≈ A (${sym.invDelta2} − a_{c})^{−θ}`,
      symbol: { kind: 'line', color: colors.black, dash: dashes.dashed, width: 1.8 },
    },
    { label: 'fitted a_{c} ± error', symbol: { kind: 'swatch', color: colors.black, opacity: 0.18 } },
    {
      label: 'GF threshold, closed form',
      symbol: { kind: 'line', color: colors.black, dash: dashes.dotted, width: 2 },
    },
  ];
  const svg = renderChart({
    ...chartOptions({ document: doc, width, height, fontSize }),
    x: axis(`${sym.invDelta2} (matrix signal-to-noise ratio)`, { domain: xDomain }),
    y: axis(`time for m to reach ${fmt(data.level)} (log scale)`, {
      type: 'log',
      domain: yDomain,
      // Below two decades, explicit 1-2-5 ticks, each labelled (Plot's own log ticks left the
      // upper part of a 150–8000 axis unlabelled).
      ...(Math.log10(yDomain[1] / yDomain[0]) < 2 ? { ticks: logTicks125(yDomain) } : {}),
      tickFormat: logTickFormatFor(yDomain),
    }),
    marks,
  });
  return composeFigure(doc, {
    width,
    panelHeight: height,
    panels: [{ svg, x: 0, y: 0 }],
    legend: [legend, styleKey],
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: 'escape time against 1/Δ2',
  });
}
