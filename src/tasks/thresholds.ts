/**
 * The `thresholds` task: every threshold line of the phase diagram at one Δp (THEORY §5), each
 * as a value of 1/Δ2. No files. The document: `{"p", "deltap", "invDelta2": {"gf", "mlAmp",
 * "mlAmpSpinodal", "trivAllM", "trivNonNegativeM", "bayesIT", "bayesAMP", "bayesSpinodal",
 * "langevinConjecture"}}`, null where a line does not exist at that Δp. `trivAllM` counts
 * spurious minima at every overlap m, `trivNonNegativeM` only at m ≥ 0 (THEORY §4.2);
 * `langevinConjecture` is the candidate closed form of THEORY §6.3, a conjecture.
 */
import { modelFlags } from '../cli/options.ts';
import { type LineName, THRESHOLD_DELTAP_RANGE, thresholds } from '../phase/index.ts';
import { parseParams } from './params.ts';
import { requireDeltaRange } from './shared.ts';
import { defineTask, throwIfAborted } from './task.ts';

export const thresholdsFlags = { p: modelFlags.p, deltap: modelFlags.deltap } as const;

export interface ThresholdsParams {
  readonly p: number;
  readonly deltap: number;
}

export interface ThresholdsDocument {
  readonly p: number;
  readonly deltap: number;
  readonly invDelta2: Record<LineName, number | null>;
}

export const thresholdsTask = defineTask<ThresholdsParams, ThresholdsDocument>({
  name: 'thresholds',
  description: 'every threshold line of the phase diagram at one Δp, as 1/Δ2 (THEORY §5)',
  flags: thresholdsFlags,
  validate(raw) {
    const { values } = parseParams('thresholds', thresholdsFlags, raw);
    requireDeltaRange('--deltap', values.deltap, THRESHOLD_DELTAP_RANGE.min, THRESHOLD_DELTAP_RANGE.max);
    return { p: values.p, deltap: values.deltap };
  },
  async execute(params, options = {}) {
    throwIfAborted(options.signal);
    const document = { p: params.p, deltap: params.deltap, invDelta2: thresholds(params.p, params.deltap) };
    return { document, write: () => {} };
  },
});
