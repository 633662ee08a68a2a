/**
 * Running worker jobs from components: a hook that (re)starts a job on its lane
 * whenever its key changes, after a short debounce (dragging across the phase
 * diagram changes the point many times a second; only the point where the pointer
 * rests is worth computing), and reports progress and the result.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Lane, type Remote, Superseded } from './lane.ts';

export type JobState<T> =
  | { kind: 'idle' }
  | { kind: 'running'; progress: number | undefined; detail: string }
  | { kind: 'done'; value: T; ms: number }
  | { kind: 'error'; message: string };

export interface JobContext {
  /** Report progress in [0, 1] and a short text (throttled by the caller). */
  progress(fraction: number, detail: string): void;
}

/** The page's field for each flag a task may name in a UsageError (the form's labels). */
const FIELD_OF_FLAG: Readonly<Record<string, string>> = {
  '--p': 'p',
  '--deltap': 'Δp',
  '--delta2': '1/Δ2 (Δ2 = 1/(1/Δ2))',
  '--m0': 'm0',
  '--tmax': 't_max',
  '--n': 'N',
  '--seed': 'seed',
};

/**
 * What a failed job says on the page: the task's message as the CLI prints it (a UsageError
 * names its flag, `--m0: must be …`), led by the page's field for that flag.
 * @example
 * jobErrorText(Object.assign(new Error("--m0: must be a real number in [0, 1), got '1'"), { name: 'UsageError' }));
 * // "m0 (--m0): must be a real number in [0, 1), got '1'"
 */
export function jobErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!(error instanceof Error) || error.name !== 'UsageError') return message;
  const flag = /^(--[a-z0-9-]+): /.exec(message)?.[1];
  const field = flag === undefined ? undefined : FIELD_OF_FLAG[flag];
  return field === undefined ? message : `${field} (${flag}): ${message.slice(flag!.length + 2)}`;
}

/** Debounce before a job starts, in ms (long enough to skip intermediate drag positions). */
export const JOB_DEBOUNCE_MS = 120;

/**
 * Run `job` on `lane` for each new `key` (a string naming every input of the job).
 * A new key cancels the running job (its worker is terminated).
 */
export function useJob<T>(
  lane: Lane,
  key: string | null,
  job: (remote: Remote, ctx: JobContext) => Promise<T>,
): JobState<T> {
  const [state, setState] = useState<JobState<T>>({ kind: 'idle' });
  const jobRef = useRef(job);
  jobRef.current = job;
  useEffect(() => {
    if (key === null) {
      lane.cancel();
      setState({ kind: 'idle' });
      return;
    }
    let live = true;
    setState({ kind: 'running', progress: undefined, detail: 'starting…' });
    const timer = setTimeout(() => {
      const start = performance.now();
      // Progress callbacks travel on their own MessagePort, so one may arrive after the
      // result: once the job has settled, late progress is dropped.
      let settled = false;
      const ctx: JobContext = {
        progress(fraction, detail) {
          if (live && !settled) setState({ kind: 'running', progress: fraction, detail });
        },
      };
      lane
        .run((remote) => jobRef.current(remote, ctx))
        .then(
          (value) => {
            settled = true;
            if (live) setState({ kind: 'done', value, ms: performance.now() - start });
          },
          (error: unknown) => {
            settled = true;
            if (!live || error instanceof Superseded) return;
            setState({ kind: 'error', message: jobErrorText(error) });
          },
        );
    }, JOB_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      lane.cancel();
    };
  }, [lane, key]);
  return state;
}
