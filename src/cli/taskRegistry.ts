/**
 * The tasks as every Node shell runs them: the registry of src/tasks with the Node environment
 * (environment.ts: instance files from the file system, a quarter of the machine's memory).
 * The CLI's commands use it, and sweep workers load it (`registry` of the local pool and the
 * Redis worker), so an `--instance` in a sweep spec reads the same file the command would.
 */
import { sourceUrl } from '../sweep/entry.ts';
import { type AnyTask, tasks as pureTasks, type TaskName } from '../tasks/index.ts';
import { withEnvironment } from '../tasks/withEnvironment.ts';
import { nodeEnvironment } from './environment.ts';

export type { AnyTask, TaskName } from '../tasks/index.ts';

/** Every computing command by its CLI name, in the Node environment. */
export const tasks = Object.fromEntries(
  Object.entries(pureTasks).map(([name, task]) => [name, withEnvironment(task as AnyTask, nodeEnvironment)]),
) as unknown as typeof pureTasks;

/** The task of a command name, or undefined when there is none. */
export function getTask(name: string): AnyTask | undefined {
  return Object.hasOwn(tasks, name) ? tasks[name as TaskName] : undefined;
}

/** This module, for worker threads that load a registry by URL (src/sweep/thread.ts). */
export const NODE_REGISTRY = sourceUrl('src/cli/taskRegistry.ts').href;
