/**
 * The Hessian spectrum of the threshold states (THEORY §4.1) as a figure: the bulk
 * semicircle on [μ_th − 2σ, μ_th + 2σ] = [0, 4σ] (its lower edge touches zero: the
 * states are marginal) and the BBP outlier at `μ − θ − σ²/θ` with θ = 1/Δ2 at m = 0.
 * With μ = 2σ the outlier sits at `−(θ − σ)²/θ`: as soon as θ = 1/Δ2 exceeds σ (the
 * GF threshold, THEORY §5) it detaches below zero, the threshold states become
 * saddles with one direction towards the signal, and gradient flow escapes them.
 * A second panel follows the lowest eigenvalue along 1/Δ2 at the selected Δp, so the
 * outlier's motion and the BBP point are visible at a glance. Built with the shared
 * `src/plot` chart helpers and look; `src/plot` has no spectrum builder.
 */
import * as Plot from '@observablehq/plot';
import { axis, chartOptions, finiteExtent, MARGINS, pad, renderChart, textHalo } from '../plot/chart.ts';
import { composeFigure } from '../plot/compose.ts';
import type { LegendEntry } from '../plot/legend.ts';
import { colors, dashes, fmt, sym } from '../plot/theme.ts';
import type { LandscapeResult } from './api.ts';
import { bulkCurve } from './spectrumData.ts';

/** Space between the spectrum and the λ_min-vs-1/Δ2 chart, px. */
const SUBPLOT_GAP = 18;

/**
 * The spectrum figure for one point of the phase diagram.
 * @example
 * const svg = spectrumFigure(landscape({ p: 3, delta2: 1 / 3, deltap: 1 }), 3, document);
 */
export function spectrumFigure(
  r: LandscapeResult,
  invDelta2: number,
  doc: Document,
  width = 600,
): SVGSVGElement {
  const s = r.spectrum;
  const bulk = bulkCurve(s);
  const lo = Math.min(s.bulkLower, s.outlier ?? s.bulkLower, 0);
  const xDomain = pad([lo, s.bulkUpper], 0.06);
  const peak = 1 / (Math.PI * s.sigma);
  const marks: Plot.Markish[] = [
    Plot.frame({ stroke: '#888888' }),
    Plot.areaY(bulk, {
      x: 'lambda',
      y: 'density',
      fill: colors.sky,
      fillOpacity: 0.35,
      ariaDescription: 'bulk',
    }),
    Plot.line(bulk, {
      x: 'lambda',
      y: 'density',
      stroke: colors.blue,
      strokeWidth: 2,
      ariaDescription: 'bulk edge',
    }),
    Plot.ruleX([0], { stroke: '#444444', strokeDasharray: dashes.dotted, strokeWidth: 1.5 }),
  ];
  const legend: LegendEntry[] = [
    {
      label: `bulk: semicircle of radius 2σ = ${fmt(2 * s.sigma)}`,
      symbol: { kind: 'line', color: colors.blue },
    },
  ];
  if (s.outlier !== null) {
    marks.push(
      Plot.ruleX([s.outlier], { stroke: colors.vermilion, strokeWidth: 3, ariaDescription: 'outlier' }),
      Plot.text([s.outlier], {
        x: (v: number) => v,
        frameAnchor: 'top',
        dy: 14,
        dx: s.outlier < s.mu ? 6 : -6,
        textAnchor: s.outlier < s.mu ? 'start' : 'end',
        text: () => `outlier λ = ${fmt(s.outlier!)}`,
        fill: colors.vermilion,
        ...textHalo,
      }),
    );
    legend.push({
      label: `BBP outlier (eigenvector overlap² with signal ${fmt(s.outlierOverlap!)})`,
      symbol: { kind: 'line', color: colors.vermilion, width: 3 },
    });
  }
  const chart = renderChart({
    ...chartOptions({ document: doc, width, height: 260, marginTop: 10 }),
    x: axis(`Hessian eigenvalue λ at the threshold states (m = 0, ${sym.multiplier} = 2σ)`, {
      domain: xDomain,
    }),
    y: axis('density', { domain: [0, peak * 1.15], ticks: 4 }),
    marks,
  });
  const sweep = Array.from(r.lowestVsSnr.invDelta2, (a, i) => ({ a, lowest: r.lowestVsSnr.lowest[i]! }));
  const current = { a: invDelta2, lowest: s.outlier ?? s.bulkLower };
  const sweepChart = renderChart({
    ...chartOptions({ document: doc, width, height: 190, marginTop: 16 }),
    x: axis(sym.invDelta2, { domain: [0, 4] }),
    // Zero is always in view (it is the bulk edge of the marginal states), with a margin above it.
    y: axis('lowest eigenvalue', {
      ticks: 4,
      domain: pad(finiteExtent([0, ...r.lowestVsSnr.lowest], [-1, 0]), 0.08),
    }),
    marks: [
      Plot.frame({ stroke: '#888888' }),
      Plot.ruleY([0], { stroke: '#444444', strokeDasharray: dashes.dotted, strokeWidth: 1.5 }),
      Plot.line(sweep, {
        x: 'a',
        y: 'lowest',
        stroke: colors.vermilion,
        strokeWidth: 2,
        ariaDescription: 'lowest vs snr',
      }),
      Plot.dot([current], {
        x: 'a',
        y: 'lowest',
        r: 5,
        fill: 'white',
        stroke: '#000000',
        strokeWidth: 2,
        ariaDescription: 'selected point',
      }),
    ],
  });
  legend.push({
    label: `lowest eigenvalue along ${sym.invDelta2} at this Δp (● selected)`,
    symbol: { kind: 'line', color: colors.vermilion, width: 2 },
  });
  return composeFigure(doc, {
    width,
    // A gap between the two charts so the first one's x-axis title (at the bottom of its
    // margin) is never covered by the second chart's top margin.
    panelHeight: 260 + SUBPLOT_GAP + 190,
    panels: [
      { svg: chart, x: 0, y: 0 },
      { svg: sweepChart, x: 0, y: 260 + SUBPLOT_GAP },
    ],
    legend,
    legendX: MARGINS.left,
    ariaLabel: `Hessian spectrum of the threshold states, ${sym.invDelta2} = ${fmt(invDelta2)}`,
  });
}
