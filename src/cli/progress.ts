/**
 * Progress for long runs, TTY-aware (DEVELOPERS.md): a cli-progress bar on a
 * terminal; plain log lines at most every few seconds when stderr is a pipe or
 * file; JSON lines (`{"progress": …}`) on stderr with `--json`.
 */
import cliProgress from 'cli-progress';
import type { CliContext } from './context.ts';

export interface Progress {
  /** Report the current value (0…total) and an optional status text. */
  update(value: number, status?: string): void;
  /** Finish: the bar is completed and closed; `'aborted'` reports where it stopped instead. */
  stop(outcome?: 'done' | 'aborted'): void;
}

export interface ProgressOptions {
  /** What is being done, e.g. "dmft adaptive". */
  label: string;
  /** The value that means done. */
  total: number;
  /** Emit JSON lines instead of text. */
  json?: boolean;
  /** Minimum interval between plain/JSON lines, ms (default 2000). */
  intervalMs?: number;
}

export function createProgress(ctx: CliContext, options: ProgressOptions): Progress {
  const { label, total } = options;
  const interval = options.intervalMs ?? 2000;
  if (ctx.isTTY && !options.json) {
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {status}`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { status: '' });
    return {
      update: (value, status = '') => bar.update(Math.min(value, total), { status }),
      stop: (outcome = 'done') => {
        if (outcome === 'done') bar.update(total);
        else bar.update({ status: 'aborted' });
        bar.stop();
      },
    };
  }
  let last = Number.NEGATIVE_INFINITY;
  let current = 0;
  const emit = (value: number, status: string, done: boolean) => {
    const fraction = total > 0 ? Math.min(1, value / total) : 1;
    if (options.json) {
      ctx.stderr(`${JSON.stringify({ progress: { label, value, total, fraction, status, done } })}\n`);
    } else {
      ctx.stderr(
        `${label}: ${(100 * fraction).toFixed(1)}%${status ? ` ${status}` : ''}${done ? ' (done)' : ''}\n`,
      );
    }
  };
  return {
    update(value, status = '') {
      current = value;
      const now = ctx.now();
      if (now - last < interval) return;
      last = now;
      emit(value, status, false);
    },
    stop(outcome = 'done') {
      if (outcome === 'done') emit(total, '', true);
      else emit(current, 'aborted', false);
    },
  };
}
