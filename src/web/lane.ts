/**
 * A "lane" runs one kind of job (the large-N dynamics, the finite-N run, the
 * landscape) in its own module Web Worker, one job at a time.
 *
 * Cancelling: every job is a task of src/tasks, whose loops return to the event loop
 * about every 50 ms and check an AbortSignal there. A new job on a busy lane (or
 * `cancel()`) asks the worker to abort the running task's signal (`cancel()` of
 * worker.ts, a Comlink message the worker reads at the task's next yield), waits until
 * the old job has settled, and runs the new one on the same worker. Only if the old job
 * does not settle within {@link CANCEL_GRACE_MS} (a worker stuck in a stretch without a
 * check) is the worker terminated and a fresh one started. The superseded job's promise
 * rejects with {@link Superseded} at once.
 */
import * as Comlink from 'comlink';
import type { WorkerApi } from './worker.ts';

/** The rejection of a job that was replaced by a newer one or cancelled. */
export class Superseded extends Error {
  constructor() {
    super('superseded by a newer request');
    this.name = 'Superseded';
  }
}

export type Remote = Comlink.Remote<WorkerApi>;

/** Something that makes workers (the page uses {@link spawnWorker}; tests may pass their own). */
export type WorkerFactory = () => Worker;

/** A module worker running `worker.ts` (this exact form lets Vite find and bundle it). */
export function spawnWorker(): Worker {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'saddlesurf' });
}

/**
 * How long a cancelled job may take to stop through its signal before its worker is
 * terminated: the tasks check the signal about every 50 ms of work (src/tasks/README.md;
 * one gradient of the largest finite-N instance, p = 3 at N = 300, takes a few ms), so a
 * second is a generous margin on a loaded machine.
 */
export const CANCEL_GRACE_MS = 1000;

/** How the lane's cancelled jobs ended: through the task's signal, or by terminating the worker. */
export interface LaneStats {
  cancelledBySignal: number;
  terminated: number;
}

export class Lane {
  private worker: Worker | undefined;
  private remote: Remote | undefined;
  private pending: ((error: Error) => void) | undefined;
  /** The running job's call (settles when the worker answers). */
  private active: Promise<unknown> | undefined;
  /** Settles once the last cancelled job has stopped (or its worker was terminated). */
  private draining: Promise<void> = Promise.resolve();
  private generation = 0;
  readonly stats: LaneStats = { cancelledBySignal: 0, terminated: 0 };

  constructor(
    private readonly factory: WorkerFactory = spawnWorker,
    private readonly graceMs = CANCEL_GRACE_MS,
  ) {}

  /**
   * Run `job` on this lane's worker, cancelling whatever the lane was doing.
   * Rejects with {@link Superseded} if another `run` or `cancel` comes first.
   */
  run<T>(job: (remote: Remote) => Promise<T>): Promise<T> {
    this.cancel();
    const generation = ++this.generation;
    return new Promise<T>((resolve, reject) => {
      this.pending = reject;
      void this.draining.then(() => {
        // Superseded while the previous job was stopping: its rejection is already delivered.
        if (this.generation !== generation || this.pending !== reject) return;
        this.start(job, generation, resolve, reject);
      });
    });
  }

  private start<T>(
    job: (remote: Remote) => Promise<T>,
    generation: number,
    resolve: (value: T) => void,
    reject: (error: Error) => void,
  ): void {
    if (this.remote === undefined) {
      this.worker = this.factory();
      this.remote = Comlink.wrap<WorkerApi>(this.worker);
    }
    const remote = this.remote;
    const worker = this.worker!;
    // A script error inside the worker (not a rejected call) would otherwise hang the job.
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      done();
      reject(new Error(`worker error: ${event.message}`));
    };
    const done = () => {
      worker.removeEventListener('error', onError);
      if (this.generation === generation && this.pending === reject) this.pending = undefined;
    };
    worker.addEventListener('error', onError);
    const call = job(remote);
    this.active = call;
    call.then(
      (value) => {
        done();
        resolve(value);
      },
      (error: unknown) => {
        done();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /**
   * Stop the running job (if any): abort its task's signal in the worker, reject its promise
   * with {@link Superseded}; terminate the worker if the job has not stopped after the grace time.
   */
  cancel(): void {
    if (this.pending === undefined) return;
    const reject = this.pending;
    this.pending = undefined;
    reject(new Superseded());
    const { worker, remote, active } = this;
    if (worker === undefined || remote === undefined || active === undefined) return;
    this.active = undefined;
    void remote.cancel().catch(() => {});
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = active.then(
      () => true,
      () => true,
    );
    const late = new Promise<false>((r) => {
      timer = setTimeout(() => r(false), this.graceMs);
    });
    this.draining = Promise.race([stopped, late]).then((byJob) => {
      clearTimeout(timer);
      if (byJob) {
        this.stats.cancelledBySignal++;
        return;
      }
      this.stats.terminated++;
      worker.terminate();
      if (this.worker === worker) {
        this.worker = undefined;
        this.remote = undefined;
      }
    });
  }

  /** Whether a job is running. */
  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Terminate the worker for good (page teardown). */
  dispose(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = undefined;
    this.remote = undefined;
  }
}

/** One lane (worker) per independent computation, so each can be cancelled alone. */
export interface Lanes {
  readonly dynamics: Lane;
  readonly finiteN: Lane;
  readonly landscape: Lane;
  readonly phase: Lane;
}

export function createLanes(): Lanes {
  return { dynamics: new Lane(), finiteN: new Lane(), landscape: new Lane(), phase: new Lane() };
}
