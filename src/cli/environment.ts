/**
 * The tasks' environment on Node (src/tasks/environment.ts): instance files read from the file
 * system (`--instance`, instanceFile.ts) and a quarter of the machine's memory per instance.
 * Every shell that runs tasks in Node passes it: the CLI in process and on its worker thread,
 * and sweep workers (through the registry `taskRegistry.ts`).
 */
import type { TaskEnvironment } from '../tasks/environment.ts';
import { loadInstanceFile, sampleMemoryBudget } from './instanceFile.ts';

export const nodeEnvironment: TaskEnvironment = {
  readInstance: (path, flag) => loadInstanceFile(path, flag),
  memoryBudget: sampleMemoryBudget,
};
