/**
 * The model and seed flags every task shares (DEVELOPERS.md; issue 2): the model parameters
 * `--p`, `--delta2`, `--deltap` (each Δ accepts `inf` to switch a channel off), or instead
 * `--channels` (any set of channels, issue 15), and `--seed`. The shell-only flags (`--out`,
 * `--force`, `--json`) are the CLI's (src/cli/options.ts).
 */
import { type Channel, type ModelParams, modelFromChannels, type SpikedParams } from '../model/covariance.ts';
import { type Flag, integerFlag, numberFlag } from './flags.ts';
import { UsageError } from './usageError.ts';

/** Defaults: the paper's running example p = 3, Δp = 1, 1/Δ2 = 3 (THEORY §5, above the GF threshold 2). */
export const DEFAULT_MODEL: SpikedParams = { p: 3, delta2: 1 / 3, deltap: 1 };

export const modelFlags = {
  p: integerFlag('--p', { description: 'tensor order p', ge: 3, le: 12, default: DEFAULT_MODEL.p }),
  delta2: withFraction(
    numberFlag('--delta2', {
      description: 'matrix noise variance Δ2 (inf: pure tensor model; 1/3 may be typed as a fraction)',
      gt: 0,
      allowInf: true,
      default: DEFAULT_MODEL.delta2,
    }),
    '1/3',
    1 / 3,
  ),
  deltap: numberFlag('--deltap', {
    description: 'tensor noise variance Δp (inf: pure matrix model)',
    gt: 0,
    allowInf: true,
    default: DEFAULT_MODEL.deltap,
  }),
} as const;

/**
 * A number flag that also accepts one fraction as typed (`1/3` → 1/3 exactly), so that its
 * default prints as `1/3` in `--help` rather than as 0.3333333333333333.
 */
function withFraction(flag: Flag<number>, text: string, value: number): Flag<number> {
  return {
    ...flag,
    defaultText: text,
    parse: (raw) => (raw.trim() === text ? value : flag.parse(raw)),
  };
}

export const seedFlag = integerFlag('--seed', {
  description: 'random seed (recorded in every output)',
  ge: 0,
  le: Number.MAX_SAFE_INTEGER,
  default: 1,
});

/** Model parameters from parsed flag values, with the cross-flag check (not both channels off). */
export function modelParams(values: { p: number; delta2: number; deltap: number }): SpikedParams {
  if (values.delta2 === Number.POSITIVE_INFINITY && values.deltap === Number.POSITIVE_INFINITY) {
    throw new UsageError('--delta2', 'and --deltap cannot both be inf: no observation channel would be left');
  }
  return { p: values.p, delta2: values.delta2, deltap: values.deltap };
}

/** Orders above this are refused: C(N, k) tensors beyond it are impractical at any useful N. */
export const MAX_CHANNEL_ORDER = 12;

/** `2:0.3333,3:2,4:4` → channels sorted by order; exit 2 naming --channels on anything else. */
export function parseChannels(raw: string, name = '--channels'): Channel[] {
  const channels: Channel[] = [];
  const pairs = raw.split(',').map((t) => t.trim());
  for (const pair of pairs) {
    const m = /^(\d+)\s*:\s*(\S+)$/.exec(pair);
    if (!m)
      throw new UsageError(
        name,
        `must be order:Δ pairs separated by commas (e.g. 2:0.5,3:2,4:4), got '${raw}'`,
      );
    const order = Number(m[1]);
    if (!Number.isSafeInteger(order) || order < 2 || order > MAX_CHANNEL_ORDER)
      throw new UsageError(name, `channel orders must be integers in [2, ${MAX_CHANNEL_ORDER}], got ${m[1]}`);
    if (channels.some((c) => c.order === order))
      throw new UsageError(name, `order ${order} is given twice in '${raw}'`);
    const text = m[2];
    const delta = /^\+?(inf|infinity)$/i.test(text)
      ? Number.POSITIVE_INFINITY
      : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)
        ? Number(text)
        : Number.NaN;
    if (!(delta > 0))
      throw new UsageError(
        name,
        `Δ of the order-${order} channel must be a real number > 0 or inf, got '${text}'`,
      );
    channels.push({ order, delta });
  }
  if (!channels.some((c) => c.delta !== Number.POSITIVE_INFINITY))
    throw new UsageError(name, 'every channel is switched off (Δ = inf): no observation would be left');
  return channels.sort((a, b) => a.order - b.order);
}

export const channelsFlag: Flag<Channel[]> = {
  name: '--channels',
  valueName: '<k:Δ,…>',
  range: `order:Δ pairs (integer orders in [2, ${MAX_CHANNEL_ORDER}], each once; Δ > 0 or inf)`,
  description:
    'any set of channels, e.g. 2:0.5,3:2,4:4 (order 2 is the matrix; replaces --p/--delta2/--deltap)',
  defaultText: undefined,
  required: false,
  parse: (raw) => parseChannels(raw),
};

/** A model as the commands record it: the 2+p parameters, plus the channel set when --channels was given. */
export interface ModelRecord extends SpikedParams {
  /** The channels of --channels, by order (p, Δ2, Δp above are derived from them); absent otherwise. */
  readonly channels?: ReadonlyArray<Channel>;
}

/**
 * The model of a command: from --channels (exclusive with --p/--delta2/--deltap: exit 2 naming
 * the one given) or from --p/--delta2/--deltap. With channels, p/delta2/deltap are the order-2
 * channel and the lowest-order tensor channel that is on (`modelFromChannels`), and `channels`
 * records the whole set.
 */
export function modelRecord(
  values: { p: number; delta2: number; deltap: number; channels?: ReadonlyArray<Channel> },
  given: ReadonlySet<string>,
): ModelRecord {
  if (values.channels === undefined) return modelParams(values);
  for (const key of ['p', 'delta2', 'deltap'] as const)
    if (given.has(key))
      throw new UsageError(
        `--${key}`,
        'cannot be combined with --channels (the channel set gives every order and Δ)',
      );
  const { p, delta2, deltap } = modelFromChannels(values.channels);
  return { p, delta2, deltap, channels: values.channels };
}

/** The {@link ModelParams} (extra tensor channels included) of a recorded model. */
export function recordedModel(m: ModelRecord): ModelParams {
  return m.channels === undefined
    ? { p: m.p, delta2: m.delta2, deltap: m.deltap }
    : modelFromChannels(m.channels);
}

/** `Δ3 = 2, Δ4 = 4`: the tensor channels of a set, for figure titles (∞ for a channel off). */
export function tensorChannelsLabel(channels: ReadonlyArray<Channel>): string {
  return channels
    .filter((c) => c.order > 2)
    .map((c) => `Δ${c.order} = ${c.delta === Number.POSITIVE_INFINITY ? '∞' : c.delta}`)
    .join(', ');
}
