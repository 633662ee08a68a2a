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
 *
 * With `--channels` (issue 15) the diagram sweeps ONE tensor channel's Δ: the channel whose Δ is
 * written `*` (`--channels 3:*,4:4` sweeps Δ3 over the --deltap-min…--deltap-max grid with Δ4 = 4
 * fixed; `deltap` in the files and the document is then that channel's Δ). The order-2 channel
 * is the diagram's 1/Δ2 axis, so it is not given. The lines are those of src/phase/channels.ts;
 * the 2+p-only lines (`mlAmpSpinodal`, `bayesAMP`, `bayesSpinodal`) are empty, and the
 * Bayes-optimal regions (2+p only) are not computed: no `regions.csv`. The parameters record
 * `sweptOrder` and `channels` (the fixed channels).
 */
import { bayesRegions } from '../amp/index.ts';
import type { CsvValue } from '../io/index.ts';
import type { Channel } from '../model/index.ts';
import { LINE_NAMES, type LineName, THRESHOLD_DELTAP_RANGE, thresholdLineSteps } from '../phase/index.ts';
import { choiceFlag, type Flag, integerFlag, numberFlag } from './flags.ts';
import { MAX_CHANNEL_ORDER, modelFlags, parseChannels, tensorChannelsLabel } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { requireDeltaRange, writeCsv } from './shared.ts';
import { cooperative, defineTask, type TaskOutput, type TaskRunOptions, throwIfAborted } from './task.ts';
import { channelLines, checkThresholdChannels } from './thresholds.ts';
import { UsageError } from './usageError.ts';

/** The channels of `phase-diagram --channels`: the fixed ones and the order whose Δ is swept (`*`). */
export interface SweptChannels {
  readonly sweptOrder: number;
  readonly channels: ReadonlyArray<Channel>;
}

/** `3:*,4:4` → Δ3 swept, Δ4 = 4 fixed; exit 2 naming --channels unless exactly one tensor Δ is `*`. */
export function parseSweptChannels(raw: string): SweptChannels {
  const starred = raw.split(',').filter((pair) => /:\s*\*\s*$/.test(pair));
  if (starred.length !== 1)
    throw new UsageError(
      '--channels',
      `phase-diagram sweeps one channel's Δ: write exactly that Δ as * (e.g. 3:*,4:4 sweeps Δ3 over --deltap-min…--deltap-max), got '${raw}'`,
    );
  const sweptOrder = Number(starred[0].split(':')[0].trim());
  const all = parseChannels(raw.replace(/:\s*\*/, ':1'));
  if (all.some((c) => c.order === 2))
    throw new UsageError(
      '--channels',
      'the order-2 (matrix) channel is the 1/Δ2 axis of the diagram; leave it out',
    );
  return { sweptOrder, channels: all.filter((c) => c.order !== sweptOrder) };
}

const sweptChannelsFlag: Flag<SweptChannels> = {
  name: '--channels',
  valueName: '<k:*,k:Δ,…>',
  range: `order:Δ pairs (tensor orders in [3, ${MAX_CHANNEL_ORDER}], each once; Δ > 0 or inf) with exactly one Δ written *`,
  description:
    'tensor channels instead of --p; the one whose Δ is * is swept over the --deltap-min…--deltap-max grid (e.g. 3:*,4:4)',
  defaultText: undefined,
  required: false,
  parse: parseSweptChannels,
};

export const phaseDiagramFlags = {
  p: modelFlags.p,
  deltapMin: numberFlag('--deltap-min', { description: 'smallest Δp of the grid', gt: 0, default: 0.1 }),
  deltapMax: numberFlag('--deltap-max', { description: 'largest Δp of the grid', gt: 0, default: 10 }),
  points: integerFlag('--points', { description: 'number of Δp values', ge: 2, le: 5000, default: 100 }),
  spacing: choiceFlag('--spacing', ['log', 'linear'] as const, {
    description: 'spacing of the Δp grid',
    default: 'log',
  }),
  channels: sweptChannelsFlag,
} as const;

export interface PhaseDiagramParams {
  readonly p: number;
  readonly deltapMin: number;
  readonly deltapMax: number;
  readonly points: number;
  readonly spacing: 'log' | 'linear';
  /** With --channels: the order whose Δ the grid sweeps (p is then that order). */
  readonly sweptOrder?: number;
  /** With --channels: the fixed tensor channels. */
  readonly channels?: ReadonlyArray<Channel>;
}

export interface PhaseDiagramDocument {
  readonly p: number;
  readonly sweptOrder?: number;
  readonly channels?: ReadonlyArray<Channel>;
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
    const { values: o, given } = parseParams('phase-diagram', phaseDiagramFlags, raw);
    if (o.channels !== undefined && given.has('p'))
      throw new UsageError('--p', 'cannot be combined with --channels (the swept channel * gives the order)');
    requireDeltaRange('--deltap-min', o.deltapMin, THRESHOLD_DELTAP_RANGE.min, THRESHOLD_DELTAP_RANGE.max);
    requireDeltaRange('--deltap-max', o.deltapMax, THRESHOLD_DELTAP_RANGE.min, THRESHOLD_DELTAP_RANGE.max);
    if (!(o.deltapMax > o.deltapMin))
      throw new UsageError('--deltap-max', `must be > --deltap-min (${o.deltapMin}), got ${o.deltapMax}`);
    const grid = { deltapMin: o.deltapMin, deltapMax: o.deltapMax, points: o.points, spacing: o.spacing };
    if (o.channels === undefined) return { p: o.p, ...grid };
    const { sweptOrder, channels } = o.channels;
    // Both ends of the grid in range (the fixed Δs too), before any work.
    for (const delta of [o.deltapMin, o.deltapMax])
      checkThresholdChannels([...channels, { order: sweptOrder, delta }]);
    return { p: sweptOrder, ...grid, sweptOrder, channels };
  },
  execute: executePhaseDiagram,
});

/** What a phase-diagram run produced, with its provenance beside the files (the explorer exports it). */
export interface PhaseDiagramOutput extends TaskOutput<PhaseDiagramDocument> {
  /** `params.json`: version, command, every parameter, seed null. */
  readonly provenance: ReturnType<typeof paramsDocument>;
}

/** The phase-diagram task's `execute` (the explorer's worker calls it directly for the provenance). */
export async function executePhaseDiagram(
  params: PhaseDiagramParams,
  options: TaskRunOptions = {},
): Promise<PhaseDiagramOutput> {
  const { signal, onProgress } = options;
  const deltaps = deltapGrid(params);
  const slice = cooperative(signal);
  const { channels, sweptOrder } = params;
  const steps =
    channels === undefined || sweptOrder === undefined
      ? thresholdLineSteps(params.p, deltaps)
      : channelLineSteps(channels, sweptOrder, deltaps);
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
  for (const deltap of channels === undefined ? deltaps : []) {
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
  const provenance = paramsDocument('phase-diagram', { ...params }, { seed: null });
  return {
    provenance,
    document: {
      p: params.p,
      ...(channels === undefined ? {} : { sweptOrder, channels }),
      deltap: deltaps,
      lines,
    },
    // The plot adapters load Observable Plot: only when a figure is asked for (start-up time).
    figure: async () => {
      const { phaseLinesFromTable, regionRowsFromIntervals } = await import('../plot/phaseDiagramData.ts');
      return {
        name: 'phase-diagram',
        spec: {
          kind: 'phaseDiagram',
          data: [
            {
              p: params.p,
              ...(channels === undefined
                ? {}
                : {
                    title: `x axis: Δ${sweptOrder}${channels.length > 0 ? `; ${tensorChannelsLabel(channels)}` : ''}`,
                  }),
              lines: phaseLinesFromTable(deltaps, lines),
              regions: regionRowsFromIntervals(columns),
              measured: [],
            },
          ],
        },
      };
    },
    write(files) {
      files.json('params.json', provenance);
      const lineRows: CsvValue[][] = [];
      for (const [i, deltap] of deltaps.entries()) {
        for (const name of LINE_NAMES) lineRows.push([deltap, name, lines[name][i]]);
      }
      writeCsv(files, 'lines.csv', ['deltap', 'line', 'inv_delta2'], lineRows);
      if (channels !== undefined) return;
      writeCsv(
        files,
        'regions.csv',
        ['deltap', 'region', 'segment', 'inv_delta2_from', 'inv_delta2_to'],
        regions,
      );
    },
  };
}

/** The channel lines on the grid of the swept Δ, yielding the number of points done (as thresholdLineSteps). */
function* channelLineSteps(
  channels: ReadonlyArray<Channel>,
  sweptOrder: number,
  deltas: readonly number[],
): Generator<number, Record<LineName, Array<number | null>>> {
  const lines = Object.fromEntries(LINE_NAMES.map((name) => [name, [] as Array<number | null>])) as Record<
    LineName,
    Array<number | null>
  >;
  for (const [i, delta] of deltas.entries()) {
    const point = channelLines([...channels, { order: sweptOrder, delta }]);
    for (const name of LINE_NAMES) lines[name].push(point[name]);
    yield i + 1;
  }
  return lines;
}
