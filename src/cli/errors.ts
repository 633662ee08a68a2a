/** The CLI's errors: a usage error is the tasks' (exit status 2, src/tasks/usageError.ts). */

/** A run that was stopped from outside (a signal, or a cancelled worker): the tasks' error. */
export { TaskCancelledError as CancelledError } from '../tasks/task.ts';
export { UsageError } from '../tasks/usageError.ts';
