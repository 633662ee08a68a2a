/**
 * "Surfing on saddles" (THEORY §4.1, §5): along one finite-N gradient flow, the
 * lowest eigenvalue λ_min of the Riemannian Hessian (§2) and the squared overlap
 * of its eigenvector with the signal direction, stacked above m(t). The N = ∞
 * prediction evaluates the BBP formula of §4.1 along the large-N trajectory: an
 * outlier at μ − θ − σ²/θ with squared overlap 1 − σ²/θ² when θ(m) > σ, else the
 * bulk edge μ − 2σ with overlap 0. λ_min < 0 while m is still small is the
 * saddle the flow surfs down.
 */
import * as Plot from '@observablehq/plot';
import { finiteExtent, logExtent, MARGINS, pad, stackTimePanels } from './chart.ts';
import { composeFigure } from './compose.ts';
import type { LegendEntry } from './legend.ts';
import { type BaseFigureOptions, colors, dashes, FONT_SIZE, fmt, resolveDocument, sym } from './theme.ts';

/** One measurement along the finite-N run. */
export interface SurfingRunRow {
  t: number;
  /** Overlap with the signal, (x · x*) / N. */
  m: number;
  /** Lowest eigenvalue of the Riemannian Hessian at x(t). */
  lambdaMin: number;
  /** Squared overlap (v·x*)²/(|v|²|x*|²) of the lowest eigenvector v with the signal, in [0, 1]. */
  eigenvectorOverlap: number;
  /**
   * THEORY §4.1 evaluated at this run's own state (m(t), μ(t)) instead of the large-N
   * trajectory's: separates "the Hessian is what §4.1 says for this point" from "this
   * run is where the large-N dynamics is" (finite-N runs start at a random energy).
   */
  predictedLambdaMin?: number;
  /** Squared overlap predicted by §4.1 at the run's own (m, μ). */
  predictedOverlap?: number;
}

/** The N = ∞ prediction at one time. */
export interface SurfingTheoryRow {
  t: number;
  /** m(t) of the large-N dynamics (THEORY §3). */
  m: number;
  /** Predicted lowest eigenvalue: the BBP outlier if it exists, else the bulk edge. */
  lambdaMin: number;
  /** Lower bulk edge μ(t) − 2σ. */
  edge: number;
  /** Predicted squared eigenvector overlap: 1 − σ²/θ² with an outlier, else 0. */
  overlap: number;
}

/** Data of {@link surfingFigure}. */
export interface SurfingData {
  p: number;
  deltap: number;
  invDelta2: number;
  /** System size of the run. */
  N: number;
  /** Seed of the run (shown in the legend, so the figure names its instance). */
  seed: number;
  run: readonly SurfingRunRow[];
  theory?: readonly SurfingTheoryRow[];
}

/** Options of {@link surfingFigure}. */
export interface SurfingOptions extends BaseFigureOptions {
  /** Height of each of the three panels in px (default 190). */
  panelHeight?: number;
}

/**
 * λ_min(t), eigenvector overlap and m(t) along one run, with the N = ∞ prediction.
 * @example
 * const svg = surfingFigure({ p: 3, deltap: 1, invDelta2: 1.8, N: 800, seed: 7, run, theory }, { document });
 */
export function surfingFigure(data: SurfingData, options: SurfingOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 640;
  const ph = options.panelHeight ?? 190;
  const run = data.run.filter((r) => r.t > 0);
  const theory = (data.theory ?? []).filter((r) => r.t > 0);
  const tDomain = logExtent([...run.map((r) => r.t), ...theory.map((r) => r.t)], 1);
  const finite = { stroke: colors.vermilion, strokeWidth: 1.2 };
  const own = run.filter((r) => r.predictedLambdaMin !== undefined && Number.isFinite(r.predictedLambdaMin));
  const ownMark = { r: 4.5, stroke: colors.black, strokeWidth: 1.1, fill: 'none' };

  const specs = [
    {
      key: 'lambda',
      label: `lowest eigenvalue ${sym.lambdaMin}`,
      values: [
        ...run.map((r) => r.lambdaMin),
        ...own.map((r) => r.predictedLambdaMin!),
        ...theory.flatMap((r) => [r.lambdaMin, r.edge]),
        0,
      ],
      marks: [
        Plot.ruleY([0], { stroke: '#444444', strokeWidth: 1 }),
        Plot.line(theory, {
          x: 't',
          y: 'edge',
          stroke: colors.grey,
          strokeWidth: 1.5,
          strokeDasharray: dashes.dotted,
          ariaDescription: 'series:edge',
        }),
        Plot.line(theory, {
          x: 't',
          y: 'lambdaMin',
          stroke: colors.blue,
          strokeWidth: 2.2,
          ariaDescription: 'series:theory-lambda',
        }),
        Plot.dot(own, { x: 't', y: 'predictedLambdaMin', ...ownMark, ariaDescription: 'points:own-lambda' }),
        Plot.line(run, { x: 't', y: 'lambdaMin', ...finite, ariaDescription: 'series:run-lambda' }),
        Plot.dot(run, {
          x: 't',
          y: 'lambdaMin',
          r: 2.5,
          fill: colors.vermilion,
          ariaDescription: 'points:run-lambda',
        }),
      ],
      domain: undefined as [number, number] | undefined,
    },
    {
      key: 'overlap',
      label: 'eigenvector overlap²',
      values: [0, 1],
      marks: [
        Plot.line(theory, {
          x: 't',
          y: 'overlap',
          stroke: colors.blue,
          strokeWidth: 2.2,
          ariaDescription: 'series:theory-overlap',
        }),
        Plot.dot(own, { x: 't', y: 'predictedOverlap', ...ownMark, ariaDescription: 'points:own-overlap' }),
        Plot.line(run, { x: 't', y: 'eigenvectorOverlap', ...finite, ariaDescription: 'series:run-overlap' }),
        Plot.dot(run, {
          x: 't',
          y: 'eigenvectorOverlap',
          r: 2.5,
          fill: colors.vermilion,
          ariaDescription: 'points:run-overlap',
        }),
      ],
      // Squared overlaps live in [0, 1]; the axis stops a little above the largest one drawn
      // (runs rarely exceed ~0.6), so the curves are not squeezed into the bottom half.
      domain: [
        -0.03,
        Math.min(
          1.03,
          1.1 *
            finiteExtent(
              [
                ...run.map((r) => r.eigenvectorOverlap),
                ...theory.map((r) => r.overlap),
                ...own.map((r) => r.predictedOverlap ?? Number.NaN),
              ],
              [0, 1],
            )[1] +
            0.03,
        ),
      ] as [number, number],
    },
    {
      key: 'm',
      label: `overlap ${sym.overlap}`,
      values: [...run.map((r) => r.m), ...theory.map((r) => r.m)],
      marks: [
        Plot.line(theory, {
          x: 't',
          y: 'm',
          stroke: colors.blue,
          strokeWidth: 2.2,
          ariaDescription: 'series:theory-m',
        }),
        Plot.line(run, { x: 't', y: 'm', ...finite, ariaDescription: 'series:run-m' }),
        Plot.dot(run, { x: 't', y: 'm', r: 2.5, fill: colors.vermilion, ariaDescription: 'points:run-m' }),
      ],
      domain: undefined as [number, number] | undefined,
    },
  ];
  const { placements, height: y } = stackTimePanels(
    {
      document: doc,
      width,
      fontSize,
      panelHeight: ph,
      tDomain,
      title: `p = ${data.p}, ${sym.deltap} = ${fmt(data.deltap)}, ${sym.invDelta2} = ${fmt(data.invDelta2)}, N = ${data.N}`,
    },
    specs.map((spec) => ({
      label: spec.label,
      domain: spec.domain ?? pad(finiteExtent(spec.values, [0, 1]), 0.06),
      marks: [Plot.frame({ stroke: '#888888' }), ...spec.marks],
    })),
  );
  const legend: LegendEntry[] = [
    {
      label: `N = ${data.N} gradient flow (seed ${data.seed})`,
      symbol: { kind: 'line', color: colors.vermilion, width: 1.2, marker: true },
    },
  ];
  if (own.length > 0) {
    legend.push({
      label: 'THEORY §4.1 at the run’s own (m, μ)',
      symbol: { kind: 'dot', color: colors.black, shape: 'circle', filled: false },
    });
  }
  if (theory.length > 0) {
    legend.push(
      {
        label: 'N = ∞ prediction (BBP outlier on the large-N trajectory)',
        symbol: { kind: 'line', color: colors.blue, width: 2.2 },
      },
      {
        label: 'bulk edge μ − 2σ',
        symbol: { kind: 'line', color: colors.grey, dash: dashes.dotted, width: 1.5 },
      },
    );
  }
  return composeFigure(doc, {
    width,
    panelHeight: y,
    panels: placements,
    legend,
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: `surfing on saddles, p = ${data.p}, Δp = ${fmt(data.deltap)}, 1/Δ2 = ${fmt(data.invDelta2)}`,
  });
}
