/**
 * The explorer's module Web Worker: exposes {@link api} over Comlink. Everything
 * numerical runs here, with the same library code as the CLI (the large-N dynamics is the
 * `dmft` task of src/tasks, as `saddlesurf dmft` runs it), so the page stays responsive; a
 * lane (`lane.ts`) terminates the worker to cancel a run.
 */
import * as Comlink from 'comlink';
import { api } from './api.ts';

export type WorkerApi = typeof api;

Comlink.expose(api);
