/**
 * Flags and helpers several tasks share: the escape level, and CSV/NPY bytes for `TaskFiles`.
 */

import { solveDynamicsAsync } from '../dmft/index.ts';
import { type CsvValue, columnsToCsv, toCsv } from '../io/csv.ts';
import { encodeNpy, type NpyArray } from '../io/npy.ts';
import { modelCovariance } from '../model/index.ts';
import { numberFlag } from './flags.ts';
import { type ModelRecord, recordedModel } from './options.ts';
import type { TaskFiles } from './task.ts';
import { UsageError } from './usageError.ts';

/**
 * The large-N dynamics (THEORY §3) from |m0| to tmax on the adaptive grid with its default
 * settings, for the N = ∞ curves drawn next to a finite-N run (`--plot`); null when m0 = 0 (m ≡ 0
 * is invariant at N = ∞) or when the solver fails.
 */
export async function largeNCurve(model: ModelRecord, temperature: number, m0: number, tmax: number) {
  const start = Math.min(Math.abs(m0), 0.999);
  if (!(start > 0)) return null;
  const run = await solveDynamicsAsync({
    covariance: recordCovariance(model),
    temperature,
    m0: start,
    tmax,
    grid: { kind: 'adaptive' },
  });
  return run.stats.status === 'ok' ? run : null;
}

/** The covariance f (THEORY §1.1) of a recorded model, every channel included. */
export function recordCovariance(model: ModelRecord) {
  return modelCovariance(recordedModel(model));
}

/**
 * The overlap whose first crossing defines the escape time (`escapeTime` in dmft's JSON, the
 * escape-time stage of `reproduce`). One default everywhere: 1e-3, the level of `reproduce`'s
 * threshold measurement. A small level keeps the crossing in the linear regime m ≪ 1, where
 * the escape time depends on m0 and the level only through ln(level/m0) (src/reproduce/escape.ts),
 * so escape times from different m0 compare, and the solver need not resolve the jump of m.
 */
export const DEFAULT_ESCAPE_LEVEL = 1e-3;

export const levelFlag = numberFlag('--level', {
  description: 'escape level: the escape time is the first time m(t) reaches it (above --m0)',
  gt: 0,
  lt: 1,
  default: DEFAULT_ESCAPE_LEVEL,
});

/** At most this many steps of an explicit integrator, estimated as tmax × the fastest rate. */
const MAX_STIFF_STEPS = 1e8;

/**
 * Refuse a run whose fastest rate × tmax exceeds the step budget, naming the Δ responsible: the
 * rate of the fastest direction is f''(1) = 1/Δ2 + (p−1)/Δp (+ Σ (k−1)/Δk over further channels,
 * THEORY §4.1), and Δ → 0 freezes an explicit integrator at t ≈ 0 (gf) or breaks the large-N
 * solver's first steps (dmft).
 */
export function checkStiffness(source: ModelRecord, tmax: number, what: string): void {
  const matrix = source.delta2 === Number.POSITIVE_INFINITY ? 0 : 1 / source.delta2;
  const tensor = source.deltap === Number.POSITIVE_INFINITY ? 0 : (source.p - 1) / source.deltap;
  let extra = 0;
  for (const c of recordedModel(source).extraTensors ?? []) extra += (c.order - 1) / c.delta;
  const steps = tmax * (matrix + tensor + extra);
  if (!(steps <= MAX_STIFF_STEPS)) {
    if (source.channels !== undefined)
      throw new UsageError(
        '--channels',
        `makes the ${what} too stiff to integrate: about tmax·f''(1) = tmax·Σ (k−1)/Δk = ${steps.toPrecision(3)} steps, at most ${MAX_STIFF_STEPS}; use larger Δs or a smaller --tmax`,
      );
    const flag = matrix >= tensor ? '--delta2' : '--deltap';
    const value = matrix >= tensor ? source.delta2 : source.deltap;
    throw new UsageError(
      flag,
      `${value} makes the ${what} too stiff to integrate: about tmax·(1/Δ2 + (p−1)/Δp) = ${steps.toPrecision(3)} steps, at most ${MAX_STIFF_STEPS}; use a larger Δ or a smaller --tmax`,
    );
  }
}

/** Write a CSV from rows. */
export function writeCsv(
  files: TaskFiles,
  name: string,
  columns: readonly string[],
  rows: Iterable<readonly CsvValue[]>,
): void {
  files.text(name, toCsv(columns, rows));
}

/** Write a CSV from named columns. */
export function writeCsvColumns(
  files: TaskFiles,
  name: string,
  columns: Readonly<Record<string, ArrayLike<CsvValue>>>,
): void {
  files.text(name, columnsToCsv(columns));
}

/** Write one `.npy` array. */
export function writeNpy(files: TaskFiles, name: string, array: NpyArray): void {
  files.bytes(name, encodeNpy(array));
}

/**
 * {@link requireDeltaRange} for a model: its --delta2/--deltap, or every Δ of --channels (exit 2
 * naming --channels and the channel).
 */
export function requireModelDeltaRange(
  model: ModelRecord,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (model.channels === undefined) {
    requireDeltaRange('--delta2', model.delta2, min, max);
    requireDeltaRange('--deltap', model.deltap, min, max);
    return;
  }
  for (const c of model.channels) {
    if (c.delta === Number.POSITIVE_INFINITY || (c.delta >= min && c.delta <= max)) continue;
    throw new UsageError(
      '--channels',
      `Δ of the order-${c.order} channel must be in [${min}, ${max === Number.POSITIVE_INFINITY ? '∞' : max}] or inf here (outside, the formulas lose double precision), got ${c.delta}`,
    );
  }
}

/**
 * Refuse a Δ below the smallest value the library computes accurately (exit 2 naming the flag).
 * The bounds are the numerics' own (amp: STATE_EVOLUTION_DELTA_MIN; landscape:
 * LANDSCAPE_DELTA_MIN; threshold lines: THRESHOLD_DELTAP_RANGE).
 */
export function requireDeltaRange(
  flag: string,
  value: number,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (value === Number.POSITIVE_INFINITY) return;
  if (!(value >= min && value <= max))
    throw new UsageError(
      flag,
      `must be in [${min}, ${max === Number.POSITIVE_INFINITY ? '∞' : max}] or inf here (outside, the formulas lose double precision), got ${value}`,
    );
}
