/**
 * Instance files (`saddlesurf sample --out inst.npz`; `--instance inst.npz` in other
 * commands): an NPZ archive with the entries of `instanceToNpzEntries` (src/model)
 * plus `params`, the UTF-8 bytes of the `paramsDocument` JSON (provenance).
 */
import { readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { unzipSync } from 'fflate';
import { decodeNpy, decodeNpz, type NpyArray } from '../io/index.ts';
import { zipDirectory } from '../io/npz.ts';
import { binomial, type Instance, instanceFromNpzEntries, packedTensorLength } from '../model/index.ts';
import { UsageError } from './errors.ts';

/**
 * Instance files as the CLI reads them, and its memory budget: the Node side of the tasks'
 * environment (src/tasks/environment.ts, src/cli/environment.ts). Resolving `--instance`
 * against the model flags and encoding a file are the tasks' (src/tasks/instance.ts).
 */
export { encodeInstanceFile } from '../tasks/instance.ts';

/**
 * Memory budget for the instance: a quarter of the machine's memory, because writing
 * holds about three more copies of the tensor (NPY encoding, zip archive, file buffer).
 */
export function sampleMemoryBudget(): number {
  return totalmem() / 4;
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
