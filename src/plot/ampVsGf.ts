/**
 * ML-AMP and gradient flow reach the same overlap (THEORY §3, §6.1): the fixed
 * point of the ML-AMP state evolution `m ← f'(m)/√(f'(m)² + f'(1))` equals the GF
 * end state m* of §3. Left panel: ML-AMP, m against iteration (state evolution and
 * finite-N runs); right panel: gradient flow, m against t on a log axis (large-N
 * dynamics and finite-N runs). Both panels share the y axis and mark m*.
 */
import * as Plot from '@observablehq/plot';
import {
  axis,
  chartOptions,
  finiteExtent,
  logExtent,
  logTimeAxis,
  MARGINS,
  renderChart,
  textHalo,
} from './chart.ts';
import { composeFigure } from './compose.ts';
import { finiteNLabel, type LegendEntry } from './legend.ts';
import { type BaseFigureOptions, colors, dashes, FONT_SIZE, fmt, resolveDocument, sym } from './theme.ts';

/** Mean and spread over seeds at one abscissa (the producer says in the caption which spread). */
export interface SpreadRow {
  mean: number;
  lo: number;
  hi: number;
}

/** Data of {@link ampVsGfFigure}. */
export interface AmpVsGfData {
  p: number;
  deltap: number;
  invDelta2: number;
  /** Closed-form common end point m* (GF end state = ML-AMP fixed point). */
  fixedPoint: number;
  /** ML-AMP state evolution, m after each iteration (iteration 0 = initial overlap). */
  stateEvolution: readonly { iteration: number; m: number }[];
  /** Finite-N ML-AMP runs. */
  ampFiniteN?: readonly ({ iteration: number } & SpreadRow)[];
  /** Large-N gradient-flow dynamics m(t) (rows with t ≤ 0 not drawn). */
  dmft: readonly { t: number; m: number }[];
  /** Finite-N gradient-flow runs. */
  gfFiniteN?: readonly ({ t: number } & SpreadRow)[];
  /** System size of the finite-N runs (legend text). */
  N?: number;
  /** Number of seeds (legend text). */
  seeds?: number;
}

/** Options of {@link ampVsGfFigure}. */
export interface AmpVsGfOptions extends BaseFigureOptions {
  /** Height of the panels in px (default 380). */
  height?: number;
}

/**
 * Two panels: ML-AMP against iterations, GF against time, both reaching m*.
 * @example
 * const svg = ampVsGfFigure(data, { document });
 */
export function ampVsGfFigure(data: AmpVsGfData, options: AmpVsGfOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 800;
  const height = options.height ?? 380;
  const half = width / 2;
  const amp = data.ampFiniteN ?? [];
  const dmft = data.dmft.filter((r) => r.t > 0);
  const gf = (data.gfFiniteN ?? []).filter((r) => r.t > 0);
  const ys = [
    data.fixedPoint,
    ...data.stateEvolution.map((r) => r.m),
    ...dmft.map((r) => r.m),
    ...amp.flatMap((r) => [r.lo, r.hi]),
    ...gf.flatMap((r) => [r.lo, r.hi]),
  ];
  const [, yHi] = finiteExtent(ys, [0, 1]);
  const yDomain: [number, number] = [0, Math.min(1, yHi * 1.08)];
  const star = (): Plot.Markish[] => [
    Plot.ruleY([data.fixedPoint], {
      stroke: colors.grey,
      strokeWidth: 1.5,
      strokeDasharray: dashes.dotted,
      ariaDescription: 'fixed point',
    }),
    Plot.text([data.fixedPoint], {
      y: (v: number) => v,
      // Left end: both curves are still near m = 0 there, so the label is clear of them.
      frameAnchor: 'left',
      dx: 6,
      dy: -10,
      text: () => `m* = ${fmt(data.fixedPoint)}`,
      textAnchor: 'start',
      fill: '#333333',
      ...textHalo,
    }),
  ];
  const finiteMarks = (rows: readonly Record<string, number>[], x: string, tag: string): Plot.Markish[] =>
    rows.length === 0
      ? []
      : [
          Plot.areaY(rows, {
            x,
            y1: 'lo',
            y2: 'hi',
            fill: colors.vermilion,
            fillOpacity: 0.18,
            ariaDescription: `band:${tag}`,
          }),
          Plot.line(rows, {
            x,
            y: 'mean',
            stroke: colors.vermilion,
            strokeWidth: 1.8,
            strokeDasharray: dashes.shortDash,
            ariaDescription: `finiteN:${tag}`,
          }),
        ];
  const maxIter = finiteExtent(
    [...data.stateEvolution.map((r) => r.iteration), ...amp.map((r) => r.iteration)],
    [0, 1],
  )[1];
  const left = renderChart({
    ...chartOptions({ document: doc, width: half, height, fontSize, marginTop: 30 }),
    x: axis('ML-AMP iteration', { domain: [0, maxIter] }),
    y: axis(`overlap ${sym.overlap}`, { domain: yDomain }),
    marks: [
      Plot.frame({ stroke: '#888888' }),
      ...star(),
      ...finiteMarks(amp as unknown as Record<string, number>[], 'iteration', 'amp'),
      Plot.line(data.stateEvolution, {
        x: 'iteration',
        y: 'm',
        stroke: colors.blue,
        strokeWidth: 2.2,
        ariaDescription: 'series:state-evolution',
      }),
    ],
  });
  const right = renderChart({
    ...chartOptions({ document: doc, width: half, height, fontSize, marginTop: 30 }),
    x: logTimeAxis({ domain: logExtent([...dmft.map((r) => r.t), ...gf.map((r) => r.t)], 1) }),
    y: axis(`overlap ${sym.overlap}`, { domain: yDomain }),
    marks: [
      Plot.frame({ stroke: '#888888' }),
      ...star(),
      ...finiteMarks(gf as unknown as Record<string, number>[], 't', 'gf'),
      Plot.line(dmft, {
        x: 't',
        y: 'm',
        stroke: colors.blue,
        strokeWidth: 2.2,
        ariaDescription: 'series:dmft',
      }),
    ],
  });
  const legend: LegendEntry[] = [
    {
      label: 'N = ∞: state evolution (left), large-N dynamics (right)',
      symbol: { kind: 'line', color: colors.blue, width: 2.2 },
    },
  ];
  if (amp.length > 0 || gf.length > 0) {
    legend.push({
      label: finiteNLabel(data.N, data.seeds),
      symbol: { kind: 'line', color: colors.vermilion, dash: dashes.shortDash, width: 1.8, band: true },
    });
  }
  legend.push({
    label: 'm*: GF end state = ML-AMP fixed point',
    symbol: { kind: 'line', color: colors.grey, dash: dashes.dotted, width: 1.5 },
  });
  return composeFigure(doc, {
    width,
    panelHeight: height,
    panels: [
      { svg: left, x: 0, y: 0, title: 'ML-AMP', titleX: MARGINS.left },
      { svg: right, x: half, y: 0, title: 'gradient flow', titleX: MARGINS.left },
    ],
    legend,
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: `ML-AMP and gradient flow, p = ${data.p}, Δp = ${fmt(data.deltap)}, 1/Δ2 = ${fmt(data.invDelta2)}`,
  });
}
