/**
 * Instance files (`saddlesurf sample --out inst.npz`; `--instance inst.npz` in other
 * commands): an NPZ archive with the entries of `instanceToNpzEntries` (src/model)
 * plus `params`, the UTF-8 bytes of the `paramsDocument` JSON (provenance).
 */
import { readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { decodeNpz, encodeNpz, type NpyArray } from '../io/index.ts';
import {
  checkInstanceSize,
  type Instance,
  instanceFromNpzEntries,
  instanceToNpzEntries,
  type SpikedParams,
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
export interface SamplingPlan extends SpikedParams {
  readonly n: number;
  readonly seed: number;
  readonly maxBytes: number;
}

/**
 * The instance a command works on, decided before anything is computed or written:
 * loaded from `--instance` (model flags given explicitly must agree with the file: no
 * silent override), or a sampling plan from `--n --p --delta2 --deltap --seed`, checked
 * against the memory budget (a refusal names `--n` and suggests a smaller N).
 * `explicit` holds the raw commander options, to tell given flags from defaults.
 */
export function resolveInstance(
  o: { instance?: string; n: number; p: number; delta2: number; deltap: number; seed: number },
  explicit: Readonly<Record<string, unknown>>,
): { readonly inst: Instance; readonly plan: null } | { readonly inst: null; readonly plan: SamplingPlan } {
  if (o.instance !== undefined) {
    const inst = loadInstanceFile(o.instance);
    const fromFile = { n: inst.n, p: inst.p, delta2: inst.delta2, deltap: inst.deltap } as const;
    for (const key of ['n', 'p', 'delta2', 'deltap'] as const) {
      if (explicit[key] !== undefined && o[key] !== fromFile[key]) {
        throw new UsageError(
          `--${key}`,
          `is ${o[key]} but the instance file has ${fromFile[key]}; omit it or make them agree`,
        );
      }
    }
    return { inst, plan: null };
  }
  const params = modelParams(o);
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

/**
 * Read and validate an instance file. Any problem (missing, unreadable, not an NPZ,
 * inconsistent entries) is a UsageError naming `flag` → exit status 2.
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
    return instanceFromNpzEntries(decodeNpz(bytes));
  } catch (error) {
    throw new UsageError(
      flag,
      `${path} is not a valid saddlesurf instance file (write one with 'saddlesurf sample'): ${(error as Error).message}`,
    );
  }
}
