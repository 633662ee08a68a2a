/**
 * One computing command = one task (shared by the CLI, `sweep` workers, `reproduce` and the
 * web worker): validated parameters in, a JSON result document and files out. There is one
 * place to validate (`validate`), one to cancel (the `signal` passed to `run`) and one to
 * record provenance (`provenance`).
 *
 * Nothing here knows about a terminal, a browser or Redis.
 */

import { timeSlice } from '../numerics/timeSlice.ts';
import type {
  AmpVsGfData,
  AnnealData,
  CensusData,
  ComplexityData,
  DynamicsData,
  EscapeTimeData,
  PhaseDiagramData,
  SurfingData,
} from '../plot/index.ts';
import type { TaskEnvironment } from './environment.ts';
import type { FlagSet } from './params.ts';

/** What a running task may be told and may tell. */
export interface TaskRunOptions {
  /** Aborted on Ctrl-C / SIGTERM / SIGHUP, a sweep stopping, or the explorer moving on. Long loops check it at least every ~0.2 s of work and throw `TaskCancelledError`. */
  readonly signal?: AbortSignal;
  /** Progress as a fraction in [0, 1] with optional named scalars (e.g. t, m, mu, e). */
  readonly onProgress?: (fraction: number, values?: Readonly<Record<string, number>>) => void;
  /** Checkpointing of a long single run (`flow`, `dmft`: the CLI's `--checkpoint-every`, `--resume`). */
  readonly checkpoint?: TaskCheckpoint;
  /** What the shell provides (instance files, memory budget); none: environment.ts's default. */
  readonly environment?: TaskEnvironment;
}

/** How a task saves and continues its state (`checkpoint.ts`). */
export interface TaskCheckpoint {
  /** The state to continue from (one given to `save` by a run with the same parameters), if any. */
  readonly resume?: unknown;
  /** Polled at the run's safe points: whether to save now. */
  due(): boolean;
  /** Save the state reached at time t (synchronously: it holds views of live arrays). */
  save(state: unknown, t: number): void;
}

/** Where a task writes its files (the CLI's atomic output directory implements this). */
export interface TaskFiles {
  text(name: string, content: string): void;
  bytes(name: string, content: Uint8Array): void;
  json(name: string, value: unknown): void;
}

/** What a finished run produced: the JSON document and the files it writes. */
export interface TaskOutput<R extends object> {
  /** The result document (`--json` prints it with `out` appended). */
  readonly document: R;
  /** Write the command's files (`params.json` with parameters and seed first, then data files). */
  write(files: TaskFiles): void;
  /** The command's figure (`--plot`): file stem and the data of a `src/plot/` builder. */
  figure?(): TaskFigure | Promise<TaskFigure>;
}

/** The figure of a task or a `reproduce` stage: which `src/plot/` builder draws it, and its data. */
export type FigureSpec =
  | { readonly kind: 'phaseDiagram'; readonly data: readonly PhaseDiagramData[] }
  | { readonly kind: 'dynamics'; readonly data: DynamicsData }
  | { readonly kind: 'surfing'; readonly data: SurfingData }
  | { readonly kind: 'complexity'; readonly data: ComplexityData }
  | { readonly kind: 'escapeTime'; readonly data: EscapeTimeData }
  | { readonly kind: 'ampVsGf'; readonly data: AmpVsGfData }
  | { readonly kind: 'census'; readonly data: CensusData }
  | { readonly kind: 'anneal'; readonly data: AnnealData };

/** A figure drawn with the same builders as `reproduce` (src/reproduce/render.ts). */
export interface TaskFigure {
  /** File stem: `<name>.svg`, `<name>.png`. */
  readonly name: string;
  readonly spec: FigureSpec;
}

/**
 * A computing command. `P` are the validated parameters (flag names without dashes, camelCase as
 * in the CLI's parsed flags), `R` the JSON result document (what `--json` prints).
 */
export interface Task<P extends object, R extends object> {
  /** The command name, e.g. 'dmft'. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** The command's own flags (ranges, defaults, help), keyed by the camelCase parameter name. */
  readonly flags: FlagSet;
  /**
   * Validate raw parameters (from parsed flags or a sweep spec: numbers, strings, booleans).
   * Throws `UsageError` naming the flag/key on anything out of range. Applies defaults. The
   * shell's `environment` reads instance files and bounds their memory (environment.ts).
   */
  validate(raw: Readonly<Record<string, unknown>>, environment?: TaskEnvironment): P;
  /** Compute. Pure apart from the signal and progress callbacks. */
  run(params: P, options?: TaskRunOptions): Promise<R>;
  /** Compute, returning the document and a writer of the command's files. */
  execute(params: P, options?: TaskRunOptions): Promise<TaskOutput<R>>;
}

/** A task from its validator and executor (`run` is `execute` without the files). */
export function defineTask<P extends object, R extends object>(task: Omit<Task<P, R>, 'run'>): Task<P, R> {
  return { ...task, run: async (params, options) => (await task.execute(params, options)).document };
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

/**
 * Let the event loop run (a zero-delay timer, so signal handlers and worker messages get their
 * turn), then throw `TaskCancelledError` if the signal was aborted meanwhile.
 */
export async function yieldToEventLoop(signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfAborted(signal);
}

/**
 * A cooperative checkpoint for long synchronous loops: call `tick()` often (it is cheap); about
 * every `sliceMs` of work it yields to the event loop and throws if the signal was aborted.
 */
export function cooperative(signal?: AbortSignal, sliceMs = 50): { tick(): Promise<void> | undefined } {
  const slice = timeSlice(sliceMs);
  return {
    tick() {
      return slice.tick()?.then(() => throwIfAborted(signal));
    },
  };
}
