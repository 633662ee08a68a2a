/**
 * The `phase-diagram` task: every threshold line of THEORY §5 on a grid of Δp, and the
 * Bayes-optimal regions (THEORY §6.2).
 *
 * Files:
 * - `params.json`: every parameter and the package version (no randomness: seed null).
 * - `lines.csv`, columns `deltap,line,inv_delta2` (tidy: one row per Δp and line; `inv_delta2`
 *   empty where the line does not exist at that Δp). Line names as in `thresholds`: `trivAllM`
 *   counts spurious minima at every m, `trivNonNegativeM` only at m ≥ 0 (THEORY §4.2);
 *   `langevinConjecture` is a CONJECTURE (THEORY §6.3).
 * - `regions.csv`, columns `deltap,region,segment,inv_delta2_from,inv_delta2_to`: at each Δp the
 *   1/Δ2 axis cut into Bayes-optimal regions `impossible`/`hard`/`easy` (THEORY §6.2); `segment`
 *   numbers the pieces of one region at that Δp (0, 1, …); `inv_delta2_to` is `inf` for the last.
 *
 * The document: `{"p", "deltap": [...], "lines": {name: [...]}}`.
 */
import { bayesRegions } from '../amp/index.ts';
import { UsageError } from '../cli/errors.ts';
import { choiceFlag, integerFlag, numberFlag } from '../cli/flags.ts';
import { modelFlags } from '../cli/options.ts';
import { paramsDocument } from '../cli/output.ts';
import type { CsvValue } from '../io/index.ts';
import { LINE_NAMES, type LineName, THRESHOLD_DELTAP_RANGE, thresholdLineSteps } from '../phase/index.ts';
import { parseParams } from './params.ts';
import { requireDeltaRange, writeCsv } from './shared.ts';
import { cooperative, defineTask, throwIfAborted } from './task.ts';

export const phaseDiagramFlags = {
  p: modelFlags.p,
  deltapMin: numberFlag('--deltap-min', { description: 'smallest Δp of the grid', gt: 0, default: 0.1 }),
  deltapMax: numberFlag('--deltap-max', { description: 'largest Δp of the grid', gt: 0, default: 10 }),
  points: integerFlag('--points', { description: 'number of Δp values', ge: 2, le: 5000, default: 100 }),
  spacing: choiceFlag('--spacing', ['log', 'linear'] as const, {
    description: 'spacing of the Δp grid',
    default: 'log',
  }),
} as const;

export interface PhaseDiagramParams {
  readonly p: number;
  readonly deltapMin: number;
  readonly deltapMax: number;
  readonly points: number;
  readonly spacing: 'log' | 'linear';
}

export interface PhaseDiagramDocument {
  readonly p: number;
  readonly deltap: number[];
  readonly lines: Record<LineName, Array<number | null>>;
}

/** The Δp grid: geometric or uniform from min to max, the last point exactly max. */
export function deltapGrid(o: PhaseDiagramParams): number[] {
  return Array.from({ length: o.points }, (_, i) => {
    const t = i / (o.points - 1);
    if (i === o.points - 1) return o.deltapMax;
    return o.spacing === 'log'
      ? o.deltapMin * (o.deltapMax / o.deltapMin) ** t
      : o.deltapMin + (o.deltapMax - o.deltapMin) * t;
  });
}

export const phaseDiagramTask = defineTask<PhaseDiagramParams, PhaseDiagramDocument>({
  name: 'phase-diagram',
  description: 'all threshold lines on a grid of Δp and the Bayes-optimal regions (THEORY §5, §6)',
  flags: phaseDiagramFlags,
  validate(raw) {
    const { values: o } = parseParams('phase-diagram', phaseDiagramFlags, raw);
    requireDeltaRange('--deltap-min', o.deltapMin, THRESHOLD_DELTAP_RANGE.min, THRESHOLD_DELTAP_RANGE.max);
    requireDeltaRange('--deltap-max', o.deltapMax, THRESHOLD_DELTAP_RANGE.min, THRESHOLD_DELTAP_RANGE.max);
    if (!(o.deltapMax > o.deltapMin))
      throw new UsageError('--deltap-max', `must be > --deltap-min (${o.deltapMin}), got ${o.deltapMax}`);
    return { p: o.p, deltapMin: o.deltapMin, deltapMax: o.deltapMax, points: o.points, spacing: o.spacing };
  },
  async execute(params, options = {}) {
    const { signal, onProgress } = options;
    const deltaps = deltapGrid(params);
    const slice = cooperative(signal);
    const steps = thresholdLineSteps(params.p, deltaps);
    let lines: PhaseDiagramDocument['lines'];
    for (;;) {
      const r = steps.next();
      if (r.done) {
        lines = r.value;
        break;
      }
      onProgress?.((0.9 * r.value) / deltaps.length);
      await slice.tick();
    }
    const regions: CsvValue[][] = [];
    const columns: { deltap: number; intervals: ReturnType<typeof bayesRegions> }[] = [];
    for (const deltap of deltaps) {
      const count: Record<string, number> = {};
      const intervals = bayesRegions(params.p, deltap);
      columns.push({ deltap, intervals });
      for (const r of intervals) {
        const segment = count[r.region] ?? 0;
        count[r.region] = segment + 1;
        const to = r.to === Number.POSITIVE_INFINITY ? 'inf' : r.to;
        regions.push([deltap, r.region, segment, r.from, to]);
      }
      await slice.tick();
    }
    throwIfAborted(signal);
    return {
      document: { p: params.p, deltap: deltaps, lines },
      // The plot adapters load Observable Plot: only when a figure is asked for (start-up time).
      figure: async () => {
        const { phaseLinesFromTable, regionRowsFromIntervals } = await import('../plot/phaseDiagram.ts');
        return {
          name: 'phase-diagram',
          spec: {
            kind: 'phaseDiagram',
            data: [
              {
                p: params.p,
                lines: phaseLinesFromTable(deltaps, lines),
                regions: regionRowsFromIntervals(columns),
                measured: [],
              },
            ],
          },
        };
      },
      write(files) {
        files.json('params.json', paramsDocument('phase-diagram', { ...params }, { seed: null }));
        const lineRows: CsvValue[][] = [];
        for (const [i, deltap] of deltaps.entries()) {
          for (const name of LINE_NAMES) lineRows.push([deltap, name, lines[name][i]]);
        }
        writeCsv(files, 'lines.csv', ['deltap', 'line', 'inv_delta2'], lineRows);
        writeCsv(
          files,
          'regions.csv',
          ['deltap', 'region', 'segment', 'inv_delta2_from', 'inv_delta2_to'],
          regions,
        );
      },
    };
  },
});
