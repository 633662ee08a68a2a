/**
 * The state of a large-N dynamics run (THEORY §3) at a step boundary, for `--checkpoint-every` /
 * `--resume` (issue 11): continued with `DynamicsOptions.resume`, the run ends bit for bit as the
 * uninterrupted one. Fixed grid: the history triangles up to the current row, the one-time arrays
 * and both right-hand-side buffers of the two-step map. Adaptive grid (at a cycle boundary: the
 * window just filled): every field of the grid store, of the saved grids of step rejection and of
 * the row solver, captured GENERICALLY (`captureFields`: whatever typed arrays and scalars these
 * classes hold), the accepted outputs and the solver's counters. All of it is data, written with
 * `src/io/checkpoint.ts`.
 */
import { captureFields, restoreFields } from '../io/checkpoint.ts';
import type { Grid } from './adaptiveGridStore.ts';
import type { RowRhs } from './fixedGridKernel.ts';

export interface FixedGridCheckpoint {
  readonly kind: 'fixed';
  readonly t: number;
  /** The next row to evaluate. */
  readonly i: number;
  readonly C: Float64Array;
  readonly R: Float64Array;
  readonly m: Float64Array;
  readonly mu: Float64Array;
  readonly energy: Float64Array;
  readonly cur: unknown;
  readonly prev: unknown;
  readonly alternations: number;
  readonly prevDelta: number;
}

export interface AdaptiveGridCheckpoint {
  readonly kind: 'adaptive';
  readonly t: number;
  /** The solver's counters and controller state (named locals of `adaptiveGridSteps`). */
  readonly scalars: Readonly<Record<string, number>>;
  readonly grid: unknown;
  readonly saved: readonly unknown[];
  readonly savedOut: readonly number[];
  readonly row: unknown;
  /** Accepted outputs t, m, μ, e. */
  readonly outputs: readonly Float64Array[];
}

export type DynamicsCheckpoint = FixedGridCheckpoint | AdaptiveGridCheckpoint;

/** The fixed grid's state at the top of step i (rows 0..i of C and R; m to i; μ, e to i − 1). */
export function fixedGridCheckpoint(
  i: number,
  h: number,
  arrays: { C: Float64Array; R: Float64Array; m: Float64Array; mu: Float64Array; energy: Float64Array },
  cur: RowRhs,
  prev: RowRhs,
  alternations: number,
  prevDelta: number,
): FixedGridCheckpoint {
  const rows = ((i + 1) * (i + 2)) / 2;
  return {
    kind: 'fixed',
    t: i * h,
    i,
    C: arrays.C.subarray(0, rows),
    R: arrays.R.subarray(0, rows),
    m: arrays.m.subarray(0, i + 1),
    mu: arrays.mu.subarray(0, i),
    energy: arrays.energy.subarray(0, i),
    cur: captureFields(cur),
    prev: captureFields(prev),
    alternations,
    prevDelta,
  };
}

/** Put a fixed-grid state into a fresh run's arrays; returns the step to continue from. */
export function restoreFixedGrid(
  state: DynamicsCheckpoint,
  arrays: { C: Float64Array; R: Float64Array; m: Float64Array; mu: Float64Array; energy: Float64Array },
  cur: RowRhs,
  prev: RowRhs,
): FixedGridCheckpoint {
  if (state.kind !== 'fixed') throw new RangeError('resume: the checkpoint is not of a fixed-grid run');
  if (state.C.length > arrays.C.length) throw new RangeError('resume: the checkpoint is of a longer run');
  for (const key of ['C', 'R', 'm', 'mu', 'energy'] as const) arrays[key].set(state[key]);
  restoreFields(cur, state.cur as never);
  restoreFields(prev, state.prev as never);
  return state;
}

/** The adaptive grid's state at a cycle boundary. */
export function adaptiveGridCheckpoint(
  t: number,
  scalars: Readonly<Record<string, number>>,
  parts: {
    G: Grid;
    saved: readonly Grid[];
    savedOut: readonly number[];
    row: object;
    outputs: readonly number[][];
  },
): AdaptiveGridCheckpoint {
  return {
    kind: 'adaptive',
    t,
    scalars,
    grid: captureFields(parts.G),
    saved: parts.saved.map((g) => captureFields(g)),
    savedOut: [...parts.savedOut],
    row: captureFields(parts.row),
    outputs: parts.outputs.map((o) => Float64Array.from(o)),
  };
}

/** Put an adaptive-grid state into a fresh run's store, saved grids and row solver; returns the scalars. */
export function restoreAdaptiveGrid(
  state: DynamicsCheckpoint,
  parts: {
    G: Grid;
    saved: Grid[];
    savedOut: number[];
    row: object;
    outputs: readonly number[][];
    newGrid: () => Grid;
  },
): Readonly<Record<string, number>> {
  if (state.kind !== 'adaptive')
    throw new RangeError('resume: the checkpoint is not of an adaptive-grid run');
  restoreFields(parts.G, state.grid as never);
  parts.saved.length = 0;
  for (const g of state.saved) {
    const grid = parts.newGrid();
    restoreFields(grid, g as never);
    parts.saved.push(grid);
  }
  parts.savedOut.length = 0;
  parts.savedOut.push(...state.savedOut);
  restoreFields(parts.row, state.row as never);
  state.outputs.forEach((values, k) => {
    const out = parts.outputs[k];
    out.length = 0;
    for (const v of values) out.push(v);
  });
  return state.scalars;
}
