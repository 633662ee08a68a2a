/**
 * The body of a local-pool worker thread: receives `{ job }`, runs it with the registry named
 * in `workerData.registry`, posts the outcome back.
 * `{ abort: task }` aborts the running task at its next cooperative checkpoint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { VERSION } from '../version.ts';
import { type ExecutableTask, runJob, type TaskJob } from './runTask.ts';

const port = parentPort;
if (!port) throw new Error('thread.ts runs inside a worker thread');
const { registry } = workerData as { registry: string };
const { getTask } = (await import(registry)) as { getTask(name: string): ExecutableTask | undefined };
const controllers = new Map<string, AbortController>();

port.on('message', async (message: { job?: TaskJob; abort?: string }) => {
  if (message.abort !== undefined) {
    controllers.get(message.abort)?.abort();
    return;
  }
  const job = message.job;
  if (!job) return;
  const controller = new AbortController();
  controllers.set(job.task, controller);
  const outcome = await runJob(job, getTask, VERSION, controller.signal);
  controllers.delete(job.task);
  port.postMessage(outcome);
});
port.postMessage({ ready: true });
