/**
 * The registry of computing commands by name, shared by the CLI, `sweep` workers, `reproduce`
 * and the web worker. Each task validates raw parameters (`validate`: UsageError naming the flag,
 * exit 2), computes with an AbortSignal and progress (`run`: the `--json` document; `execute`:
 * the document and the command's files).
 */
import { ampTask } from './amp.ts';
import { censusTask } from './census.ts';
import { dmftTask } from './dmft.ts';
import { flowTask } from './flow.ts';
import { landscapeTask } from './landscape.ts';
import { phaseDiagramTask } from './phaseDiagram.ts';
import { sampleTask } from './sample.ts';
import type { Task } from './task.ts';
import { thresholdsTask } from './thresholds.ts';

export type { AmpDocument, AmpParameters, AmpParams } from './amp.ts';
export type { DmftDocument, DmftParams } from './dmft.ts';
export type { FlowDocument, FlowParameters, FlowParams } from './flow.ts';
export type { LandscapeDocument, LandscapeParams } from './landscape.ts';
export { type FlagSet, type FlagValues, flagKey, parseParams } from './params.ts';
export type { PhaseDiagramDocument, PhaseDiagramParams } from './phaseDiagram.ts';
export type { SampleDocument, SampleParams } from './sample.ts';
export { DEFAULT_ESCAPE_LEVEL } from './shared.ts';
export {
  cooperative,
  defineTask,
  type Task,
  TaskCancelledError,
  type TaskFiles,
  type TaskOutput,
  type TaskRunOptions,
  throwIfAborted,
  yieldToEventLoop,
} from './task.ts';
export type { ThresholdsDocument, ThresholdsParams } from './thresholds.ts';

/** Any task (parameters and document types erased). */
// biome-ignore lint/suspicious/noExplicitAny: a registry of tasks with different parameter types
export type AnyTask = Task<any, any>;

/** Every computing command by its CLI name. */
export const tasks = {
  amp: ampTask,
  census: censusTask,
  dmft: dmftTask,
  flow: flowTask,
  landscape: landscapeTask,
  'phase-diagram': phaseDiagramTask,
  sample: sampleTask,
  thresholds: thresholdsTask,
} as const satisfies Readonly<Record<string, AnyTask>>;

export type TaskName = keyof typeof tasks;

/** The task of a command name, or undefined when there is none. */
export function getTask(name: string): AnyTask | undefined {
  return Object.hasOwn(tasks, name) ? tasks[name as TaskName] : undefined;
}
