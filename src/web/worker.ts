/**
 * The explorer's module Web Worker: exposes {@link api} over Comlink. Everything numerical runs
 * here as the tasks of src/tasks (the CLI's own), so the page stays responsive. The worker runs
 * one job at a time (a lane, `lane.ts`, owns it); `cancel()` aborts the running task's
 * AbortSignal, and the task stops at its next check (its loops yield about every 50 ms).
 */
import * as Comlink from 'comlink';
import { api } from './api.ts';
import type { Progress } from './taskOptions.ts';

/** The abort controller of the job running now (one job at a time per worker). */
let running: AbortController | undefined;

/** An API function with the job's signal added as its last argument. */
function cancellable<R, Q>(run: (request: Q, onProgress?: Progress, signal?: AbortSignal) => Promise<R>) {
  return async (request: Q, onProgress?: Progress): Promise<R> => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    try {
      return await run(request, onProgress, controller.signal);
    } finally {
      if (running === controller) running = undefined;
    }
  };
}

export const workerApi = {
  landscape: cancellable(api.landscape),
  phaseDiagramData: cancellable(api.phaseDiagramData),
  pointThresholds: cancellable(api.pointThresholds),
  largeN: cancellable(api.largeN),
  finiteN: cancellable(api.finiteN),
  /** Abort the running job's signal: it rejects with the task's TaskCancelledError. */
  cancel(): void {
    running?.abort();
  },
};

export type WorkerApi = typeof workerApi;

Comlink.expose(workerApi);
