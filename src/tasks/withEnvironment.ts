/**
 * A task bound to the environment of the shell that runs it (what a shell's registry holds):
 * src/cli/taskRegistry.ts binds every task to the Node environment.
 */
import type { TaskEnvironment } from './environment.ts';
import type { Task } from './task.ts';

/** A task that runs in `environment` unless told otherwise (what a shell's registry holds). */
export function withEnvironment<P extends object, R extends object>(
  task: Task<P, R>,
  environment: TaskEnvironment,
): Task<P, R> {
  return {
    ...task,
    validate: (raw, given = environment) => task.validate(raw, given),
    run: (params, options = {}) => task.run(params, { environment, ...options }),
    execute: (params, options = {}) => task.execute(params, { environment, ...options }),
  };
}
