/**
 * Gradient-flow dynamics around the threshold (THEORY §3, §5): m(t), e(t) and
 * μ(t) on a log time axis for several 1/Δ2 at fixed p and Δp. The N = ∞ curves
 * (the CHSCK equations of §3) are solid; finite-N runs (§2) are overlaid as their
 * mean over seeds (short dashes) with a translucent spread band. The threshold
 * values the flow approaches on its plateau are marked: μ_th = 2σ with
 * σ = √f''(1) (§4.1) and the threshold energy e_th (§3 identities).
 */
import * as Plot from '@observablehq/plot';
import { finiteExtent, logExtent, MARGINS, pad, stackTimePanels, type TimePanel, textHalo } from './chart.ts';
import { composeFigure } from './compose.ts';
import { finiteNLabel, type LegendEntry } from './legend.ts';
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

/** One time point of the N = ∞ dynamics at one 1/Δ2. */
export interface DynamicsTheoryRow {
  invDelta2: number;
  t: number;
  m: number;
  e: number;
  mu: number;
}

/** Observables of a run. */
export type DynamicsObservable = 'm' | 'e' | 'mu';

/**
 * One time point of finite-N runs at one 1/Δ2: the mean over seeds and the
 * spread drawn as a band from `lo` to `hi` (the producer decides what spread:
 * ± one standard deviation, or min–max; say which in the caption). For m use the
 * overlap with the sign fixed so that it grows (|m| for a symmetric model).
 */
export interface DynamicsFiniteNRow {
  invDelta2: number;
  t: number;
  observable: DynamicsObservable;
  mean: number;
  lo: number;
  hi: number;
}

/** Threshold values at one 1/Δ2: `mu` = 2σ = 2√f''(1), `e` = e_th. */
export interface DynamicsThreshold {
  invDelta2: number;
  mu: number;
  e: number;
}

/** Data of {@link dynamicsFigure}. */
export interface DynamicsData {
  p: number;
  deltap: number;
  /** Title instead of `p = …, Δp = …` (a model with several channels, issue 15). */
  model?: string;
  /** N = ∞ curves, tidy: one row per (1/Δ2, t). Rows with t ≤ 0 are not drawn (log axis). */
  theory: readonly DynamicsTheoryRow[];
  /**
   * N = ∞ curves from the finite-N runs' own initial overlap (optional; thin dash-dot), when
   * `theory` starts from a smaller m0 to show the plateau.
   */
  matched?: readonly DynamicsTheoryRow[];
  /** Initial overlaps of `theory` and `matched` (legend text). */
  m0?: number;
  matchedM0?: number;
  /** Legend text of the finite-N runs (default: {@link finiteNLabel} of N and seeds). */
  finiteNSummary?: string;
  /** Finite-N runs (optional). */
  finiteN?: readonly DynamicsFiniteNRow[];
  /** System size of the finite-N runs (legend text). */
  N?: number;
  /** Number of seeds averaged (legend text). */
  seeds?: number;
  /** Threshold values to mark (optional). */
  thresholds?: readonly DynamicsThreshold[];
  /**
   * Legend labels of the series (optional): then `invDelta2` of every row is a series key (e.g.
   * annealed and plain runs at the same 1/Δ2) and these name them; default `1/Δ2 = key`.
   */
  seriesLabels?: readonly { readonly key: number; readonly label: string }[];
  /** Accessible name of the figure (default: gradient-flow dynamics). */
  title?: string;
}

/** Options of {@link dynamicsFigure}. */
export interface DynamicsOptions extends BaseFigureOptions {
  /** Height of each of the three panels in px (default 210). */
  panelHeight?: number;
  /** Time domain; default: extent of the positive times in the data. Rows outside it are not drawn. */
  timeDomain?: [number, number];
}

const panelsSpec: { key: DynamicsObservable; label: string }[] = [
  { key: 'm', label: `overlap ${sym.overlap}` },
  { key: 'e', label: `energy ${sym.energy} = H/N` },
  { key: 'mu', label: `multiplier ${sym.multiplier}` },
];

/**
 * m(t), e(t), μ(t) stacked on a shared log time axis.
 * @example
 * const svg = dynamicsFigure({ p: 3, deltap: 1, theory: rows }, { document });
 */
export function dynamicsFigure(data: DynamicsData, options: DynamicsOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 640;
  const ph = options.panelHeight ?? 210;
  // Charts are not clipped (see chart.ts), so rows outside an explicit time domain are dropped.
  const [tLo, tHi] = options.timeDomain ?? [0, Infinity];
  const inTime = (t: number) => t > 0 && t >= tLo && t <= tHi;
  const theory = data.theory.filter((r) => inTime(r.t));
  const matched = (data.matched ?? []).filter((r) => inTime(r.t));
  const finiteN = (data.finiteN ?? []).filter((r) => inTime(r.t));
  const invs = [...new Set([...theory.map((r) => r.invDelta2), ...finiteN.map((r) => r.invDelta2)])].sort(
    (a, b) => a - b,
  );
  const color = new Map(invs.map((a, i) => [a, seriesColor(i)]));
  const tDomain = options.timeDomain ?? logExtent([...theory.map((r) => r.t), ...finiteN.map((r) => r.t)], 1);
  const thresholds = data.thresholds ?? [];

  const panels = panelsSpec.map((spec): TimePanel => {
    const marks: Plot.Markish[] = [Plot.frame({ stroke: '#888888' })];
    const values: number[] = [...theory, ...matched].map((r) => r[spec.key]);
    for (const a of invs) {
      const c = color.get(a)!;
      const fn = finiteN.filter((r) => r.invDelta2 === a && r.observable === spec.key);
      if (fn.length > 0) {
        values.push(...fn.map((r) => r.lo), ...fn.map((r) => r.hi));
        marks.push(
          Plot.areaY(fn, {
            x: 't',
            y1: 'lo',
            y2: 'hi',
            fill: c,
            fillOpacity: 0.15,
            ariaDescription: `band:${spec.key}:${a}`,
          }),
          Plot.line(fn, {
            x: 't',
            y: 'mean',
            stroke: c,
            strokeWidth: 1.8,
            strokeDasharray: dashes.shortDash,
            ariaDescription: `finiteN:${spec.key}:${a}`,
          }),
        );
      }
      const same = matched.filter((r) => r.invDelta2 === a);
      if (same.length > 0)
        marks.push(
          Plot.line(same, {
            x: 't',
            y: spec.key,
            stroke: c,
            strokeWidth: 1.3,
            strokeDasharray: dashes.dashDot,
            ariaDescription: `matched:${spec.key}:${a}`,
          }),
        );
      marks.push(
        Plot.line(
          theory.filter((r) => r.invDelta2 === a),
          { x: 't', y: spec.key, stroke: c, strokeWidth: 2.2, ariaDescription: `series:${spec.key}:${a}` },
        ),
      );
    }
    if (spec.key !== 'm' && thresholds.length > 0) {
      const key = spec.key;
      values.push(...thresholds.map((r) => r[key]));
      for (const th of thresholds) {
        marks.push(
          Plot.ruleY([th[key]], {
            stroke: color.get(th.invDelta2) ?? colors.grey,
            strokeDasharray: dashes.dotted,
            strokeWidth: 1.5,
            ariaDescription: `threshold:${key}:${th.invDelta2}`,
          }),
        );
      }
      // One text label for the family of threshold lines (they differ only slightly with 1/Δ2),
      // just below the lowest one at the left end, where the curves are still far from their
      // plateaus (μ(0) = m0 f'(m0) ≈ 0 and e(0) = −f(m0) ≈ 0, THEORY §3).
      const level = Math.min(...thresholds.map((r) => r[key]));
      // Below the lowest line, unless that would put the text on the x tick labels (the line in
      // the bottom quarter of the panel): then above the highest one.
      const [lo, hi] = pad(finiteExtent([...values, ...thresholds.map((r) => r[key])], [0, 1]), 0.06);
      const nearBottom = (level - lo) / (hi - lo) < 0.25;
      const anchor = nearBottom ? Math.max(...thresholds.map((r) => r[key])) : level;
      marks.push(
        Plot.text([anchor], {
          y: (v: number) => v,
          frameAnchor: 'left',
          dx: 6,
          dy: nearBottom ? -10 : 12,
          text: () => (key === 'mu' ? `${sym.muTh} = 2σ` : `${sym.eTh} (threshold energy)`),
          fill: '#333333',
          textAnchor: 'start',
          ...textHalo,
          ariaDescription: `threshold label:${key}`,
        }),
      );
    }
    return { label: spec.label, domain: pad(finiteExtent(values, [0, 1]), 0.06), marks };
  });
  const { placements, height: y } = stackTimePanels(
    {
      document: doc,
      width,
      fontSize,
      panelHeight: ph,
      tDomain,
      title: data.model ?? `p = ${data.p}, ${sym.deltap} = ${fmt(data.deltap)}`,
    },
    panels,
  );

  const named = new Map((data.seriesLabels ?? []).map((l) => [l.key, l.label]));
  const colourKey: LegendEntry[] = invs.map((a) => ({
    label: named.get(a) ?? `${sym.invDelta2} = ${fmt(a)}`,
    symbol: { kind: 'line', color: color.get(a)!, width: 3 },
  }));
  const legend: LegendEntry[] = [
    {
      label: data.m0 !== undefined ? `N = ∞ from m0 = ${fmt(data.m0, 2)}` : 'N = ∞ (large-N dynamics)',
      symbol: { kind: 'line', color: colors.black, width: 2.2 },
    },
  ];
  if (matched.length > 0)
    legend.push({
      label: `N = ∞ from ${data.matchedM0 !== undefined ? `m0 = ${fmt(data.matchedM0, 2)}` : 'the finite-N m0'} (as the finite-N runs)`,
      symbol: { kind: 'line', color: colors.black, dash: dashes.dashDot, width: 1.3 },
    });
  if (finiteN.length > 0) {
    legend.push({
      label: data.finiteNSummary ?? finiteNLabel(data.N, data.seeds),
      // One run has no spread: no band in its key either.
      symbol: {
        kind: 'line',
        color: colors.black,
        dash: dashes.shortDash,
        width: 1.8,
        band: data.seeds !== 1,
      },
    });
  }
  if (thresholds.length > 0)
    legend.push({
      label: 'threshold values',
      symbol: { kind: 'line', color: colors.grey, dash: dashes.dotted, width: 1.5 },
    });
  return composeFigure(doc, {
    width,
    panelHeight: y,
    panels: placements,
    legend: [colourKey, legend],
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: data.title ?? `gradient-flow dynamics, p = ${data.p}, Δp = ${fmt(data.deltap)}`,
  });
}
