/**
 * The `thresholds` task: every threshold line of the phase diagram at one Δp (THEORY §5), each
 * as a value of 1/Δ2. No files. The document: `{"p", "deltap", "invDelta2": {"gf", "mlAmp",
 * "mlAmpSpinodal", "trivAllM", "trivNonNegativeM", "bayesIT", "bayesAMP", "bayesSpinodal",
 * "langevinConjecture"}}`, null where a line does not exist at that Δp. `trivAllM` counts
 * spurious minima at every overlap m, `trivNonNegativeM` only at m ≥ 0 (THEORY §4.2);
 * `langevinConjecture` is the candidate closed form of THEORY §6.3, a conjecture.
 *
 * With `--channels` (any set of tensor channels, issue 15) the lines are those of
 * src/phase/channels.ts, as 1/Δ2 of the matrix channel: a given order-2 channel is replaced by
 * the axis variable (its own 1/Δ2 is reported as `givenInvDelta2`), and without one the lines
 * are those of an added matrix channel. The lines whose theory is written for 2+p only
 * (`mlAmpSpinodal`, `bayesAMP`, `bayesSpinodal`) are null and listed in `twoPlusPOnly`. The
 * document then also has `"channels"`; p and deltap are its lowest tensor order and its Δ.
 */

import { bayesRegions } from '../amp/index.ts';
import type { Channel } from '../model/index.ts';
import {
  channelThresholds,
  type LineName,
  THRESHOLD_DELTAP_RANGE,
  type Thresholds,
  tensorChannels,
  thresholds,
} from '../phase/index.ts';
import { channelsFlag, type ModelRecord, modelFlags, modelRecord } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { requireDeltaRange } from './shared.ts';
import { defineTask, type TaskOutput, type TaskRunOptions, throwIfAborted } from './task.ts';
import { UsageError } from './usageError.ts';

export const thresholdsFlags = {
  p: modelFlags.p,
  deltap: modelFlags.deltap,
  channels: channelsFlag,
} as const;

export interface ThresholdsParams {
  readonly p: number;
  readonly deltap: number;
  /** The channel set of --channels (p and deltap are then its lowest tensor order and Δ). */
  readonly channels?: ReadonlyArray<Channel>;
}

/** The lines whose theory saddlesurf has for 2+p only (src/phase/channels.ts). */
export const TWO_PLUS_P_ONLY: readonly LineName[] = ['mlAmpSpinodal', 'bayesAMP', 'bayesSpinodal'];

export interface ThresholdsDocument {
  readonly p: number;
  readonly deltap: number;
  readonly channels?: ReadonlyArray<Channel>;
  readonly invDelta2: Record<LineName, number | null>;
  /** With --channels: 1/Δ2 of the given order-2 channel (null when there is none). */
  readonly givenInvDelta2?: number | null;
  /** With --channels: the lines that are null because their theory is 2+p only. */
  readonly twoPlusPOnly?: readonly LineName[];
}

/** Every line of a channel set, as 1/Δ2 of the matrix channel (the 2+p-only lines null). */
export function channelLines(channels: ReadonlyArray<Channel>): Thresholds {
  const c = channelThresholds(channels);
  return {
    gf: c.gf,
    mlAmp: c.mlAmp,
    mlAmpSpinodal: null,
    trivAllM: c.trivAllM,
    trivNonNegativeM: c.trivNonNegativeM,
    bayesIT: c.bayesIT,
    bayesAMP: null,
    bayesSpinodal: null,
    langevinConjecture: c.langevinConjecture,
  };
}

/** Refuse (exit 2 naming --channels) a tensor Δ outside the range the threshold lines are computed in. */
export function checkThresholdChannels(channels: ReadonlyArray<Channel>): void {
  try {
    tensorChannels(channels);
  } catch (error) {
    throw new UsageError('--channels', (error as Error).message);
  }
}

export const thresholdsTask = defineTask<ThresholdsParams, ThresholdsDocument>({
  name: 'thresholds',
  description: 'every threshold line of the phase diagram at one Δp, as 1/Δ2 (THEORY §5)',
  flags: thresholdsFlags,
  validate(raw) {
    const { values, given } = parseParams('thresholds', thresholdsFlags, raw);
    if (values.channels !== undefined) {
      const model: ModelRecord = modelRecord({ ...values, delta2: 1 }, given);
      checkThresholdChannels(values.channels);
      return { p: model.p, deltap: model.deltap, channels: values.channels };
    }
    requireDeltaRange('--deltap', values.deltap, THRESHOLD_DELTAP_RANGE.min, THRESHOLD_DELTAP_RANGE.max);
    return { p: values.p, deltap: values.deltap };
  },
  execute: executeThresholds,
});

/** What a thresholds run produced, with what the explorer shows beside the document. */
export interface ThresholdsOutput extends TaskOutput<ThresholdsDocument> {
  /** What `params.json` would hold (the command writes no files): version, command, parameters, seed null. */
  readonly provenance: ReturnType<typeof paramsDocument>;
  /**
   * The Bayes-optimal regions along 1/Δ2 at this Δp (THEORY §6.2, `bayesRegions`: consecutive
   * intervals covering [0, ∞)), whose edges are `bayesIT`, `bayesAMP`; null with --channels (2+p only).
   */
  readonly bayesRegions: ReturnType<typeof bayesRegions> | null;
}

/** The thresholds task's `execute` (the explorer's worker calls it directly for the Bayes regions). */
export async function executeThresholds(
  params: ThresholdsParams,
  options: TaskRunOptions = {},
): Promise<ThresholdsOutput> {
  throwIfAborted(options.signal);
  const { channels } = params;
  const provenance = paramsDocument('thresholds', { ...params }, { seed: null });
  if (channels === undefined) {
    const document = { p: params.p, deltap: params.deltap, invDelta2: thresholds(params.p, params.deltap) };
    return { document, provenance, bayesRegions: bayesRegions(params.p, params.deltap), write: () => {} };
  }
  const matrix = channels.find((c) => c.order === 2);
  const document: ThresholdsDocument = {
    p: params.p,
    deltap: params.deltap,
    channels,
    invDelta2: channelLines(channels),
    givenInvDelta2: matrix === undefined ? null : 1 / matrix.delta,
    twoPlusPOnly: TWO_PLUS_P_ONLY,
  };
  return { document, provenance, bayesRegions: null, write: () => {} };
}
