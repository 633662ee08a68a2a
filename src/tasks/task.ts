/**
 * One computing command = one task (shared by the CLI, `sweep` workers, `reproduce` and the
 * web worker): validated parameters in, a JSON result document and files out. There is one
 * place to validate (`validate`), one to cancel (the `signal` passed to `run`) and one to
 * record provenance (`provenance`).
 *
 * Nothing here knows about a terminal, a browser or Redis.
 */

/** What a running task may be told and may tell. */
export interface TaskRunOptions {
  /** Aborted on Ctrl-C / SIGTERM / SIGHUP, a sweep stopping, or the explorer moving on. Long loops check it at least every ~0.2 s of work and throw `TaskCancelledError`. */
  readonly signal?: AbortSignal;
  /** Progress as a fraction in [0, 1] with optional named scalars (e.g. t, m, mu, e). */
  readonly onProgress?: (fraction: number, values?: Readonly<Record<string, number>>) => void;
}

/** Where a task writes its files (the CLI's atomic output directory implements this). */
export interface TaskFiles {
  text(name: string, content: string): void;
  bytes(name: string, content: Uint8Array): void;
  json(name: string, value: unknown): void;
}

/**
 * A computing command. `P` are the validated parameters (flag names without dashes, camelCase as
 * in the CLI's parsed flags), `R` the JSON result document (what `--json` prints).
 */
export interface Task<P extends object, R extends object> {
  /** The command name, e.g. 'dmft'. */
  readonly name: string;
  /**
   * Validate raw parameters (from parsed flags or a sweep spec: numbers, strings, booleans).
   * Throws `UsageError` naming the flag/key on anything out of range. Applies defaults.
   */
  validate(raw: Readonly<Record<string, unknown>>): P;
  /** Compute. Pure apart from the signal and progress callbacks. */
  run(params: P, options?: TaskRunOptions): Promise<R>;
}

/** Thrown by a task whose signal was aborted. */
export class TaskCancelledError extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'TaskCancelledError';
  }
}

/** Throw `TaskCancelledError` if the signal was aborted (call from long loops). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TaskCancelledError();
}
