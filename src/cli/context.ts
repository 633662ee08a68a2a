import { compileWasmOptimised } from './wasmTiering.ts';

/**
 * Where a command writes: stdout for the single JSON document (`--json`) or the
 * human summary, stderr for logs and progress. Tests pass an in-memory context.
 * The context also carries the one AbortSignal of the run (SIGINT, SIGTERM, SIGHUP).
 */
export interface CliContext {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars) or a pipe/file (plain log lines). */
  readonly isTTY: boolean;
  /** Current time in ms, for progress throttling (injectable for tests). */
  now(): number;
  /** Aborted when the run must stop; its `reason` is the signal name (e.g. 'SIGTERM'). */
  readonly signal?: AbortSignal;
}

/** The signals that cancel a run, with the exit status each gives (128 + signal number). */
export const CANCEL_SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type CancelSignal = keyof typeof CANCEL_SIGNALS;

/** The exit status of a run cancelled for `reason` (130 unless it names SIGTERM or SIGHUP). */
export function cancelStatus(reason: unknown): number {
  return typeof reason === 'string' && Object.hasOwn(CANCEL_SIGNALS, reason)
    ? CANCEL_SIGNALS[reason as CancelSignal]
    : CANCEL_SIGNALS.SIGINT;
}

/**
 * The real process: stdout/stderr, and one AbortController aborted by the first SIGINT, SIGTERM
 * or SIGHUP (the handlers stay installed, so a repeated signal does not kill the process before
 * it has removed its partial output).
 */
export function processContext(): CliContext {
  // Node's optimising WebAssembly compiler from the start (wasmTiering.ts: measured 1.3× on the kernels).
  compileWasmOptimised();
  const controller = new AbortController();
  for (const name of Object.keys(CANCEL_SIGNALS) as CancelSignal[]) {
    process.on(name, () => {
      if (!controller.signal.aborted) controller.abort(name);
    });
  }
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    now: () => Date.now(),
    signal: controller.signal,
  };
}

/** A context that records everything, for in-process command tests; `controller` cancels the run. */
export function memoryContext(): CliContext & { out: string; err: string; controller: AbortController } {
  const controller = new AbortController();
  const ctx = {
    out: '',
    err: '',
    isTTY: false,
    controller,
    signal: controller.signal,
    stdout(text: string) {
      ctx.out += text;
    },
    stderr(text: string) {
      ctx.err += text;
    },
    now: () => Date.now(),
  };
  return ctx;
}
