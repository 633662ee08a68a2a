/**
 * Sweeps over Redis with BullMQ. The coordinator enqueues each task with `jobId` = its content
 * hash (resubmitting never makes a second job) and collects outcomes as they complete, plus
 * the ones that completed while it was not running (a restarted coordinator picks them up).
 * `saddlesurf worker` processes run the jobs on their own pool of worker threads, so the
 * BullMQ worker's event loop stays free to renew its locks however long a task computes.
 * A worker killed mid-task stops renewing its lock; another worker's stalled-job check puts
 * the job back (after `lockDuration`, checked every `stalledInterval`) and it runs again.
 * Delivery is at least once; the coordinator's ledger records each task once.
 * A task's files travel in the job's return value (base64), so the coordinator writes them.
 */
import { Job, Queue, QueueEvents, WaitingError, Worker } from 'bullmq';
import { toJson } from '../io/json.ts';
import { VERSION } from '../version.ts';
import type { Executor } from './engine.ts';
import { LocalPool } from './localPool.ts';
import type { TaskJob, TaskOutcome } from './runTask.ts';

/** Kept long enough for a coordinator restarted days later to collect (then Redis frees them). */
const KEEP_SECONDS = 30 * 24 * 3600;
/** How often the coordinator also polls the jobs it waits for (events are the fast path). */
const SCAN_MS = 5000;

/** BullMQ refuses integer-looking custom ids, which a hex hash can be: prefix it. */
export const jobIdOf = (task: string): string => `task-${task}`;
const taskOf = (jobId: string): string => jobId.replace(/^task-/, '');

/**
 * The BullMQ queue of a queue name: one per package version, so a worker only ever takes tasks
 * made by the same version (the task hash includes it) and never fails another version's tasks.
 */
export const queueName = (name: string): string => `${name}-${VERSION.replaceAll(/[^0-9A-Za-z.-]/g, '_')}`;

/**
 * Connection options: BullMQ needs `maxRetriesPerRequest: null`; reconnecting stops after ~40 s
 * of consecutive failures (ioredis counts from the last good connection), so an unreachable
 * server is an error rather than a silent hang, while a Redis restart is ridden out.
 */
export const redisConnection = (url: string) => ({
  url,
  maxRetriesPerRequest: null,
  retryStrategy: (times: number) => (times > 20 ? null : Math.min(200 * times, 2000)),
});

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(
    /\/\/([^@/]*)@/,
    (_, auth: string) => `//${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`,
  );
}

/** Wait for a BullMQ client's connection, failing with a clear message instead of retrying forever. */
async function connected(
  clients: { waitUntilReady(): Promise<unknown> }[],
  url: string,
  ms = 45000,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`cannot reach Redis at ${redactUrl(url)} within ${ms / 1000} s`)),
      ms,
    );
  });
  try {
    await Promise.race([Promise.all(clients.map((c) => c.waitUntilReady())), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The JSON form of an outcome (files as base64). */
type WireOutcome =
  | (Omit<Extract<TaskOutcome, { status: 'ok' }>, 'files'> & { files: Record<string, string> })
  | Extract<TaskOutcome, { status: 'failed' }>;

export function toWire(outcome: TaskOutcome): WireOutcome {
  if (outcome.status !== 'ok') return outcome;
  // The document as --json writes it (±Infinity as "inf"), not JSON.stringify's null.
  const result = JSON.parse(toJson(outcome.result, 0)) as unknown;
  const files = Object.fromEntries(
    Object.entries(outcome.files).map(([k, v]) => [
      k,
      Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
    ]),
  );
  return { ...outcome, result, files };
}

export function fromWire(wire: WireOutcome): TaskOutcome {
  if (wire.status !== 'ok') return wire;
  const files = Object.fromEntries(
    Object.entries(wire.files).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  );
  return { ...wire, files };
}

function parseReturn(task: string, value: unknown): TaskOutcome {
  const wire = (typeof value === 'string' ? JSON.parse(value) : value) as WireOutcome | null;
  if (!wire || (wire.status !== 'ok' && wire.status !== 'failed'))
    return { task, status: 'failed', error: 'the worker returned no outcome', exitCode: 1, seconds: 0 };
  return fromWire({ ...wire, task });
}

const failedOutcome = (task: string, reason: string): TaskOutcome => ({
  task,
  status: 'failed',
  error: `job failed on Redis: ${reason}`,
  exitCode: 1,
  seconds: 0,
});

export interface RedisExecutorOptions {
  readonly url: string;
  readonly queue: string;
  readonly log?: (line: string) => void;
}

/** The coordinator's side: enqueue, then collect outcomes until every task has one. */
export async function redisExecutor(options: RedisExecutorOptions): Promise<Executor> {
  const log = options.log ?? (() => {});
  const queue = new Queue(queueName(options.queue), { connection: redisConnection(options.url) });
  const events = new QueueEvents(queueName(options.queue), { connection: redisConnection(options.url) });
  let lastError = '';
  const onError = (e: Error) => {
    if (e.message !== lastError) log(`redis: ${e.message}`);
    lastError = e.message;
  };
  queue.on('error', onError);
  events.on('error', onError);
  try {
    await connected([queue, events], options.url);
  } catch (error) {
    void Promise.allSettled([queue.disconnect(), events.disconnect()]); // close() would wait for a connection
    throw error;
  }
  let running = 0;
  return {
    get running() {
      return running;
    },
    async execute(jobs, onOutcome, signal) {
      const pending = new Map(jobs.map((j) => [j.task, j]));
      let wake: () => void = () => {};
      const settle = (outcome: TaskOutcome) => {
        if (!pending.delete(outcome.task)) return;
        onOutcome(outcome);
        if (pending.size === 0) wake();
      };
      const onCompleted = ({ jobId, returnvalue }: { jobId: string; returnvalue: unknown }) => {
        const task = taskOf(jobId);
        if (pending.has(task)) settle(parseReturn(task, returnvalue));
      };
      const onFailed = ({ jobId, failedReason }: { jobId: string; failedReason: string }) => {
        const task = taskOf(jobId);
        if (pending.has(task)) settle(failedOutcome(task, failedReason));
      };
      const onStalled = ({ jobId }: { jobId: string }) => {
        const job = pending.get(taskOf(jobId));
        if (job)
          log(`task ${job.task} ${JSON.stringify(job.raw)} stalled (its worker stopped): it runs again`);
      };
      events.on('completed', onCompleted);
      events.on('failed', onFailed);
      events.on('stalled', onStalled);
      const abort = () => wake();
      signal.addEventListener('abort', abort, { once: true });
      try {
        const add = (list: readonly TaskJob[]) =>
          queue.addBulk(
            list.map((job) => ({
              name: job.command,
              data: job,
              opts: {
                jobId: jobIdOf(job.task),
                removeOnComplete: { age: KEEP_SECONDS },
                removeOnFail: { age: KEEP_SECONDS },
              },
            })),
          );
        await add(jobs);
        const scan = async () => {
          const missing: TaskJob[] = [];
          for (const [id, job] of pending) {
            const found = await Job.fromId(queue, jobIdOf(id));
            if (!found)
              missing.push(job); // removed (age) or flushed: enqueue again
            else if (found.finishedOn !== undefined) {
              if (found.failedReason && found.returnvalue == null)
                settle(failedOutcome(id, found.failedReason));
              else settle(parseReturn(id, found.returnvalue));
            }
          }
          if (missing.length > 0) await add(missing);
          running = await queue.getActiveCount();
        };
        while (pending.size > 0 && !signal.aborted) {
          await scan();
          if (pending.size === 0 || signal.aborted) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, SCAN_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      } finally {
        signal.removeEventListener('abort', abort);
        events.off('completed', onCompleted);
        events.off('failed', onFailed);
        events.off('stalled', onStalled);
      }
    },
    async close() {
      await events.close();
      await queue.close();
    },
  };
}

export interface RedisWorkerOptions {
  readonly url: string;
  readonly queue: string;
  /** Tasks run at once (= worker threads). */
  readonly concurrency: number;
  /** Lock held on an active job, ms (renewed every half; BullMQ's default 30000). */
  readonly lockDuration?: number;
  /** How often this worker checks for stalled jobs, ms (default 30000). */
  readonly stalledInterval?: number;
  /** Registry module URL for the threads (tests). */
  readonly registry?: string;
  readonly log?: (line: string) => void;
}

/**
 * A worker process's side: take jobs and run them on a LocalPool until `signal` aborts; then
 * put the running jobs back in the queue (so another worker takes them at once) and stop.
 */
export async function runRedisWorker(
  options: RedisWorkerOptions,
  signal: AbortSignal,
): Promise<{ done: number }> {
  const log = options.log ?? (() => {});
  const pool = new LocalPool({ size: options.concurrency, registry: options.registry });
  let done = 0;
  const stopping = new Promise<'stop'>((resolve) => {
    if (signal.aborted) resolve('stop');
    signal.addEventListener('abort', () => resolve('stop'), { once: true });
  });
  const worker = new Worker(
    queueName(options.queue),
    async (job: Job<TaskJob>, token?: string) => {
      log(`task ${job.data.task} started ${JSON.stringify(job.data.raw)}`);
      const outcome = await Promise.race([pool.run(job.data), stopping]);
      if (outcome === 'stop') {
        await job.moveToWait(token);
        throw new WaitingError();
      }
      done++;
      log(`task ${job.data.task} ${outcome.status} in ${outcome.seconds.toFixed(2)} s`);
      return toWire(outcome);
    },
    {
      connection: redisConnection(options.url),
      concurrency: options.concurrency,
      lockDuration: options.lockDuration ?? 30000,
      stalledInterval: options.stalledInterval ?? 30000,
      maxStalledCount: 3,
    },
  );
  worker.on('error', (e) => log(`redis: ${e.message}`));
  worker.on('failed', (job, e) => log(`task ${job?.id} failed on Redis: ${e.message}`));
  try {
    await connected([worker], options.url);
  } catch (error) {
    void worker.disconnect().catch(() => {});
    await pool.destroy();
    throw error;
  }
  log(`worker on queue '${queueName(options.queue)}': ${options.concurrency} threads`);
  await stopping;
  await worker.close();
  await pool.destroy();
  return { done };
}
