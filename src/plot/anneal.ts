/**
 * The annealing figure (issue 15): Langevin at T = 1 at N = ∞, plain (solid) and under the
 * annealing protocol Δp_eff(t) = Δp + C e^{−t/τ} (dashed), one colour per 1/Δ2 near the conjectured
 * Langevin line (THEORY §6.3). Panels on a shared log time axis: m(t) with the escape level and the
 * escape times marked; e(t) and μ(t) of the loss being descended with the Nishimori values
 * e∞ = −f(1), μ∞ = 1 + f'(1) of THEORY §3 dotted; the protocol Δp_eff(t) itself.
 */
import * as Plot from '@observablehq/plot';
import { finiteExtent, logExtent, MARGINS, pad, stackTimePanels, type TimePanel } from './chart.ts';
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

/** One run: plain or annealed Langevin at one 1/Δ2. */
export interface AnnealRun {
  readonly key: number;
  readonly invDelta2: number;
  /** 1/Δ2 ÷ the conjectured Langevin line. */
  readonly ratio: number;
  readonly annealed: boolean;
  /** First t with m ≥ level (null: not reached). */
  readonly escapeTime: number | null;
}

/** One time point of a run. */
export interface AnnealRow {
  readonly key: number;
  readonly t: number;
  readonly m: number;
  readonly e: number;
  readonly mu: number;
}

/** Data of {@link annealFigure}. */
export interface AnnealData {
  readonly p: number;
  readonly deltap: number;
  readonly c: number;
  readonly tau: number;
  readonly level: number;
  readonly runs: readonly AnnealRun[];
  readonly rows: readonly AnnealRow[];
  /** Nishimori values per 1/Δ2 (THEORY §3). */
  readonly nishimori: readonly { readonly invDelta2: number; readonly mu: number; readonly e: number }[];
}

/**
 * Annealed against plain Langevin near the Langevin line.
 * @example
 * const svg = annealFigure(stageResult.figure.data, { document });
 */
export function annealFigure(data: AnnealData, options: BaseFigureOptions = {}): SVGSVGElement {
  const doc = resolveDocument(options.document);
  const fontSize = options.fontSize ?? FONT_SIZE;
  const width = options.width ?? 640;
  const rows = data.rows.filter((r) => r.t > 0);
  const invs = [...new Set(data.runs.map((r) => r.invDelta2))].sort((a, b) => a - b);
  const color = new Map(invs.map((a, i) => [a, seriesColor(i)]));
  const tDomain = logExtent(
    rows.map((r) => r.t),
    1,
  );
  const curves = (key: 'm' | 'e' | 'mu') =>
    data.runs.map((run) =>
      Plot.line(
        rows.filter((r) => r.key === run.key),
        {
          x: 't',
          y: key,
          stroke: color.get(run.invDelta2)!,
          strokeWidth: 2.2,
          strokeDasharray: run.annealed ? dashes.dashed : dashes.solid,
          ariaDescription: `series:${key}:${run.key}`,
        },
      ),
    );
  const nishimoriRules = (key: 'e' | 'mu') =>
    data.nishimori.map((n) =>
      Plot.ruleY([n[key]], {
        stroke: color.get(n.invDelta2) ?? colors.grey,
        strokeDasharray: dashes.dotted,
        strokeWidth: 1.5,
        ariaDescription: `nishimori:${key}:${n.invDelta2}`,
      }),
    );
  const escapes = data.runs.flatMap((r) =>
    r.escapeTime === null || r.escapeTime <= 0
      ? []
      : [{ t: r.escapeTime, m: data.level, color: color.get(r.invDelta2)!, annealed: r.annealed }],
  );
  const protocol = [...new Set(rows.map((r) => r.t))]
    .sort((a, b) => a - b)
    .map((t) => ({ t, deltapEff: data.deltap + data.c * Math.exp(-t / data.tau) }));
  const values = (key: 'm' | 'e' | 'mu') => rows.map((r) => r[key]);
  const panels: TimePanel[] = [
    {
      label: `overlap ${sym.overlap}`,
      domain: pad(finiteExtent([...values('m'), data.level, 0], [0, 1]), 0.06),
      marks: [
        Plot.frame({ stroke: '#888888' }),
        Plot.ruleY([data.level], { stroke: colors.grey, strokeDasharray: dashes.dotted, strokeWidth: 1.5 }),
        ...curves('m'),
        Plot.dot(escapes, {
          x: 't',
          y: 'm',
          r: 4.5,
          stroke: (d: { color: string }) => d.color,
          fill: (d: { color: string; annealed: boolean }) => (d.annealed ? 'white' : d.color),
          strokeWidth: 1.8,
          ariaDescription: 'escape',
        }),
      ],
    },
    {
      label: `energy ${sym.energy}`,
      domain: pad(finiteExtent([...values('e'), ...data.nishimori.map((n) => n.e)], [-1, 0]), 0.06),
      marks: [Plot.frame({ stroke: '#888888' }), ...nishimoriRules('e'), ...curves('e')],
    },
    {
      label: `multiplier ${sym.multiplier}`,
      domain: pad(finiteExtent([...values('mu'), ...data.nishimori.map((n) => n.mu)], [0, 1]), 0.06),
      marks: [Plot.frame({ stroke: '#888888' }), ...nishimoriRules('mu'), ...curves('mu')],
    },
    {
      label: `effective ${sym.deltap}(t)`,
      domain: pad([data.deltap, data.deltap + data.c], 0.08),
      marks: [
        Plot.frame({ stroke: '#888888' }),
        Plot.ruleY([data.deltap], { stroke: colors.grey, strokeDasharray: dashes.dotted, strokeWidth: 1.5 }),
        Plot.line(protocol, {
          x: 't',
          y: 'deltapEff',
          stroke: colors.black,
          strokeWidth: 2,
          strokeDasharray: dashes.dashed,
          ariaDescription: 'protocol',
        }),
      ],
    },
  ];
  const { placements, height } = stackTimePanels(
    {
      document: doc,
      width,
      fontSize,
      panelHeight: 170,
      tDomain,
      title: `Langevin T = 1, N = ∞, p = ${data.p}, ${sym.deltap} = ${fmt(data.deltap)}`,
    },
    panels,
  );
  const colourKey: LegendEntry[] = invs.map((a) => ({
    label: `${sym.invDelta2} = ${fmt(a)} (${fmt(data.runs.find((r) => r.invDelta2 === a)!.ratio, 3)} × Langevin line)`,
    symbol: { kind: 'line', color: color.get(a)!, width: 3 },
  }));
  const styleKey: LegendEntry[] = [
    { label: 'plain Langevin', symbol: { kind: 'line', color: colors.black, width: 2.2 } },
    {
      label: `annealed: ${sym.deltap} + C e^(−t/τ), C = ${fmt(data.c)}, τ = ${fmt(data.tau)}`,
      symbol: { kind: 'line', color: colors.black, dash: dashes.dashed, width: 2.2 },
    },
    {
      label: `escape: first t with m = ${fmt(data.level)} (filled plain, open annealed)`,
      symbol: { kind: 'dot', color: colors.black, filled: true },
    },
    {
      label: 'Nishimori e∞ = −f(1), μ∞ = 1 + f′(1) (THEORY §3); escape level',
      symbol: { kind: 'line', color: colors.grey, dash: dashes.dotted, width: 1.5 },
    },
  ];
  return composeFigure(doc, {
    width,
    panelHeight: height,
    panels: placements,
    legend: [colourKey, styleKey],
    legendX: MARGINS.left,
    fontSize,
    ariaLabel: `annealed and plain Langevin dynamics, p = ${data.p}, Δp = ${fmt(data.deltap)}`,
  });
}
