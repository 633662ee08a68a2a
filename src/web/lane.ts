/**
 * A "lane" runs one kind of job (the large-N dynamics, the finite-N run, the
 * landscape) in its own module Web Worker, one job at a time.
 *
 * Cancelling: the library solvers are synchronous loops, so a worker busy inside
 * one never reads a "stop" message; and a shared stop flag needs SharedArrayBuffer,
 * which browsers only give cross-origin-isolated pages (not a plain file server).
 * So a new job on a busy lane terminates that worker, which stops the old run at
 * once wherever it is, and starts a fresh worker (module start-up is a few ms).
 * The superseded job's promise rejects with {@link Superseded}.
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

export class Lane {
  private worker: Worker | undefined;
  private remote: Remote | undefined;
  private pending: ((error: Error) => void) | undefined;
  private generation = 0;

  constructor(private readonly factory: WorkerFactory = spawnWorker) {}

  /**
   * Run `job` on this lane's worker, cancelling whatever the lane was doing.
   * Rejects with {@link Superseded} if another `run` or `cancel` comes first.
   */
  run<T>(job: (remote: Remote) => Promise<T>): Promise<T> {
    this.cancel();
    const generation = ++this.generation;
    if (this.remote === undefined) {
      this.worker = this.factory();
      this.remote = Comlink.wrap<WorkerApi>(this.worker);
    }
    const remote = this.remote;
    const worker = this.worker!;
    return new Promise<T>((resolve, reject) => {
      this.pending = reject;
      // A script error inside the worker (not a rejected call) would otherwise hang the job.
      const onError = (event: ErrorEvent) => {
        event.preventDefault();
        done();
        reject(new Error(`worker error: ${event.message}`));
      };
      const done = () => {
        worker.removeEventListener('error', onError);
        if (this.generation === generation) this.pending = undefined;
      };
      worker.addEventListener('error', onError);
      job(remote).then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  /** Stop the running job (if any): terminate its worker, reject its promise with {@link Superseded}. */
  cancel(): void {
    if (this.pending === undefined) return;
    const reject = this.pending;
    this.pending = undefined;
    this.worker?.terminate();
    this.worker = undefined;
    this.remote = undefined;
    reject(new Superseded());
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
