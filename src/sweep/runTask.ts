/**
 * Running one sweep task wherever it runs (a local worker thread, a Redis worker): look the
 * command up, validate the raw parameters exactly as the single command does, execute, and
 * collect the document and the command's files in memory. Every failure becomes an outcome
 * with the exit status the single command would have had (2 usage, 130 cancelled, 1 otherwise),
 * so a failed task is a row, not a crash.
 */
import { toJson } from '../io/json.ts';
import type { TaskFiles } from '../tasks/task.ts';

/** What a worker needs to run a task: nothing but JSON. */
export interface TaskJob {
  readonly task: string;
  readonly command: string;
  readonly raw: Readonly<Record<string, unknown>>;
  /** Package version of the coordinator (the task id depends on it). */
  readonly version: string;
}

export type TaskOutcome =
  | {
      readonly task: string;
      readonly status: 'ok';
      readonly result: unknown;
      /** File name → content, in the order the command wrote them. */
      readonly files: Record<string, Uint8Array>;
      readonly seconds: number;
    }
  | {
      readonly task: string;
      readonly status: 'failed';
      readonly error: string;
      readonly exitCode: number;
      readonly seconds: number;
    };

/** The minimal shape of a registry entry the runner uses (see src/tasks/task.ts). */
export interface ExecutableTask {
  validate(raw: Readonly<Record<string, unknown>>): object;
  execute(
    params: object,
    options?: { signal?: AbortSignal; onProgress?: (fraction: number) => void },
  ): Promise<{ document: unknown; write(files: TaskFiles): void }>;
}

/** The exit status a single command would have had for this error. */
export function exitCodeOf(error: unknown): number {
  const name = error instanceof Error ? error.name : '';
  if (name === 'UsageError') return 2;
  if (name === 'CancelledError' || name === 'TaskCancelledError') return 130;
  return 1;
}

const encoder = new TextEncoder();

/** Files collected in memory (names checked like the CLI's output directory does). */
export function memoryFiles(): TaskFiles & { readonly files: Record<string, Uint8Array> } {
  const files: Record<string, Uint8Array> = {};
  const put = (name: string, content: Uint8Array) => {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.') || name.length === 0)
      throw new Error(`bad output file name ${name}`);
    files[name] = content;
  };
  return {
    files,
    text: (name, content) => put(name, encoder.encode(content)),
    bytes: (name, content) => put(name, content),
    // The CLI's json files are toJson with its default indent; keep the same bytes.
    json: (name, value) => put(name, encoder.encode(toJson(value))),
  };
}

/** Run a job with a given task lookup. Never throws. */
export async function runJob(
  job: TaskJob,
  getTask: (name: string) => ExecutableTask | undefined,
  version: string,
  signal?: AbortSignal,
): Promise<TaskOutcome> {
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  try {
    if (job.version !== version)
      throw new Error(`this worker runs saddlesurf ${version}, the task was made by ${job.version}`);
    const task = getTask(job.command);
    if (!task) throw new Error(`unknown command ${job.command}`);
    const params = task.validate(job.raw);
    const output = await task.execute(params, { signal });
    const sink = memoryFiles();
    output.write(sink);
    return { task: job.task, status: 'ok', result: output.document, files: sink.files, seconds: seconds() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      task: job.task,
      status: 'failed',
      error: message,
      exitCode: exitCodeOf(error),
      seconds: seconds(),
    };
  }
}
