/**
 * Where a command writes: stdout for the single JSON document (`--json`) or the
 * human summary, stderr for logs and progress. Tests pass an in-memory context.
 */
export interface CliContext {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars) or a pipe/file (plain log lines). */
  readonly isTTY: boolean;
  /** Current time in ms, for progress throttling (injectable for tests). */
  now(): number;
}

export function processContext(): CliContext {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    now: () => Date.now(),
  };
}

/** A context that records everything, for in-process command tests. */
export function memoryContext(): CliContext & { out: string; err: string } {
  const ctx = {
    out: '',
    err: '',
    isTTY: false,
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
