/**
 * What a task needs from the shell that runs it and cannot do itself, environment-free: read an
 * instance file (`--instance`) and know how much memory an instance may take. The CLI, its
 * worker threads and sweep workers pass the Node implementation (src/cli/environment.ts); a
 * task given none (the explorer's worker, a test) refuses instance files and keeps to
 * {@link DEFAULT_MEMORY_BUDGET}.
 */
import type { Instance } from '../model/index.ts';
import { UsageError } from './usageError.ts';

export interface TaskEnvironment {
  /** Read and check an instance file; any problem is a `UsageError` naming `flag` (exit 2). */
  readInstance(path: string, flag: string): Instance;
  /** The bytes one instance may take (checked before anything is sampled). */
  memoryBudget(): number;
}

/** The memory budget of an environment that does not know its machine: 1 GiB. */
export const DEFAULT_MEMORY_BUDGET = 2 ** 30;

/** The environment of a shell without a file system. */
export const NO_FILES_ENVIRONMENT: TaskEnvironment = {
  readInstance(path, flag) {
    throw new UsageError(flag, `cannot read the instance file ${path}: this shell has no file system`);
  },
  memoryBudget: () => DEFAULT_MEMORY_BUDGET,
};
