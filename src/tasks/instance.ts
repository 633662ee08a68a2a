/**
 * The instance a finite-N task works on: loaded from an instance file (checked in `validate`),
 * or sampled from N, p, Δ2, Δp (or the channel set of --channels) and the seed, cancellably (the
 * draw returns to the event loop about every 50 ms and stops when the signal is aborted).
 */
import {
  type InstanceChoice,
  loadInstanceFile,
  resolveInstance,
  sampleMemoryBudget,
} from '../cli/instanceFile.ts';
import { type ModelRecord, modelRecord, recordedModel } from '../cli/options.ts';
import { type Instance, modelChannels, sampleInstanceAsync } from '../model/index.ts';
import { TaskCancelledError, type TaskRunOptions } from './task.ts';

/** Where the instance comes from, as recorded in the parameters. */
export interface InstanceSource extends ModelRecord {
  readonly n: number;
  /** The instance file, or null to sample with `instanceSeed`. */
  readonly instance: string | null;
  readonly instanceSeed: number;
}

/** Instances loaded during validation, reused by the run of the same parameters object. */
const loaded = new WeakMap<object, Instance>();

/**
 * Check the instance choice (file readable and consistent with explicitly given model flags, or
 * a sampling plan within the memory budget). `given` are the parameter keys given explicitly.
 */
export function validateInstance(
  o: InstanceChoice,
  given: ReadonlySet<string>,
): { source: InstanceSource; inst: Instance | null } {
  const explicit = Object.fromEntries([...given].map((k) => [k, true]));
  // --channels is exclusive with --p/--delta2/--deltap (exit 2 naming the one given).
  const record = modelRecord(o, given);
  const r = resolveInstance({ ...o, ...record }, explicit);
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
  if (params.instance !== null) return loadInstanceFile(params.instance);
  const { signal, onProgress } = options;
  const inst = await sampleInstanceAsync({
    n: params.n,
    p: params.p,
    delta2: params.delta2,
    deltap: params.deltap,
    extraTensors: recordedModel(params).extraTensors,
    seed: params.instanceSeed,
    maxBytes: sampleMemoryBudget(),
    shouldStop: () => signal?.aborted ?? false,
    onProgress: onProgress && ((f) => onProgress(share * f)),
  });
  if (inst === null) throw new TaskCancelledError('interrupted while sampling the instance');
  return inst;
}
