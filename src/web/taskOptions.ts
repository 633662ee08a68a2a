/**
 * What the worker API's functions share: the model point a request names, and the run options
 * (progress, AbortSignal) a task takes, from the API's optional arguments.
 */
import type { TaskRunOptions } from '../tasks/task.ts';

/** The model at one point of the phase diagram (THEORY §1). */
export interface ModelPoint {
  readonly p: number;
  readonly delta2: number;
  readonly deltap: number;
}

/** Progress of a task: a fraction in [0, 1] and the task's named scalars (t, m, …). */
export type Progress = (fraction: number, values?: Readonly<Record<string, number>>) => void;

/** The run options of a task from the worker API's optional `onProgress` and `signal`. */
export function runOptions(onProgress?: Progress, signal?: AbortSignal): TaskRunOptions {
  return { ...(signal === undefined ? {} : { signal }), ...(onProgress === undefined ? {} : { onProgress }) };
}
