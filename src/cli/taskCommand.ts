/**
 * A CLI command over a task (src/tasks): flags → `task.validate` → `task.execute` → output.
 * The shared CLI flags: `--out DIR` (required unless `--json` is given: then the results go to
 * stdout only and no file is written), `--force`, `--json`, and `--plot` where the command has a
 * figure, `--checkpoint-every` and `--resume` where it is a long single run (checkpoint.ts). The run is cancelled through the context's AbortSignal (SIGINT, SIGTERM, SIGHUP); a
 * cancelled or failed run leaves nothing under `--out` and no partial directory.
 */
import type { Command } from 'commander';
import { checkOutputTarget, withOutputDir } from '../files/index.ts';
import { toJson } from '../io/json.ts';
import {
  type AnyTask,
  type TaskFiles,
  type TaskOutput,
  type TaskRunOptions,
  throwIfAborted,
} from '../tasks/index.ts';
import { forgetLoadedInstances } from '../tasks/instance.ts';
import {
  type CheckpointPlan,
  checkpointFlags,
  checkpointHooks,
  holdingCheckpoint,
  openCheckpoint,
  withResumedFrom,
} from './checkpoint.ts';
import type { CommandModule } from './command.ts';
import type { CliContext } from './context.ts';
import { UsageError } from './errors.ts';
import { addFlags, type Flag, readFlags, switchFlag } from './flags.ts';
import { executeIsolated } from './isolated.ts';
import { forceFlag, jsonFlag, outFlag } from './options.ts';
import { createProgress } from './progress.ts';

/**
 * `--plot`: draw the task's figure with the builders `reproduce` uses (src/reproduce/render.ts)
 * and write `<name>.svg` and `<name>.png` (resvg). The plotting modules load only when asked.
 */
export async function writeFigure(output: TaskOutput<object>, files: TaskFiles): Promise<void> {
  const figure = await output.figure?.();
  if (figure === undefined) return;
  const [{ createHeadlessDocument, svgToPng, svgToString }, { renderFigure }] = await Promise.all([
    import('../plot/node.ts'),
    import('../reproduce/render.ts'),
  ]);
  const svg = svgToString(renderFigure(figure.spec, createHeadlessDocument()));
  files.text(`${figure.name}.svg`, svg);
  files.bytes(`${figure.name}.png`, svgToPng(svg));
}

export interface TaskCommandOptions<P extends object, R extends object> {
  readonly task: AnyTask & { validate(raw: Readonly<Record<string, unknown>>): P };
  /** The human summary printed without `--json` (`out` is the directory written). */
  summary(document: R, params: P, out: string): string;
  /** Progress label (default: the command name). */
  label?(params: P): string;
  /** A warning to print on stderr after a successful run (null: none). */
  warning?(document: R): string | null;
  /** Whether the command has `--plot` (its task returns a figure). */
  plot?: boolean;
  /** Whether the command has `--checkpoint-every` and `--resume` (checkpoint.ts). */
  checkpoint?: boolean;
  /** Whether a run is so heavy that it runs on a worker thread a signal terminates (isolated.ts). */
  isolate?(params: P): boolean;
}

export const plotFlag = switchFlag('--plot', 'also draw the figure as SVG and PNG into --out');

/** The raw values of the task's flags that were given on the command line (strings and switches). */
export function givenTaskFlags(cmd: Command, flags: Readonly<Record<string, Flag<unknown>>>) {
  const opts = cmd.opts() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(flags)) if (opts[key] !== undefined) raw[key] = opts[key];
  return raw;
}

/** Progress callbacks of a task, shown as a bar, log lines or JSON lines on stderr. */
export function taskProgress(ctx: CliContext, label: string, json: boolean) {
  const progress = createProgress(ctx, { label, total: 1, json });
  const onProgress: NonNullable<TaskRunOptions['onProgress']> = (fraction, values) => {
    const status = values
      ? Object.entries(values)
          .map(([k, v]) => `${k} = ${v.toPrecision(4)}`)
          .join(', ')
      : '';
    progress.update(fraction, status);
  };
  return { onProgress, stop: (outcome: 'done' | 'aborted') => progress.stop(outcome) };
}

/** Run a task's `execute` with progress, then check the signal once more before anything is kept. */
export async function executeWithProgress<R extends object>(
  ctx: CliContext,
  task: AnyTask,
  params: object,
  label: string,
  json: boolean,
  run?: (onProgress: ReturnType<typeof taskProgress>['onProgress']) => Promise<TaskOutput<R>>,
): Promise<TaskOutput<R>> {
  const progress = taskProgress(ctx, label, json);
  let output: TaskOutput<R>;
  try {
    output = await (run?.(progress.onProgress) ??
      task.execute(params, { signal: ctx.signal, onProgress: progress.onProgress }));
    throwIfAborted(ctx.signal);
  } catch (error) {
    progress.stop('aborted');
    throw error;
  }
  // A partial result (a dmft run that could not continue) is kept, but its progress line must not
  // read "done".
  progress.stop((output.document as { status?: string }).status === 'partial' ? 'aborted' : 'done');
  return output;
}

/**
 * How the task runs: in process with checkpoint hooks, or isolated on a worker thread (which
 * applies the plan itself); undefined: in process, plainly.
 */
function runner<R extends object>(
  ctx: CliContext,
  task: AnyTask,
  params: object,
  raw: Readonly<Record<string, unknown>>,
  plan: CheckpointPlan | null,
  isolate: boolean,
  plot: boolean,
) {
  type OnProgress = ReturnType<typeof taskProgress>['onProgress'];
  if (isolate) {
    // The thread validates and loads the instance itself: do not hold a second copy here.
    forgetLoadedInstances();
    return (onProgress: OnProgress) =>
      executeIsolated<R>(ctx, { command: task.name, raw, plan, plot }, onProgress);
  }
  if (plan === null) return undefined;
  return (onProgress: OnProgress) =>
    task.execute(params, { signal: ctx.signal, onProgress, checkpoint: checkpointHooks(plan) }) as Promise<
      TaskOutput<R>
    >;
}

/** A command whose flags are the task's plus `--out`, `--force`, `--json` (and `--plot`). */
export function taskCommand<P extends object, R extends object>(
  options: TaskCommandOptions<P, R>,
): CommandModule {
  const { task } = options;
  const cliFlags = {
    out: outFlag(false, 'output directory (optional with --json: then no files are written)'),
    force: forceFlag,
    json: jsonFlag,
    ...(options.plot ? { plot: plotFlag } : {}),
    ...(options.checkpoint ? checkpointFlags : {}),
  };
  return {
    name: task.name,
    register(program, ctx) {
      const cmd = program.command(task.name).description(task.description);
      addFlags(cmd, { ...task.flags, ...cliFlags }).action(async () => {
        const o = readFlags(cmd, cliFlags) as {
          out?: string;
          force: boolean;
          json: boolean;
          plot?: boolean;
          checkpointEvery?: number;
          resume?: boolean;
        };
        const params = options.task.validate(givenTaskFlags(cmd, task.flags));
        if (o.out === undefined) {
          if (!o.json) throw new UsageError('--out', 'is required unless --json is given');
          if (o.force) throw new UsageError('--force', 'needs --out');
          if (o.plot) throw new UsageError('--plot', 'needs --out (the figures are files)');
        } else checkOutputTarget(o.out, o.force);
        const label = options.label?.(params) ?? task.name;
        const out = o.out;
        const plan = openCheckpoint({
          command: task.name,
          flags: task.flags,
          params,
          out,
          force: o.force,
          every: o.checkpointEvery,
          resume: o.resume === true,
          ctx,
        });
        const raw = givenTaskFlags(cmd, task.flags);
        const isolated = options.isolate?.(params) === true;
        const run = runner<R>(ctx, task, params, raw, plan, isolated, o.plot === true);
        const document = await holdingCheckpoint(plan, async () =>
          out === undefined
            ? (await executeWithProgress<R>(ctx, task, params, label, true, run)).document
            : await withOutputDir(out, o.force, async (dir) => {
                const output = await executeWithProgress<R>(ctx, task, params, label, o.json, run);
                // An isolated run's thread has recorded resumedFrom already.
                output.write(plan === null || isolated ? dir : withResumedFrom(dir, plan.resumedFrom));
                if (o.plot) await writeFigure(output, dir);
                throwIfAborted(ctx.signal);
                return output.document;
              }),
        );
        const warning = options.warning?.(document) ?? null;
        if (warning !== null) ctx.stderr(`warning: ${warning}\n`);
        if (o.json) ctx.stdout(toJson({ ...document, out: out ?? null }, 0));
        else ctx.stdout(options.summary(document, params, out as string));
      });
    },
  };
}
