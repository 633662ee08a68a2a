/**
 * Large finite-N runs on a worker thread that a signal TERMINATES (issue 11). One gradient of
 * the p = 3 model at N = 1000 reads C(N, 3) ≈ 1.7·10⁸ tensor entries (0.1–0.5 s), and a
 * Runge–Kutta step makes six of them: a check of the AbortSignal between steps comes seconds
 * after Ctrl-C. A check inside the contraction cannot help on the main thread, because Node runs
 * a signal handler only when the event loop gets a turn, never during synchronous work. So the
 * task runs on a thread of its own (the same task, parameters and code: the same bytes out), the
 * main thread keeps the event loop free for the signal and on it calls `worker.terminate()`,
 * which V8 honours inside JavaScript and WebAssembly loops alike. The kernels are unchanged.
 */
import { Worker } from 'node:worker_threads';
import { sourceUrl } from '../sweep/entry.ts';
import { TaskCancelledError, type TaskFigure, type TaskOutput } from '../tasks/task.ts';
import type { CheckpointPlan } from './checkpoint.ts';
import type { CliContext } from './context.ts';
import { UsageError } from './errors.ts';

/**
 * Tensor entries C(N, p) from which a gradient takes more than ~20 ms: such runs are isolated
 * (N ≥ 496 at p = 3). The environment variable SADDLESURF_ISOLATE_ENTRIES overrides it (tests
 * run small instances isolated with 0).
 */
export function isolateAbove(): number {
  const raw = process.env.SADDLESURF_ISOLATE_ENTRIES;
  const value = raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(value) ? value : 2e7;
}

/** C(n, p), the number of independent tensor entries. */
export function tensorEntries(n: number, p: number): number {
  let c = 1;
  for (let k = 0; k < p; k++) c = (c * (n - k)) / (k + 1);
  return c;
}

/** What the worker thread is given (plain data). */
export interface IsolatedJob {
  readonly command: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly plan: CheckpointPlan | null;
  readonly plot: boolean;
}

/** What the worker thread posts. */
export type IsolatedMessage =
  | { readonly progress: [number, Readonly<Record<string, number>> | undefined] }
  | {
      readonly done: {
        readonly document: object;
        readonly files: Record<string, Uint8Array>;
        readonly figure: TaskFigure | undefined;
      };
    }
  | { readonly error: { readonly name: string; readonly message: string; readonly flag: string | null } };

/**
 * Run the task `job.command` on a worker thread; resolves with its document, files and figure.
 * The context's signal terminates the thread at once (rejecting with TaskCancelledError).
 */
export function executeIsolated<R extends object>(
  ctx: CliContext,
  job: IsolatedJob,
  onProgress: (fraction: number, values?: Readonly<Record<string, number>>) => void,
): Promise<TaskOutput<R>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(sourceUrl('src/cli/isolatedEntry.mjs'), { workerData: job });
    let settled = false;
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      ctx.signal?.removeEventListener('abort', cancel);
      settle();
    };
    const cancel = () => {
      void worker.terminate();
      finish(() => reject(new TaskCancelledError()));
    };
    if (ctx.signal?.aborted) return cancel();
    ctx.signal?.addEventListener('abort', cancel, { once: true });
    worker.on('message', (message: IsolatedMessage) => {
      if ('progress' in message) onProgress(...message.progress);
      else if ('done' in message) {
        const { document, files, figure } = message.done;
        void worker.terminate();
        finish(() =>
          resolve({
            document: document as R,
            write(out) {
              for (const [name, bytes] of Object.entries(files)) out.bytes(name, bytes);
            },
            ...(figure === undefined ? {} : { figure: () => figure }),
          }),
        );
      } else {
        const { name, message: text, flag } = message.error;
        const error =
          name === 'UsageError'
            ? new UsageError(flag, text.slice(flag === null ? 0 : flag.length + 2))
            : name === 'TaskCancelledError'
              ? new TaskCancelledError(text)
              : new Error(text);
        finish(() => reject(error));
      }
    });
    worker.on('error', (error) => finish(() => reject(error)));
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`the computing thread ended without a result (exit code ${code})`))),
    );
  });
}
