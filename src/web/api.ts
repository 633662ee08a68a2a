/**
 * What the explorer's worker computes. Plain functions over the library barrels,
 * environment-free, so they run in a Web Worker and (for tests) in Node; the CLI
 * calls the same library functions with the same parameters.
 */
import { VERSION } from '../version.ts';

/** The worker API (each method is called through Comlink from the page). */
export const api = {
  /** Version and the panels this build can compute. */
  hello(): { version: string } {
    return { version: VERSION };
  },
};
