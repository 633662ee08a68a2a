/**
 * What one stage (one figure) of `saddlesurf reproduce` returns: the plot data in the
 * shape of the `src/plot/` builders, tidy tables for CSV, optional arrays for NPY/NPZ,
 * its parameters and the key numbers the caption states.
 */
import type { NpyArray } from '../io/index.ts';
import type { FigureSpec } from '../tasks/task.ts';

/** The figure of a stage: which builder draws it, and its data (defined with the tasks). */
export type { FigureSpec } from '../tasks/task.ts';

/** A tidy table, written as `<figure>-<name>.csv` (or `<figure>.csv` for the first). */
export interface Table {
  readonly name: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (number | string | null)[])[];
}

/** Output of one stage. */
export interface StageResult {
  /** File stem and report anchor, e.g. `phase-diagram`. */
  readonly id: string;
  readonly title: string;
  /** Plain text; states the parameters and key numbers. */
  readonly caption: string;
  readonly figure: FigureSpec;
  readonly tables: readonly Table[];
  /** Arrays for `<figure>.npz` (e.g. large-N trajectories). */
  readonly arrays?: Readonly<Record<string, NpyArray>>;
  /** Every parameter of the stage, seeds included. */
  readonly params: Readonly<Record<string, unknown>>;
  /** The key numbers (also in `summary.json`). */
  readonly keyNumbers: Readonly<Record<string, unknown>>;
}

/** Progress of a stage: fraction done in [0, 1] and a short status text. */
export type StageProgress = (fraction: number, status: string) => void;
