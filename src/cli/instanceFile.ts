/**
 * Instance files (`saddlesurf sample --out inst.npz`; `--instance inst.npz` in other
 * commands): an NPZ archive with the entries of `instanceToNpzEntries` (src/model)
 * plus `params`, the UTF-8 bytes of the `paramsDocument` JSON (provenance).
 */
import { readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { unzipSync } from 'fflate';
import { decodeNpy, decodeNpz, encodeNpz, type NpyArray } from '../io/index.ts';
import { zipDirectory } from '../io/npz.ts';
import {
  binomial,
  type Channel,
  checkInstanceSize,
  type Instance,
  instanceFromNpzEntries,
  instanceToNpzEntries,
  type ModelParams,
  modelChannels,
  modelFromChannels,
  packedTensorLength,
} from '../model/index.ts';
import { UsageError } from './errors.ts';
import { modelParams } from './options.ts';

/**
 * Memory budget for the instance: a quarter of the machine's memory, because writing
 * holds about three more copies of the tensor (NPY encoding, zip archive, file buffer).
 */
export function sampleMemoryBudget(): number {
  return totalmem() / 4;
}

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
 * `explicit` holds the raw commander options, to tell given flags from defaults.
 */
export function resolveInstance(
  o: InstanceChoice,
  explicit: Readonly<Record<string, unknown>>,
): { readonly inst: Instance; readonly plan: null } | { readonly inst: null; readonly plan: SamplingPlan } {
  if (o.instance !== undefined) {
    const inst = loadInstanceFile(o.instance);
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
  const plan = { n: o.n, ...params, seed: o.seed, maxBytes: sampleMemoryBudget() };
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

/** ‖x*‖² = N is checked to this relative accuracy: sampled signals meet it to ~1e-15. */
export const SIGNAL_NORM_TOLERANCE = 1e-9;

/**
 * What the instance table (src/model/instanceEntries.ts) documents beyond what the
 * model checks: the dtype as stored (an int64 signal decodes into a Float64Array),
 * exact shapes, and a signal on the sphere, ‖x*‖² = N (THEORY §1). Throws naming the entry.
 */
export function checkInstanceEntries(inst: Instance, entries: Readonly<Record<string, NpyArray>>): void {
  const expect = (name: string, dtypes: readonly string[], shape: readonly number[]) => {
    const entry = entries[name];
    if (entry === undefined) return;
    if (entry.descr !== undefined && !dtypes.includes(entry.descr))
      throw new Error(
        `instance entry '${name}' must be ${dtypes.map(dtypeName).join(' or ')}, got ${entry.descr}`,
      );
    if (entry.shape.join() !== shape.join())
      throw new Error(
        `instance entry '${name}' must have shape (${shape.join(', ')}), got (${entry.shape.join(', ')})`,
      );
  };
  expect('signal', ['<f8'], [inst.n]);
  expect('matrix', ['<f8'], [inst.n, inst.n]);
  expect('tensor', ['<f8', '<f4'], [packedTensorLength(inst.n, inst.p)]);
  for (const c of inst.extraTensors ?? [])
    expect(`tensor${c.order}`, ['<f8', '<f4'], [packedTensorLength(inst.n, c.order)]);
  let norm2 = 0;
  for (const x of inst.signal) norm2 += x * x;
  if (!(Math.abs(norm2 - inst.n) <= SIGNAL_NORM_TOLERANCE * inst.n))
    throw new Error(
      `instance entry 'signal' has |x*|² = ${norm2} but must equal N = ${inst.n} (to ${SIGNAL_NORM_TOLERANCE} relative)`,
    );
}

/** NPY header bytes allowed on top of the data (numpy writes 128; a generous bound). */
const NPY_HEADER_ALLOWANCE = 4096;

/**
 * Refuse an archive whose entries claim more bytes than the documented instance of its
 * own N and p needs, before anything is inflated: a small deflated file may otherwise
 * unpack to gigabytes.
 */
function checkDeclaredSizes(bytes: Uint8Array): void {
  const directory = zipDirectory(bytes);
  const small = (e: { size: number }) => e.size <= NPY_HEADER_ALLOWANCE + 8;
  for (const e of directory)
    if (['n.npy', 'p.npy'].includes(e.name) && !small(e))
      throw new Error(`entry '${e.name}' claims ${e.size} bytes for one number`);
  const files = unzipSync(bytes, { filter: (f) => f.name === 'n.npy' || f.name === 'p.npy' });
  const scalar = (name: string) => (files[name] ? Number(decodeNpy(files[name]).data[0]) : Number.NaN);
  const n = scalar('n.npy');
  const p = scalar('p.npy');
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(p) || n < 1 || p < 1) return; // the model check names it
  const dataBytes: Record<string, number> = {
    'signal.npy': 8 * n,
    'matrix.npy': 8 * n * n,
    'tensor.npy': 8 * packedTensorLength(n, p),
  };
  // Extra tensor channels `tensor<k>` (k > p, src/model/instanceEntries.ts): C(n, k) entries.
  const extraBytes = (name: string) => {
    const k = /^tensor(\d+)\.npy$/.exec(name);
    return k && Number(k[1]) <= n ? 8 * binomial(n, Number(k[1])) : undefined;
  };
  for (const e of directory) {
    const limit = (dataBytes[e.name] ?? extraBytes(e.name) ?? 2 ** 20) + NPY_HEADER_ALLOWANCE;
    if (e.size > limit)
      throw new Error(
        `entry '${e.name}' claims ${e.size} bytes unpacked; an instance with N = ${n}, p = ${p} needs at most ${limit}`,
      );
  }
}

const dtypeName = (descr: string) => ({ '<f8': 'float64', '<f4': 'float32' })[descr] ?? descr;

/**
 * Read and validate an instance file. Any problem (missing, unreadable, not an NPZ,
 * duplicate or inconsistent entries, a signal off the sphere) is a UsageError naming
 * `flag` → exit status 2.
 */
export function loadInstanceFile(path: string, flag = '--instance'): Instance {
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(flag, `cannot read instance file ${path}: ${(error as Error).message}`);
  }
  try {
    checkDeclaredSizes(bytes);
    const entries = decodeNpz(bytes);
    const inst = instanceFromNpzEntries(entries);
    checkInstanceEntries(inst, entries);
    return inst;
  } catch (error) {
    throw new UsageError(
      flag,
      `${path} is not a valid saddlesurf instance file (write one with 'saddlesurf sample'): ${(error as Error).message}`,
    );
  }
}
