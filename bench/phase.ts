/**
 * Threshold lines (src/phase): a 200-point line of every threshold of THEORY §5 on a
 * log grid Δp ∈ [0.1, 10] for p = 3 and p = 4 (`thresholdLines`, with continuation of
 * the trivialisation root finding between grid points), and the parts separately:
 * the two trivialisation lines alone, and a single cold-start trivialisation threshold.
 * Target: a 200-point line of every threshold in a few seconds. Times are wall times,
 * one warm-up then the median of 3 runs; the machine is shared, so treat them as ±30 %.
 */
import { thresholdLines, trivialisationThreshold } from '../src/phase/index.ts';
import type { BenchRow } from './run.ts';
import { timeMedian } from './util.ts';

const GRID = Array.from({ length: 200 }, (_, i) => 0.1 * 100 ** (i / 199));

export async function benchPhaseLines(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const p of [3, 4]) {
    const all = timeMedian(() => thresholdLines(p, GRID), 3);
    rows.push({
      name: `p=${p}: all 9 lines, 200 Δp`,
      ms: all,
      note: `${(all / GRID.length).toFixed(1)} ms per Δp`,
    });
    const triv = timeMedian(() => {
      let guessAll: number | undefined;
      let guessNonNegative: number | undefined;
      for (const deltap of GRID) {
        guessAll = trivialisationThreshold(p, deltap, { convention: 'all', guess: guessAll });
        guessNonNegative = trivialisationThreshold(p, deltap, {
          convention: 'nonNegative',
          guess: guessNonNegative,
        });
      }
    }, 3);
    rows.push({
      name: `p=${p}: trivialisation (both), 200 Δp`,
      ms: triv,
      note: `${((100 * triv) / all).toFixed(0)} % of all lines`,
    });
    const cold = timeMedian(() => trivialisationThreshold(p, 1, { convention: 'all' }), 5);
    rows.push({ name: `p=${p}: one trivAllM, cold start, Δp=1`, ms: cold });
  }
  return rows;
}
