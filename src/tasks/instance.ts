/**
 * The instance a finite-N task works on: loaded from an instance file (read by the shell's
 * environment in `validate`, environment.ts), or sampled from N, p, Δ2, Δp (or the channel set
 * of --channels) and the seed, cancellably (the draw returns to the event loop about every 50 ms
 * and stops when the signal is aborted). Instance files are NPZ archives (src/cli/instanceFile.ts
 * reads them) with the provenance document as their `params` entry.
 */
import { encodeNpz, type NpyArray } from '../io/index.ts';
import {
  type Channel,
  checkInstanceSize,
  type Instance,
  instanceToNpzEntries,
  type ModelParams,
  modelChannels,
  modelFromChannels,
  sampleInstanceAsync,
} from '../model/index.ts';
import { NO_FILES_ENVIRONMENT, type TaskEnvironment } from './environment.ts';
import { type ModelRecord, modelParams, modelRecord, recordedModel } from './options.ts';
import { TaskCancelledError, type TaskRunOptions } from './task.ts';
import { UsageError } from './usageError.ts';

/** What a command samples when no `--instance` is given. */
export interface SamplingPlan extends ModelParams {
  readonly n: number;
  readonly seed: number;
  readonly maxBytes: number;
}

/** The flags that choose a command's instance: a file, or what to sample. */
export interface InstanceChoice {
  readonly instance?: string;
  readonly n: number;
  readonly p: number;
  readonly delta2: number;
  readonly deltap: number;
  readonly seed: number;
  /** The channel set of --channels (exclusive with --p/--delta2/--deltap, checked by the caller). */
  readonly channels?: ReadonlyArray<Channel>;
}

/**
 * The instance a command works on, decided before anything is computed or written:
 * loaded from `--instance` (model flags given explicitly must agree with the file: no
 * silent override), or a sampling plan from `--n --p --delta2 --deltap --seed`, checked
 * against the memory budget (a refusal names `--n` and suggests a smaller N).
 * `explicit` holds the raw commander options, to tell given flags from defaults; the file is
 * read by the shell's `environment`.
 */
export function resolveInstance(
  o: InstanceChoice,
  explicit: Readonly<Record<string, unknown>>,
  environment: TaskEnvironment,
): { readonly inst: Instance; readonly plan: null } | { readonly inst: null; readonly plan: SamplingPlan } {
  if (o.instance !== undefined) {
    const inst = environment.readInstance(o.instance, '--instance');
    const text = (m: ModelParams) =>
      modelChannels(m)
        .filter((c) => c.delta !== Number.POSITIVE_INFINITY)
        .map((c) => `${c.order}:${c.delta}`)
        .join(',');
    if (o.channels !== undefined) {
      const given = text(modelFromChannels(o.channels));
      if (given !== text(inst))
        throw new UsageError(
          '--channels',
          `is ${given} but the instance file has ${text(inst)}; omit it or make them agree`,
        );
    }
    const fromFile = { n: inst.n, p: inst.p, delta2: inst.delta2, deltap: inst.deltap } as const;
    for (const key of ['n', 'p', 'delta2', 'deltap'] as const) {
      if (key !== 'n' && o.channels !== undefined) continue; // compared as channels above
      if (explicit[key] !== undefined && (inst.extraTensors?.length ?? 0) > 0 && key !== 'n')
        throw new UsageError(
          `--${key}`,
          `the instance file has the channels ${text(inst)}; name them with --channels or omit the model flags`,
        );
      if (explicit[key] !== undefined && o[key] !== fromFile[key]) {
        throw new UsageError(
          `--${key}`,
          `is ${o[key]} but the instance file has ${fromFile[key]}; omit it or make them agree`,
        );
      }
    }
    return { inst, plan: null };
  }
  const params: ModelParams = o.channels === undefined ? modelParams(o) : modelFromChannels(o.channels);
  const highest = Math.max(params.p, ...(params.extraTensors ?? []).map((c) => c.order));
  if (o.channels !== undefined && highest > o.n && params.deltap !== Number.POSITIVE_INFINITY)
    throw new UsageError('--channels', `tensor orders must not exceed --n (${o.n}), got ${highest}`);
  if (o.p > o.n) throw new UsageError('--p', `must not exceed --n (${o.n}), got ${o.p}`);
  const plan = { n: o.n, ...params, seed: o.seed, maxBytes: environment.memoryBudget() };
  try {
    checkInstanceSize(plan);
  } catch (error) {
    throw new UsageError('--n', (error as Error).message);
  }
  return { inst: null, plan };
}

/** The NPZ bytes of an instance, with its provenance document as a `params` uint8 entry. */
export function encodeInstanceFile(inst: Instance, params: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(params));
  const entries: Record<string, NpyArray> = {
    ...instanceToNpzEntries(inst),
    params: { data: text, shape: [text.length] },
  };
  return encodeNpz(entries);
}

/** Where the instance comes from, as recorded in the parameters. */
export interface InstanceSource extends ModelRecord {
  readonly n: number;
  /** The instance file, or null to sample with `instanceSeed`. */
  readonly instance: string | null;
  readonly instanceSeed: number;
}

/** Instances loaded during validation, reused by the run of the same parameters object. */
let loaded = new WeakMap<object, Instance>();

/** Drop every remembered instance (a run that executes on another thread loads its own). */
export function forgetLoadedInstances(): void {
  loaded = new WeakMap();
}

/**
 * Check the instance choice (file readable and consistent with explicitly given model flags, or
 * a sampling plan within the memory budget). `given` are the parameter keys given explicitly.
 */
export function validateInstance(
  o: InstanceChoice,
  given: ReadonlySet<string>,
  environment: TaskEnvironment = NO_FILES_ENVIRONMENT,
): { source: InstanceSource; inst: Instance | null } {
  const explicit = Object.fromEntries([...given].map((k) => [k, true]));
  // --channels is exclusive with --p/--delta2/--deltap (exit 2 naming the one given).
  const record = modelRecord(o, given);
  const r = resolveInstance({ ...o, ...record }, explicit, environment);
  const inst = r.inst;
  const model = inst ?? r.plan;
  // The channel set as recorded: the one given, or the file's when it holds extra tensor channels.
  const channels =
    record.channels ?? ((inst?.extraTensors?.length ?? 0) > 0 ? modelChannels(inst!) : undefined);
  return {
    source: {
      n: model.n,
      p: model.p,
      delta2: model.delta2,
      deltap: model.deltap,
      ...(channels === undefined ? {} : { channels }),
      instance: o.instance ?? null,
      instanceSeed: model.seed,
    },
    inst,
  };
}

/** Remember the instance loaded while validating `params` (so the run does not read it twice). */
export function rememberInstance(params: object, inst: Instance | null): void {
  if (inst !== null) loaded.set(params, inst);
}

/** The instance of validated parameters: the file's, or a cancellable draw. */
export async function obtainInstance(
  params: InstanceSource,
  options: TaskRunOptions,
  /** Share of the task's progress the draw takes (0…1). */
  share = 0.5,
): Promise<Instance> {
  const cached = loaded.get(params);
  if (cached) return cached;
  const { signal, onProgress, environment = NO_FILES_ENVIRONMENT } = options;
  if (params.instance !== null) return environment.readInstance(params.instance, '--instance');
  const inst = await sampleInstanceAsync({
    n: params.n,
    p: params.p,
    delta2: params.delta2,
    deltap: params.deltap,
    extraTensors: recordedModel(params).extraTensors,
    seed: params.instanceSeed,
    maxBytes: environment.memoryBudget(),
    shouldStop: () => signal?.aborted ?? false,
    onProgress: onProgress && ((f) => onProgress(share * f)),
  });
  if (inst === null) throw new TaskCancelledError('interrupted while sampling the instance');
  return inst;
}
