/**
 * The phase diagram of the spiked matrix–tensor model (THEORY §5, §6): x-axis Δp,
 * y-axis 1/Δ2, one panel per tensor order p. Background: the Bayes-optimal
 * impossible / hard / easy regions (§6.2). Lines: the gradient-flow threshold
 * (§5, BBP at the threshold states), the ML-AMP instability and spinodal (§6.1),
 * trivialisation in both conventions (§4.2: spurious minima at any m, or at m ≥ 0
 * only), and the Langevin T = 1 conjecture (§6.3, dashed and labelled as such).
 * Points: thresholds extrapolated from large-N escape times (§5 "GF, measured"),
 * with error bars.
 */
import * as Plot from '@observablehq/plot';
import {
  axis,
  chartOptions,
  clipPolyline,
  finiteExtent,
  logTicks125,
  MARGINS,
  pad,
  renderChart,
  textHalo,
} from './chart.ts';
import { composeFigure, type PanelPlacement } from './compose.ts';
import type { LegendEntry } from './legend.ts';
import type {
  BayesRegion,
  MeasuredThreshold,
  PhaseDiagramData,
  PhaseLineKind,
  RegionRow,
  TrivConvention,
} from './phaseDiagramData.ts';
import { type BaseFigureOptions, colors, dashes, FONT_SIZE, resolveDocument, sym } from './theme.ts';

/** Options of {@link phaseDiagram}. */
export interface PhaseDiagramOptions extends BaseFigureOptions {
  /** Height of the chart area in px (default 420). */
  height?: number;
  /** x (Δp) domain; default: extent of the data. */
  deltapDomain?: [number, number];
  /** y (1/Δ2) domain; default: from 0 to a little above the highest line or point. */
  invDelta2Domain?: [number, number];
  /** Write "impossible", "hard", "easy" inside the regions (default true). */
  regionLabels?: boolean;
  /**
   * Scale of the Δp axis. Default `'log'` when the Δp domain is positive and spans a decade or
   * more: the Bayes-hard region and the rise of every line live at small Δp (THEORY §6.2), which a
   * linear axis squeezes into a sliver.
   */
  deltapScale?: 'linear' | 'log';
}

interface LineStyle {
  color: string;
  dash: string | undefined;
  width: number;
  label: string;
}

/** Style of each line kind: fixed so that every phase diagram reads the same way. */
export function phaseLineStyle(kind: PhaseLineKind, convention?: TrivConvention): LineStyle {
  switch (kind) {
    case 'gf':
      return { color: colors.blue, dash: dashes.solid, width: 2.5, label: 'GF threshold, closed form' };
    case 'mlAmp':
      return { color: colors.vermilion, dash: dashes.solid, width: 2, label: 'ML-AMP, m = 0 unstable' };
    case 'mlAmpSpinodal':
      return { color: colors.vermilion, dash: dashes.dotted, width: 2, label: 'ML-AMP spinodal' };
    case 'triv':
      return convention === 'nonNegative'
        ? { color: colors.black, dash: dashes.dashDot, width: 1.8, label: 'triv, spurious minima at m ≥ 0' }
        : { color: colors.green, dash: dashes.solid, width: 2, label: 'triv, spurious minima at any m' };
    case 'langevinConjecture':
      return { color: colors.purple, dash: dashes.dashed, width: 2, label: 'Langevin T = 1 (conjecture)' };
  }
}

/** Background colours of the Bayes regions: light, and distinct in lightness as well as hue. */
export const regionFill: Record<BayesRegion, string> = {
  impossible: '#d4d4d4',
  hard: '#f9d5b0',
  easy: '#d6e9f5',
};

const regionLabel: Record<BayesRegion, string> = {
  impossible: 'Bayes: impossible',
  hard: 'Bayes: hard',
  easy: 'Bayes: easy',
};

const measuredStyle = {
  gf: { color: colors.blue, symbol: 'circle', label: 'GF threshold, from N = ∞ escape times' },
  langevin: {
    color: colors.purple,
    symbol: 'diamond',
    label: 'Langevin T = 1, from N = ∞ escape times',
  },
} as const;

/**
 * Region rows ready to draw: 1/Δ2 clamped to the y domain, and each band cut at the
 * edges of the Δp domain with linearly interpolated rows (charts are not clipped,
 * see chart.ts, so nothing may extend into the margins).
 */
function clampRows(rows: readonly RegionRow[], x: [number, number], y: [number, number]) {
  const clampY = (v: number) => Math.min(Math.max(v, y[0]), y[1]);
  const out: { key: string; region: BayesRegion; deltap: number; from: number; to: number }[] = [];
  const keys = [...new Set(rows.map((r) => `${r.region}:${r.segment ?? 0}`))];
  for (const key of keys) {
    const band = rows
      .filter((r) => `${r.region}:${r.segment ?? 0}` === key)
      .map((r) => ({
        key,
        region: r.region,
        deltap: r.deltap,
        from: clampY(r.invDelta2From),
        to: clampY(r.invDelta2To),
      }))
      .sort((a, b) => a.deltap - b.deltap);
    const at = (edge: number) => {
      const j = band.findIndex((r) => r.deltap > edge);
      if (j <= 0 || band[j - 1]!.deltap === edge) return undefined;
      const a = band[j - 1]!;
      const b = band[j]!;
      const w = (edge - a.deltap) / (b.deltap - a.deltap);
      return { ...a, deltap: edge, from: a.from + w * (b.from - a.from), to: a.to + w * (b.to - a.to) };
    };
    const left = at(x[0]);
    const right = at(x[1]);
    const inside = band.filter((r) => r.deltap >= x[0] && r.deltap <= x[1]);
    out.push(...(left !== undefined ? [left] : []), ...inside, ...(right !== undefined ? [right] : []));
  }
  return out;
}

function panelMarks(
  data: PhaseDiagramData,
  x: [number, number],
  y: [number, number],
  labels: boolean,
  logX: boolean,
): Plot.Markish[] {
  // Positions along the Δp axis are chosen in the axis' own metric (log Δp on a log axis).
  const u = (d: number) => (logX ? Math.log(d) : d);
  const fromU = (v: number) => (logX ? Math.exp(v) : v);
  const xMid = fromU((u(x[0]) + u(x[1])) / 2);
  const xSpan = u(x[1]) - u(x[0]);
  const along = (fraction: number) => fromU(u(x[0]) + fraction * xSpan);
  const distance = (a: number, b: number) => Math.abs(u(a) - u(b));
  const marks: Plot.Markish[] = [];
  const rows = clampRows(data.regions, x, y);
  const keys = [...new Set(rows.map((r) => r.key))];
  for (const key of keys) {
    const band = rows.filter((r) => r.key === key);
    const region = band[0]!.region;
    marks.push(
      Plot.areaY(band, {
        x: 'deltap',
        y1: 'from',
        y2: 'to',
        fill: regionFill[region],
        curve: 'linear',
        ariaDescription: `region:${region}`,
      }),
    );
  }
  if (labels) {
    // Label each region once, where it is tallest, so the text sits well inside it.
    for (const region of ['impossible', 'hard', 'easy'] as const) {
      const inRegion = rows.filter((r) => r.region === region && r.to - r.from > 0);
      if (inRegion.length === 0) continue;
      // Prefer the central part of the Δp range so labels stay clear of the axes. The
      // easy region is open upwards and the threshold lines fall with Δp, so its label
      // goes to the upper right, where the diagram is empty.
      const target = region === 'easy' ? along(0.75) : xMid;
      const central = inRegion.filter((r) => distance(r.deltap, target) <= 0.3 * xSpan);
      const pool = central.length > 0 ? central : inRegion;
      const best =
        region === 'easy'
          ? pool.reduce((a, b) => (distance(b.deltap, target) < distance(a.deltap, target) ? b : a))
          : pool.reduce((a, b) => (b.to - b.from > a.to - a.from ? b : a));
      const height = region === 'easy' ? 0.8 : 0.5;
      // Skip regions too thin for the word, or only reachable at the very edge of the frame.
      if (best.to - best.from < 0.08 * (y[1] - y[0])) continue;
      if (Math.min(distance(best.deltap, x[0]), distance(x[1], best.deltap)) < 0.08 * xSpan) continue;
      marks.push(
        Plot.text([best], {
          x: 'deltap',
          y: (r: (typeof rows)[number]) => r.from + height * (r.to - r.from),
          text: () => region,
          fill: '#555555',
          fontStyle: 'italic',
          textAnchor: 'middle',
          ...textHalo,
          ariaDescription: `region label:${region}`,
        }),
      );
    }
  }
  marks.push(Plot.frame({ stroke: '#888888' }));
  // Second conventions (dash-dot) go on top, so a line that coincides with its
  // first convention (triv at even p) still shows its pattern over it.
  const ordered = [...data.lines].sort(
    (a, b) => Number(a.convention === 'nonNegative') - Number(b.convention === 'nonNegative'),
  );
  for (const line of ordered) {
    const s = phaseLineStyle(line.kind, line.convention);
    const id = line.kind === 'triv' ? `triv-${line.convention ?? 'all'}` : line.kind;
    const clipped = clipPolyline(
      line.points.map((q) => ({ x: q.deltap, y: q.invDelta2 ?? Number.NaN })),
      { x, y, xLog: logX },
    );
    marks.push(
      Plot.line(clipped, {
        x: 'x',
        y: 'y',
        stroke: s.color,
        strokeWidth: s.width,
        strokeDasharray: s.dash,
        ariaDescription: `series:${id}`,
      }),
    );
    if (line.kind === 'langevinConjecture') {
      // The word "conjecture" next to the dashed line itself, not only in the legend.
      const finite = line.points.filter(
        (q): q is { deltap: number; invDelta2: number } =>
          Number.isFinite(q.deltap) && Number.isFinite(q.invDelta2),
      );
      const inside = finite.filter(
        (q) => q.invDelta2 <= y[1] && q.invDelta2 >= y[0] && q.deltap >= x[0] && q.deltap <= x[1],
      );
      // Anchor the label at the visible point nearest 3/4 of the Δp axis and write it just
      // BELOW the line: there the conjecture is the lowest line (1/Δ2 = 1 at large Δp, THEORY
      // §6.3), so the word cannot sit on the ML-AMP lines above it.
      const target = along(0.72);
      const anchor = inside.reduce<{ deltap: number; invDelta2: number } | undefined>(
        (a, q) => (a === undefined || distance(q.deltap, target) < distance(a.deltap, target) ? q : a),
        undefined,
      );
      if (anchor !== undefined) {
        marks.push(
          Plot.text([anchor], {
            x: 'deltap',
            y: 'invDelta2',
            text: () => 'conjecture',
            fill: s.color,
            fontWeight: 'bold',
            textAnchor: 'middle',
            ...textHalo,
            dy: 12,
            ariaDescription: 'conjecture label',
          }),
        );
      }
    }
  }
  for (const method of ['gf', 'langevin'] as const) {
    // Points outside the frame are left out; error bars are cut at its top and bottom.
    const pts = data.measured
      .filter((m) => m.method === method && m.deltap >= x[0] && m.deltap <= x[1])
      .filter((m) => m.invDelta2 >= y[0] && m.invDelta2 <= y[1]);
    if (pts.length === 0) continue;
    const st = measuredStyle[method];
    const lo = (d: MeasuredThreshold) => Math.max(d.invDelta2 - d.err, y[0]);
    const hi = (d: MeasuredThreshold) => Math.min(d.invDelta2 + d.err, y[1]);
    // Hollow markers under the error bars, and caps at both ends: a bar shorter than the
    // marker (± 0.01 in 1/Δ2 is ~1 px) still shows as two caps instead of vanishing.
    marks.push(
      Plot.dot(pts, {
        x: 'deltap',
        y: 'invDelta2',
        symbol: st.symbol,
        r: 4.5,
        fill: 'white',
        stroke: st.color,
        strokeWidth: 1.8,
        ariaDescription: `measured:${method}`,
      }),
      Plot.ruleX(pts, {
        x: 'deltap',
        y1: lo,
        y2: hi,
        stroke: st.color,
        strokeWidth: 1.5,
        ariaDescription: `errorbars:${method}`,
      }),
      ...[lo, hi].map((end) =>
        Plot.ruleY(pts, {
          y: end,
          x1: (d: MeasuredThreshold) => fromU(u(d.deltap) - 0.012 * xSpan),
          x2: (d: MeasuredThreshold) => fromU(u(d.deltap) + 0.012 * xSpan),
          stroke: st.color,
          strokeWidth: 1.5,
          ariaDescription: `errorcaps:${method}`,
        }),
      ),
    );
  }
  return marks;
}

/**
 * Phase diagram(s) in the (Δp, 1/Δ2) plane, one panel per entry of `data`
 * (e.g. p = 3 and p = 4 side by side), with a shared SVG legend.
 * @example
 * const svg = phaseDiagram({ p: 3, lines: [{ kind: 'gf', points }], regions: [], measured: [] }, { document });
 */
export function phaseDiagram(
  data: PhaseDiagramData | readonly PhaseDiagramData[],
  options: PhaseDiagramOptions = {},
): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const panels = Array.isArray(data) ? (data as readonly PhaseDiagramData[]) : [data as PhaseDiagramData];
  if (panels.length === 0) throw new Error('phaseDiagram: no panel data');
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? (panels.length === 1 ? 640 : 480 * panels.length);
  const height = options.height ?? 420;
  const panelWidth = width / panels.length;

  const allPoints = panels.flatMap((d) => [...d.lines.flatMap((l) => l.points), ...d.measured]);
  const xDomain =
    options.deltapDomain ??
    finiteExtent(
      [...allPoints.map((q) => q.deltap), ...panels.flatMap((d) => d.regions.map((r) => r.deltap))],
      [0, 1],
    );
  const yHigh = finiteExtent(
    [
      ...allPoints
        .filter((q) => q.deltap >= xDomain[0] && q.deltap <= xDomain[1])
        .map((q) => q.invDelta2 ?? Number.NaN),
      ...panels.flatMap((d) => d.measured.map((m) => m.invDelta2 + m.err)),
    ],
    [0, 1],
  )[1];
  const yDomain = options.invDelta2Domain ?? [0, pad([0, yHigh], 0.08)[1]];
  const labels = options.regionLabels ?? true;
  const logX =
    (options.deltapScale ?? (xDomain[0] > 0 && xDomain[1] / xDomain[0] >= 10 ? 'log' : 'linear')) === 'log';
  if (logX && !(xDomain[0] > 0)) throw new Error('phaseDiagram: a log Δp axis needs a positive domain');

  const placements: PanelPlacement[] = panels.map((d, i) => ({
    svg: renderChart({
      ...chartOptions({ document: doc, width: panelWidth, height, fontSize, marginTop: 30 }),
      x: axis(`${sym.deltap} (tensor noise variance${logX ? ', log scale' : ''})`, {
        domain: xDomain,
        ...(logX
          ? { type: 'log' as const, ticks: logTicks125(xDomain), tickFormat: (v: number) => String(v) }
          : {}),
      }),
      y: axis(`${sym.invDelta2} (matrix signal-to-noise ratio)`, { domain: yDomain }),
      marks: panelMarks(d, xDomain, yDomain, labels, logX),
    }),
    x: i * panelWidth,
    y: 0,
    title: d.title ?? `p = ${d.p}`,
    titleX: MARGINS.left,
  }));

  const regionKey: LegendEntry[] = [];
  const legend: LegendEntry[] = [];
  const measuredKey: LegendEntry[] = [];
  const present = new Set(panels.flatMap((d) => d.regions.map((r) => r.region)));
  for (const region of ['impossible', 'hard', 'easy'] as const)
    if (present.has(region))
      legend.push({ label: regionLabel[region], symbol: { kind: 'swatch', color: regionFill[region] } });
  const seen = new Set<string>();
  for (const line of panels.flatMap((d) => d.lines)) {
    // A line with no finite point draws nothing (e.g. a 2+p-only line of a channel model): no key.
    if (!line.points.some((q) => Number.isFinite(q.deltap) && Number.isFinite(q.invDelta2 ?? Number.NaN)))
      continue;
    const s = phaseLineStyle(line.kind, line.convention);
    const label = line.label ?? s.label;
    if (seen.has(label)) continue;
    seen.add(label);
    legend.push({ label, symbol: { kind: 'line', color: s.color, dash: s.dash, width: s.width } });
  }
  for (const method of ['gf', 'langevin'] as const) {
    if (!panels.some((d) => d.measured.some((m) => m.method === method))) continue;
    const st = measuredStyle[method];
    measuredKey.push({
      label: st.label,
      symbol: { kind: 'dot', color: st.color, shape: st.symbol, errorBar: true },
    });
  }
  return composeFigure(doc, {
    width,
    panelHeight: height,
    panels: placements,
    legend: [regionKey, legend, measuredKey],
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: `phase diagram, p = ${panels.map((d) => d.p).join(', ')}`,
  });
}
