/**
 * The embedded executor: K worker threads, each running one task at a time, so a sweep uses
 * every core while the coordinator's event loop stays free (progress, signals, the ledger).
 * A thread that dies (out of memory, a native crash) fails only its own task, exit status 1,
 * and is replaced.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_REGISTRY, threadEntry } from './entry.ts';
import type { TaskJob, TaskOutcome } from './runTask.ts';

export interface PoolOptions {
  /** Number of threads (default: the machine's cores). */
  readonly size?: number;
  /** URL of the registry module the threads load (default src/tasks/index.ts). */
  readonly registry?: string;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  job: TaskJob | null;
  settle: ((outcome: TaskOutcome) => void) | null;
  started: number;
}

export class LocalPool {
  readonly size: number;
  private readonly registry: string;
  private readonly slots: Slot[] = [];
  private readonly queue: { job: TaskJob; resolve: (o: TaskOutcome) => void }[] = [];
  private closed = false;

  constructor(options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism());
    this.registry = options.registry ?? DEFAULT_REGISTRY;
  }

  /** Number of tasks currently running. */
  get running(): number {
    return this.slots.filter((s) => s.job !== null).length;
  }

  /** Run one job on the next free thread. Resolves with its outcome (never rejects). */
  run(job: TaskJob): Promise<TaskOutcome> {
    if (this.closed) throw new Error('pool is closed');
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  private spawn(): Slot {
    const worker = new Worker(threadEntry(), { workerData: { registry: this.registry } });
    let markReady: () => void = () => {};
    const slot: Slot = {
      worker,
      ready: new Promise((r) => (markReady = r)),
      job: null,
      settle: null,
      started: 0,
    };
    worker.on('message', (message: TaskOutcome | { ready: true }) => {
      if ('ready' in message) {
        markReady();
        return;
      }
      const settle = slot.settle;
      slot.job = null;
      slot.settle = null;
      settle?.(message);
      this.dispatch();
    });
    const crashed = (reason: string) => {
      const { job, settle } = slot;
      slot.job = null;
      slot.settle = null;
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots.splice(index, 1);
      if (job && settle) {
        const seconds = (performance.now() - slot.started) / 1000;
        settle({
          task: job.task,
          status: 'failed',
          error: `worker thread died: ${reason}`,
          exitCode: 1,
          seconds,
        });
      }
      markReady();
      if (!this.closed) this.dispatch();
    };
    worker.on('error', (error) => crashed(error.message));
    worker.on('exit', (code) => crashed(`exit code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const { job, resolve } = this.queue.shift() as { job: TaskJob; resolve: (o: TaskOutcome) => void };
      slot.job = job;
      slot.settle = resolve;
      slot.started = performance.now();
      const s = slot;
      void s.ready.then(() => {
        if (s.job === job) s.worker.postMessage({ job });
      });
    }
  }

  /** Stop every thread now (running tasks are abandoned; their outcomes never arrive). */
  async destroy(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    const slots = this.slots.splice(0);
    for (const s of slots) s.settle = null;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
