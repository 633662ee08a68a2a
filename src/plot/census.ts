/**
 * The finite-N census figure (issue 15; THEORY §2, §4): top row, histograms of the end points of
 * many descents on one spiked model — overlap m, energy e, lowest Hessian eigenvalue λ_min —
 * stacked by class (signal, mirror, spurious minimum, saddle, unconverged; the legend gives the
 * counts), with the GF end state of THEORY §3 marked; bottom row, the estimate
 * Σ̂ = ln(#distinct minima)/N across N against the annealed Kac–Rice max_m Σ_min(m) of
 * THEORY §4.2, and the finite-N gap N·(Σ̂ − Σ_KR).
 */
import * as Plot from '@observablehq/plot';
import { axis, chartOptions, finiteExtent, MARGINS, pad, renderChart } from './chart.ts';
import { composeFigure } from './compose.ts';
import type { LegendEntry } from './legend.ts';
import { type BaseFigureOptions, colors, dashes, FONT_SIZE, fmt, resolveDocument, sym } from './theme.ts';

/** The end classes in stacking order (bottom first). */
export const CENSUS_CLASSES = ['signal', 'mirror', 'spurious', 'saddle', 'unconverged'] as const;
export type CensusClass = (typeof CENSUS_CLASSES)[number];

/** The observables histogrammed, in panel order. */
export const CENSUS_OBSERVABLES = ['m', 'energy', 'lambdaMin'] as const;
export type CensusObservable = (typeof CENSUS_OBSERVABLES)[number];

/** One bar segment: end points of one class in the bin [lo, hi) of one observable. */
export interface CensusHistogramRow {
  readonly observable: CensusObservable;
  readonly endClass: CensusClass;
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
}

/** Σ estimates at one N (means over instances). */
export interface CensusTrendRow {
  readonly n: number;
  readonly sigma: number;
  readonly sigmaStderr: number;
  readonly sigmaChao1: number;
  /** ln(descents per instance)/N: the largest Σ the census can show. */
  readonly resolvable: number;
}

/** Data of {@link censusFigure}. */
export interface CensusData {
  /** The spiked model of the histograms. */
  readonly landscape: {
    readonly p: number;
    readonly deltap: number;
    readonly invDelta2: number;
    readonly n: number;
    readonly instances: number;
    readonly counts: Readonly<Record<CensusClass, number>>;
    readonly histograms: readonly CensusHistogramRow[];
    /** GF end state (THEORY §3): m*, e*; and the mirror overlap (null where none is predicted). */
    readonly signalOverlap: number | null;
    readonly signalEnergy: number | null;
    readonly mirrorOverlap: number | null;
  };
  /** The model of the Σ trend across N. */
  readonly trend: {
    readonly p: number;
    readonly deltap: number;
    readonly invDelta2: number;
    readonly kacRice: number;
    readonly rows: readonly CensusTrendRow[];
  };
}

const CLASS_COLORS: Record<CensusClass, string> = {
  signal: colors.blue,
  mirror: colors.sky,
  spurious: colors.vermilion,
  saddle: colors.purple,
  unconverged: colors.grey,
};

const OBSERVABLE_LABELS: Record<CensusObservable, string> = {
  m: `overlap ${sym.overlap} of the end point`,
  energy: `energy ${sym.energy} = H/N`,
  lambdaMin: `lowest Hessian eigenvalue ${sym.lambdaMin}`,
};

/** Stack the segments of each bin in class order: y1, y2 per segment (empty ones dropped). */
export function stackHistogram(rows: readonly CensusHistogramRow[]) {
  const top = new Map<string, number>();
  const out: (CensusHistogramRow & { y1: number; y2: number })[] = [];
  for (const c of CENSUS_CLASSES)
    for (const r of rows) {
      if (r.endClass !== c || r.count === 0) continue;
      const key = `${r.observable}:${r.lo}`;
      const y1 = top.get(key) ?? 0;
      top.set(key, y1 + r.count);
      out.push({ ...r, y1, y2: y1 + r.count });
    }
  return out;
}

/**
 * The census figure.
 * @example
 * const svg = censusFigure(stageResult.figure.data, { document });
 */
export function censusFigure(data: CensusData, options: BaseFigureOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 960;
  const topHeight = 270;
  const bottomHeight = 300;
  const gap = 34;
  const third = Math.floor(width / 3);
  const half = Math.floor(width / 2);
  const L = data.landscape;
  const stacked = stackHistogram(L.histograms);
  const references: Record<CensusObservable, { x: number; label: string }[]> = {
    m: [
      ...(L.signalOverlap === null ? [] : [{ x: L.signalOverlap, label: 'm*' }]),
      ...(L.mirrorOverlap === null ? [] : [{ x: L.mirrorOverlap, label: 'mirror' }]),
    ],
    energy: L.signalEnergy === null ? [] : [{ x: L.signalEnergy, label: 'e*' }],
    lambdaMin: [{ x: 0, label: '' }],
  };
  const histogramPanel = (observable: CensusObservable) => {
    const rows = stacked.filter((r) => r.observable === observable);
    const refs = references[observable];
    const xDomain = pad(
      finiteExtent([...rows.flatMap((r) => [r.lo, r.hi]), ...refs.map((r) => r.x)], [-1, 1]),
      0.04,
    );
    const yMax = Math.max(1, ...rows.map((r) => r.y2));
    return renderChart({
      ...chartOptions({ document: doc, width: third, height: topHeight, fontSize, marginTop: 30 }),
      x: axis(OBSERVABLE_LABELS[observable], { domain: xDomain, ticks: 4 }),
      y: axis('end points', { domain: [0, yMax * 1.12] }),
      marks: [
        Plot.frame({ stroke: '#888888' }),
        Plot.rect(rows, {
          x1: 'lo',
          x2: 'hi',
          y1: 'y1',
          y2: 'y2',
          fill: (r: CensusHistogramRow) => CLASS_COLORS[r.endClass],
          stroke: 'white',
          strokeWidth: 0.5,
          ariaDescription: `histogram:${observable}`,
        }),
        Plot.ruleX(refs, {
          x: 'x',
          stroke: colors.black,
          strokeDasharray: dashes.dotted,
          strokeWidth: 1.5,
          ariaDescription: `reference:${observable}`,
        }),
        Plot.text(
          refs.filter((r) => r.label !== ''),
          {
            x: 'x',
            y: yMax * 1.06,
            text: 'label',
            dx: 4,
            textAnchor: 'start',
            fontSize: fontSize - 1,
            fill: colors.black,
          },
        ),
      ],
    });
  };
  const T = data.trend;
  const ns = T.rows.map((r) => r.n);
  const nDomain = pad(finiteExtent(ns, [10, 30]), 0.08);
  const sigmaValues = [
    ...T.rows.flatMap((r) => [r.sigma + r.sigmaStderr, r.sigma - r.sigmaStderr, r.sigmaChao1, r.resolvable]),
    T.kacRice,
    0,
  ];
  const trendPanel = renderChart({
    ...chartOptions({ document: doc, width: half, height: bottomHeight, fontSize, marginTop: 30 }),
    x: axis('dimension N', { domain: nDomain }),
    y: axis(`complexity ${sym.complexity} of minima`, {
      domain: pad(finiteExtent(sigmaValues, [0, 0.3]), 0.06),
    }),
    marks: [
      Plot.frame({ stroke: '#888888' }),
      Plot.ruleY([T.kacRice], { stroke: colors.black, strokeWidth: 1.8, ariaDescription: 'kac-rice' }),
      Plot.line(T.rows, {
        x: 'n',
        y: 'resolvable',
        stroke: colors.grey,
        strokeDasharray: dashes.dashed,
        strokeWidth: 1.5,
        ariaDescription: 'resolvable',
      }),
      Plot.ruleX(T.rows, {
        x: 'n',
        y1: (r: CensusTrendRow) => r.sigma - r.sigmaStderr,
        y2: (r: CensusTrendRow) => r.sigma + r.sigmaStderr,
        stroke: colors.vermilion,
        strokeWidth: 1.5,
      }),
      Plot.line(T.rows, { x: 'n', y: 'sigma', stroke: colors.vermilion, strokeWidth: 1.2 }),
      Plot.dot(T.rows, { x: 'n', y: 'sigma', r: 4.5, fill: colors.vermilion, ariaDescription: 'sigma' }),
      Plot.dot(T.rows, {
        x: 'n',
        y: 'sigmaChao1',
        r: 4.5,
        stroke: colors.green,
        strokeWidth: 1.8,
        fill: 'white',
        ariaDescription: 'chao1',
      }),
    ],
  });
  const gapRows = T.rows.flatMap((r) => [
    { n: r.n, gap: r.n * (r.sigma - T.kacRice), kind: 'sigma' },
    { n: r.n, gap: r.n * (r.sigmaChao1 - T.kacRice), kind: 'chao1' },
  ]);
  const gapPanel = renderChart({
    ...chartOptions({ document: doc, width: width - half, height: bottomHeight, fontSize, marginTop: 30 }),
    x: axis('dimension N', { domain: nDomain }),
    y: axis(`finite-N gap N·(${sym.complexity}̂ − ${sym.complexity}ₖᵣ)`, {
      domain: pad(finiteExtent([...gapRows.map((r) => r.gap), 0], [0, 3]), 0.08),
    }),
    marks: [
      Plot.frame({ stroke: '#888888' }),
      Plot.ruleY([0], { stroke: colors.black, strokeWidth: 1.8 }),
      Plot.line(
        gapRows.filter((r) => r.kind === 'sigma'),
        { x: 'n', y: 'gap', stroke: colors.vermilion, strokeWidth: 1.2 },
      ),
      Plot.dot(
        gapRows.filter((r) => r.kind === 'sigma'),
        { x: 'n', y: 'gap', r: 4.5, fill: colors.vermilion, ariaDescription: 'gap' },
      ),
      Plot.dot(
        gapRows.filter((r) => r.kind === 'chao1'),
        {
          x: 'n',
          y: 'gap',
          r: 4.5,
          stroke: colors.green,
          strokeWidth: 1.8,
          fill: 'white',
          ariaDescription: 'gap-chao1',
        },
      ),
    ],
  });
  const classLegend: LegendEntry[] = CENSUS_CLASSES.filter(
    (c) => L.counts[c] > 0 || c === 'signal' || c === 'spurious',
  ).map((c) => ({
    label: `${c} (${L.counts[c]})`,
    symbol: { kind: 'swatch', color: CLASS_COLORS[c] },
  }));
  classLegend.push({
    label: 'GF end state m*, e* (THEORY §3), mirror overlap',
    symbol: { kind: 'line', color: colors.black, dash: dashes.dotted, width: 1.5 },
  });
  const trendLegend: LegendEntry[] = [
    {
      label: `${sym.complexity}̂ = ln(#distinct minima)/N ± s.e.`,
      symbol: { kind: 'dot', color: colors.vermilion, errorBar: true },
    },
    { label: 'Chao1 (unseen minima added)', symbol: { kind: 'dot', color: colors.green, filled: false } },
    {
      label: `annealed Kac–Rice max ${sym.complexityMin}(m) = ${fmt(T.kacRice, 3)} (THEORY §4.2)`,
      symbol: { kind: 'line', color: colors.black, width: 1.8 },
    },
    {
      label: 'ln(descents)/N: the most a census can show',
      symbol: { kind: 'line', color: colors.grey, dash: dashes.dashed, width: 1.5 },
    },
  ];
  const model = (q: { p: number; deltap: number; invDelta2: number }) =>
    `p = ${q.p}, ${sym.deltap} = ${fmt(q.deltap)}, ${sym.invDelta2} = ${fmt(q.invDelta2)}`;
  return composeFigure(doc, {
    width,
    panelHeight: topHeight + gap + bottomHeight,
    panels: [
      ...CENSUS_OBSERVABLES.map((o, k) => ({
        svg: histogramPanel(o),
        x: k * third,
        y: 0,
        ...(k === 0 ? { title: `end points, ${model(L)}, N = ${L.n}`, titleX: MARGINS.left } : {}),
      })),
      {
        svg: trendPanel,
        x: 0,
        y: topHeight + gap,
        title: `distinct minima across N, ${model(T)}`,
        titleX: MARGINS.left,
      },
      { svg: gapPanel, x: half, y: topHeight + gap },
    ],
    legend: [classLegend, trendLegend],
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: `finite-N census, ${model(L)}; trend ${model(T)}`,
  });
}
