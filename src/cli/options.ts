/**
 * The flags every command shares (DEVELOPERS.md; issue 2): the model parameters
 * `--p`, `--delta2`, `--deltap` (each Δ accepts `inf` to switch a channel off),
 * `--seed`, `--out DIR`, `--force`, `--json`.
 */
import type { SpikedParams } from '../model/covariance.ts';
import { UsageError } from './errors.ts';
import { type Flag, integerFlag, numberFlag, stringFlag, switchFlag } from './flags.ts';

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

export const outFlag = (required = true, description = 'output directory'): Flag<string> =>
  stringFlag('--out', { description, valueName: '<dir>', required });

export const forceFlag = switchFlag('--force', 'replace an existing non-empty --out directory');

export const jsonFlag = switchFlag(
  '--json',
  'print one JSON document with the results to stdout (logs go to stderr)',
);

/** Model parameters from parsed flag values, with the cross-flag check (not both channels off). */
export function modelParams(values: { p: number; delta2: number; deltap: number }): SpikedParams {
  if (values.delta2 === Number.POSITIVE_INFINITY && values.deltap === Number.POSITIVE_INFINITY) {
    throw new UsageError('--delta2', 'and --deltap cannot both be inf: no observation channel would be left');
  }
  return { p: values.p, delta2: values.delta2, deltap: values.deltap };
}
