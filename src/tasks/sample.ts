/**
 * The `sample` task: draw one finite-N instance of the spiked matrix–tensor model (THEORY §1).
 * Its file is `instance.npz` (the CLI writes it under the name `--out` gives), an NPZ archive
 * numpy loads (src/cli/instanceFile.ts reads it back) with the provenance document as its `params` entry. The
 * document: `{"n", "p", "delta2", "deltap", "seed", "precision", "tensorEntries", "bytes",
 * "energyAtSignalPerN"}` (H(x*)/N ≈ −f(1) for large N, THEORY §1.1, a quick sanity value), plus
 * `"channels"` with --channels (then p, delta2, deltap are its matrix channel and lowest tensor
 * order; `tensorEntries` counts every channel's packed entries).
 */

import {
  checkInstanceSize,
  energy,
  estimateInstanceBytes,
  type Instance,
  sampleInstanceAsync,
  type TensorPrecision,
} from '../model/index.ts';
import { NO_FILES_ENVIRONMENT } from './environment.ts';
import { choiceFlag, integerFlag } from './flags.ts';
import { encodeInstanceFile } from './instance.ts';
import {
  channelsFlag,
  type ModelRecord,
  modelFlags,
  modelRecord,
  recordedModel,
  seedFlag,
} from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { defineTask, TaskCancelledError, type TaskOutput, type TaskRunOptions } from './task.ts';
import { UsageError } from './usageError.ts';

/** The name of the instance file among a task's files. */
export const INSTANCE_FILE = 'instance.npz';

/**
 * The NPZ archive is built in one Uint8Array by a zip writer without zip64: both cap it at
 * 4 GiB (2^32 bytes; measured: longer typed arrays throw in Node 20).
 */
const MAX_NPZ_BYTES = 2 ** 32;
/** NPY headers, zip entries and the provenance document: a few KiB; 1 MiB is generous. */
const NPZ_OVERHEAD_BYTES = 2 ** 20;

export const sampleFlags = {
  n: integerFlag('--n', { description: 'dimension N', ge: 3, le: 100000, default: 200 }),
  ...modelFlags,
  channels: channelsFlag,
  seed: seedFlag,
  precision: choiceFlag('--precision', ['float64', 'float32'] as const, {
    description: 'storage of the packed tensor',
    default: 'float64',
  }),
} as const;

export interface SampleParams extends ModelRecord {
  readonly n: number;
  readonly seed: number;
  readonly precision: TensorPrecision;
}

export interface SampleDocument extends SampleParams {
  readonly tensorEntries: number;
  readonly bytes: number;
  readonly energyAtSignalPerN: number;
}

export const sampleTask = defineTask<SampleParams, SampleDocument>({
  name: 'sample',
  description: 'draw a finite-N instance (signal, matrix, packed tensor) and write it as .npz',
  flags: sampleFlags,
  validate(raw, environment) {
    const { values: o, given } = parseParams('sample', sampleFlags, raw);
    const model = modelRecord(o, given);
    const highest = Math.max(model.p, ...(recordedModel(model).extraTensors ?? []).map((c) => c.order));
    if (model.channels !== undefined && highest > o.n)
      throw new UsageError('--channels', `tensor orders must not exceed --n (${o.n}), got ${highest}`);
    if (o.p > o.n) throw new UsageError('--p', `must not exceed --n (${o.n}), got ${o.p}`);
    const params: SampleParams = { n: o.n, ...model, seed: o.seed, precision: o.precision };
    const options = {
      ...params,
      ...recordedModel(params),
      maxBytes: (environment ?? NO_FILES_ENVIRONMENT).memoryBudget(),
    };
    try {
      checkInstanceSize(options);
    } catch (error) {
      throw new UsageError('--n', (error as Error).message);
    }
    const bytes = estimateInstanceBytes(options);
    if (bytes + NPZ_OVERHEAD_BYTES > MAX_NPZ_BYTES) {
      throw new UsageError(
        '--n',
        `an instance of ${(bytes / 2 ** 30).toFixed(2)} GiB does not fit in one .npz file (at most 4 GiB: ` +
          `the zip writer has no zip64); use ${o.precision === 'float64' ? '--precision float32 or ' : ''}a smaller --n`,
      );
    }
    return params;
  },
  execute: executeSample,
});

/** What a sample run produced: the instance itself beside its document and file. */
export interface SampleOutput extends TaskOutput<SampleDocument> {
  /** The provenance `instance.npz` records as its `params` entry: version, command, parameters, seed. */
  readonly provenance: ReturnType<typeof paramsDocument>;
  /** The instance drawn (what `instance.npz` holds). */
  readonly instance: Instance;
}

/** The sample task's `execute` (the explorer's worker calls it directly for the instance). */
export async function executeSample(
  params: SampleParams,
  options: TaskRunOptions = {},
): Promise<SampleOutput> {
  const { signal, onProgress, environment = NO_FILES_ENVIRONMENT } = options;
  const inst = await sampleInstanceAsync({
    ...params,
    ...recordedModel(params),
    maxBytes: environment.memoryBudget(),
    shouldStop: () => signal?.aborted ?? false,
    onProgress,
  });
  if (inst === null) throw new TaskCancelledError('interrupted while sampling');
  const { n, p, delta2, deltap, seed, precision } = params;
  const channels = params.channels === undefined ? {} : { channels: params.channels };
  const document: SampleDocument = {
    n,
    p,
    delta2,
    deltap,
    ...channels,
    seed,
    precision,
    tensorEntries: (inst.extraTensors ?? []).reduce((a, c) => a + c.tensor.length, inst.tensor?.length ?? 0),
    bytes: estimateInstanceBytes({ ...params, ...recordedModel(params) }),
    energyAtSignalPerN: energy(inst, inst.signal) / n,
  };
  const provenance = paramsDocument('sample', { n, p, delta2, deltap, ...channels, precision }, { seed });
  return {
    document,
    provenance,
    instance: inst,
    write(files) {
      files.bytes(INSTANCE_FILE, encodeInstanceFile(inst, provenance));
    },
  };
}
