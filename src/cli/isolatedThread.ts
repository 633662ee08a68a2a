/**
 * The body of an isolated run's worker thread (isolated.ts): validate and execute the task as
 * the CLI would in process, collect its files in memory (the same bytes as the output
 * directory's writers), post progress, then the result or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { memoryFiles } from '../sweep/runTask.ts';
import { checkpointHooks, withResumedFrom } from './checkpoint.ts';
import type { IsolatedJob, IsolatedMessage } from './isolated.ts';
import { type AnyTask, tasks } from './taskRegistry.ts';

const port = parentPort;
if (!port) throw new Error('isolatedThread.ts runs inside a worker thread');
const job = workerData as IsolatedJob;
const post = (message: IsolatedMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const task = (tasks as Readonly<Record<string, AnyTask>>)[job.command];
  if (task === undefined) throw new Error(`unknown command ${job.command}`);
  const params = task.validate(job.raw);
  const output = await task.execute(params, {
    onProgress: (fraction, values) => post({ progress: [fraction, values] }),
    checkpoint: job.plan === null ? undefined : checkpointHooks(job.plan),
  });
  const sink = memoryFiles();
  output.write(withResumedFrom(sink, job.plan?.resumedFrom ?? []));
  const figure = job.plot ? await output.figure?.() : undefined;
  const buffers = [...new Set(Object.values(sink.files).map((b) => b.buffer as ArrayBuffer))];
  post({ done: { document: output.document, files: sink.files, figure } }, buffers);
} catch (error) {
  const e = error instanceof Error ? error : new Error(String(error));
  post({ error: { name: e.name, message: e.message, flag: (e as { flag?: string | null }).flag ?? null } });
}
