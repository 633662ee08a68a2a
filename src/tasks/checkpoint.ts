/**
 * A task's checkpoint hooks (`TaskRunOptions.checkpoint`) as the options of the library solvers
 * (`resume`, `checkpointDue`, `onCheckpoint`: src/dynamics/checkpoint.ts, src/dmft/checkpoint.ts).
 */
import type { TaskCheckpoint } from './task.ts';

export function checkpointOptions<S extends { readonly t: number }>(
  checkpoint: TaskCheckpoint | undefined,
): { resume?: S; checkpointDue?: () => boolean; onCheckpoint?: (state: S) => void } {
  if (checkpoint === undefined) return {};
  return {
    resume: checkpoint.resume as S | undefined,
    checkpointDue: () => checkpoint.due(),
    onCheckpoint: (state) => checkpoint.save(state, state.t),
  };
}
