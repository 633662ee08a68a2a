/**
 * All threshold lines together (THEORY §5), at one Δp or on a grid of Δp: the landscape
 * lines of `lines.ts` plus the message-passing lines computed in `amp/` (ML-AMP spinodal,
 * Bayes-optimal IT / AMP / spinodal, THEORY §6.1–6.2), which are imported, not re-derived.
 */

import { bayesThresholds, mlAmpSpinodal } from '../amp/index.ts';
import {
  gfThreshold,
  langevinConjecture,
  mlAmpThreshold,
  trivialisationThreshold,
  validateLineParams,
} from './lines.ts';

/** Names of the threshold lines, in the order they are reported. */
export const LINE_NAMES = [
  'gf',
  'mlAmp',
  'mlAmpSpinodal',
  'trivAllM',
  'trivNonNegativeM',
  'bayesIT',
  'bayesAMP',
  'bayesSpinodal',
  'langevinConjecture',
] as const;

/** One of {@link LINE_NAMES}. */
export type LineName = (typeof LINE_NAMES)[number];

/** Every threshold at one Δp, as 1/Δ2; null where the line does not exist at that Δp. */
export type Thresholds = Record<LineName, number | null>;

/**
 * Every threshold line at one (p, Δp), as 1/Δ2 (null where a line does not exist there).
 * `trivAllM`/`trivNonNegativeM` follow THEORY §4.2's two overlap conventions;
 * `langevinConjecture` is a conjecture (THEORY §6.3).
 * @example
 * thresholds(3, 1).gf; // 2
 */
export function thresholds(p: number, deltap: number): Thresholds {
  validateLineParams(p, deltap);
  const bayes = bayesThresholds(p, deltap);
  return {
    gf: gfThreshold(p, deltap),
    mlAmp: mlAmpThreshold(deltap),
    mlAmpSpinodal: mlAmpSpinodal(p, deltap),
    trivAllM: trivialisationThreshold(p, deltap, { convention: 'all' }),
    trivNonNegativeM: trivialisationThreshold(p, deltap, { convention: 'nonNegative' }),
    bayesIT: bayes.it,
    bayesAMP: bayes.amp,
    bayesSpinodal: bayes.spinodal,
    langevinConjecture: langevinConjecture(p, deltap),
  };
}

/**
 * Every threshold line on a grid of Δp values (any order), as 1/Δ2. The trivialisation
 * lines are continued from one grid point to the next (the previous value seeds the
 * bracket), which makes a 200-point line a matter of seconds.
 * @example
 * thresholdLines(4, [0.5, 1, 2]).gf; // [1/Δ2^GF at Δp = 0.5, 1, 2]
 */
export function thresholdLines(
  p: number,
  deltaps: ArrayLike<number>,
): Record<LineName, Array<number | null>> {
  const steps = thresholdLineSteps(p, deltaps);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link thresholdLines} as a generator that yields the number of grid points done after each
 * one (so a caller can report progress and return to the event loop). Same values.
 */
export function* thresholdLineSteps(
  p: number,
  deltaps: ArrayLike<number>,
): Generator<number, Record<LineName, Array<number | null>>> {
  const out = Object.fromEntries(LINE_NAMES.map((n) => [n, [] as Array<number | null>])) as Record<
    LineName,
    Array<number | null>
  >;
  let guessNonPositive: number | undefined;
  let guessNonNegative: number | undefined;
  for (let i = 0; i < deltaps.length; i++) {
    const deltap = deltaps[i];
    validateLineParams(p, deltap);
    const bayes = bayesThresholds(p, deltap);
    const trivNonNegative = trivialisationThreshold(p, deltap, {
      convention: 'nonNegative',
      guess: guessNonNegative,
    });
    // 'all' is the larger of the two halves (see trivialisationThreshold); for even p they coincide.
    const trivNonPositive =
      p % 2 === 0
        ? trivNonNegative
        : trivialisationThreshold(p, deltap, { convention: 'nonPositive', guess: guessNonPositive });
    const trivAll = Math.max(trivNonNegative, trivNonPositive);
    guessNonPositive = Number.isFinite(deltap) ? trivNonPositive : undefined;
    guessNonNegative = Number.isFinite(deltap) ? trivNonNegative : undefined;
    out.gf.push(gfThreshold(p, deltap));
    out.mlAmp.push(mlAmpThreshold(deltap));
    out.mlAmpSpinodal.push(mlAmpSpinodal(p, deltap));
    out.trivAllM.push(trivAll);
    out.trivNonNegativeM.push(trivNonNegative);
    out.bayesIT.push(bayes.it);
    out.bayesAMP.push(bayes.amp);
    out.bayesSpinodal.push(bayes.spinodal);
    out.langevinConjecture.push(langevinConjecture(p, deltap));
    yield i + 1;
  }
  return out;
}
