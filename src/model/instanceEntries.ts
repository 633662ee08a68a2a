/**
 * An instance as named arrays for an NPZ file (`src/io` does the bytes), readable
 * from numpy:
 *
 * | name | dtype | shape | content |
 * |---|---|---|---|
 * | `signal` | float64 | (N,) | x*, `|x*|² = N` |
 * | `matrix` | float64 | (N, N) | Y, symmetric, zero diagonal; absent when Δ2 = ∞ |
 * | `tensor` | float64 or float32 | (C(N,p),) | T packed, lexicographic `i1 < … < ip` (`packed.ts`); absent when Δp = ∞ |
 * | `n`, `p`, `seed` | int64 | () | integer parameters |
 * | `delta2`, `deltap` | float64 | () | noise variances; Δ = ∞ is stored as `inf` |
 * | `tensor<k>` | float64 or float32 | (C(N,k),) | a further tensor channel of order k > p (issue 15), packed like `tensor` |
 * | `delta<k>` | float64 | () | its noise variance Δk, finite; present exactly with `tensor<k>` |
 * | `sampler` | uint8 | (len,) | UTF-8 name of the noise sampler, `ziggurat` or `polar` (`NoiseSampler`); absent in files written before it was recorded (all drawn with `polar`) |
 *
 * A model given as channels (`--channels`) is stored with its lowest-order tensor channel as
 * `p`/`deltap`/`tensor` and each higher order k as `tensor<k>`/`delta<k>` (e.g. `tensor4`,
 * `delta4`), so a 2+p instance has exactly the entries it always had. All tensors share one
 * precision.
 * In numpy, `list(itertools.combinations(range(N), p))[r]` is the tuple stored at `tensor[r]`.
 * Pure code: no file system (see `src/cli/instanceFile.ts` for files).
 */
import type { NpyArray } from '../io/npy.ts';
import { validateModelParams } from './covariance.ts';
import { type Instance, type NoiseSampler, packedTensorLength, type TensorChannel } from './instance.ts';
import { allocatePackedTensor, isAcceleratedTensor } from './tensorWasm.ts';

const SCALARS = ['n', 'p', 'delta2', 'deltap', 'seed'] as const;

const INTEGERS: ReadonlySet<string> = new Set(['n', 'p', 'seed']);

/** A 0-d entry: int64 for the integers n, p, seed; float64 for Δ2, Δp (Δ = ∞ as `inf`). */
const scalar = (name: string, v: number): NpyArray =>
  INTEGERS.has(name)
    ? { data: Float64Array.of(v), shape: [], descr: '<i8' }
    : { data: Float64Array.of(v), shape: [] };

/**
 * Named arrays of an instance (table above). The arrays share memory with the instance.
 * @example
 * const entries = instanceToNpzEntries(sampleInstance({ n: 10, p: 3, delta2: 1, deltap: Infinity, seed: 1 }));
 * Object.keys(entries); // ['signal', 'matrix', 'n', 'p', 'delta2', 'deltap', 'seed']
 */
export function instanceToNpzEntries(inst: Instance): Record<string, NpyArray> {
  const entries: Record<string, NpyArray> = { signal: { data: inst.signal, shape: [inst.n] } };
  if (inst.matrix) entries.matrix = { data: inst.matrix, shape: [inst.n, inst.n] };
  if (inst.tensor) entries.tensor = { data: inst.tensor, shape: [inst.tensor.length] };
  for (const name of SCALARS) entries[name] = scalar(name, inst[name]);
  for (const c of inst.extraTensors ?? []) {
    entries[`tensor${c.order}`] = { data: c.tensor, shape: [c.tensor.length] };
    entries[`delta${c.order}`] = scalar(`delta${c.order}`, c.delta);
  }
  if (inst.sampler !== undefined) {
    const text = new TextEncoder().encode(inst.sampler);
    entries.sampler = { data: text, shape: [text.length] };
  }
  return entries;
}

/** The `sampler` entry: absent (an earlier file, drawn with 'polar') or a known sampler's name. */
function readSampler(entries: Readonly<Record<string, NpyArray>>): NoiseSampler | undefined {
  const e = entries.sampler;
  if (e === undefined) return undefined;
  const name = e.data instanceof Uint8Array ? new TextDecoder().decode(e.data) : null;
  if (name !== 'polar' && name !== 'ziggurat')
    throw new Error(
      `instance entry 'sampler' must be the UTF-8 bytes of 'ziggurat' or 'polar', got ${name === null ? `a ${e.data.constructor.name}` : JSON.stringify(name)}`,
    );
  return name;
}

/** The orders k of the `tensor<k>` / `delta<k>` entries present in `entries`, increasing. */
function extraOrders(entries: Readonly<Record<string, NpyArray>>): number[] {
  const orders = new Set<number>();
  for (const name of Object.keys(entries)) {
    // `delta2` is the matrix channel's Δ, not an extra tensor.
    const m = /^(?:tensor|delta)(\d+)$/.exec(name);
    if (m && name !== 'delta2') orders.add(Number(m[1]));
  }
  return [...orders].sort((a, b) => a - b);
}

/** A packed tensor entry of C(n, k) entries, copied into WebAssembly-backed memory when possible. */
function packedEntry(
  entries: Readonly<Record<string, NpyArray>>,
  name: string,
  n: number,
  k: number,
  why: string,
): Float64Array | Float32Array {
  const t = entries[name];
  const len = packedTensorLength(n, k);
  if (!t || !(t.data instanceof Float64Array || t.data instanceof Float32Array) || t.data.length !== len)
    throw new Error(
      `instance entry '${name}' must be a packed float64/float32 array of C(${n}, ${k}) = ${len} entries (${why})`,
    );
  // Copied into a WebAssembly-backed array when possible, so the file's instance runs the
  // same (SIMD) kernels as a sampled one and gives bit-identical results.
  const fast = allocatePackedTensor(n, k, len, t.data instanceof Float32Array ? 'float32' : 'float64');
  if (isAcceleratedTensor(fast, n, k)) {
    fast.set(t.data);
    return fast;
  }
  return t.data;
}

/** The extra tensor channels stored as `tensor<k>` / `delta<k>`, validated against p and n. */
function readExtraTensors(
  entries: Readonly<Record<string, NpyArray>>,
  n: number,
  p: number,
  deltap: number,
): TensorChannel[] {
  const extras: TensorChannel[] = [];
  for (const k of extraOrders(entries)) {
    if (!entries[`delta${k}`]) throw new Error(`instance has a 'tensor${k}' entry but no 'delta${k}'`);
    if (!entries[`tensor${k}`]) throw new Error(`instance has a 'delta${k}' entry but no 'tensor${k}'`);
    const delta = readScalar(entries, `delta${k}`);
    if (!(k > p)) throw new Error(`instance entry 'tensor${k}': extra tensor orders must exceed p = ${p}`);
    if (deltap === Number.POSITIVE_INFINITY)
      throw new Error(
        `instance entry 'tensor${k}': extra tensor channels need the order-p channel (deltap finite)`,
      );
    if (k > n) throw new Error(`instance entry 'tensor${k}': order ${k} exceeds n = ${n}`);
    if (!(delta > 0 && Number.isFinite(delta)))
      throw new Error(`instance entry 'delta${k}' must be finite and > 0, got ${delta}`);
    extras.push({ order: k, delta, tensor: packedEntry(entries, `tensor${k}`, n, k, `delta${k} is finite`) });
  }
  return extras;
}

function readScalar(entries: Readonly<Record<string, NpyArray>>, name: string): number {
  const a = entries[name];
  if (!a) throw new Error(`instance file has no '${name}' entry`);
  if (a.data.length !== 1)
    throw new Error(`instance entry '${name}' must be a single number, got ${a.data.length} values`);
  return Number(a.data[0]);
}

/**
 * The instance stored in `entries`, validated: parameters in range, shapes consistent
 * with N and p, channels present exactly when their Δ is finite, a symmetric matrix
 * with zero diagonal, finite values. Throws an Error naming the problem.
 * @example
 * const inst = sampleInstance({ n: 10, p: 3, delta2: 1, deltap: 1, seed: 1 });
 * instanceFromNpzEntries(instanceToNpzEntries(inst)).seed; // 1
 */
export function instanceFromNpzEntries(entries: Readonly<Record<string, NpyArray>>): Instance {
  const [n, p, delta2, deltap, seed] = SCALARS.map((name) => readScalar(entries, name));
  if (!Number.isInteger(n) || n < 2) throw new Error(`instance entry 'n' must be an integer ≥ 2, got ${n}`);
  if (!Number.isInteger(seed) || seed < 0)
    throw new Error(`instance entry 'seed' must be an integer ≥ 0, got ${seed}`);
  try {
    validateModelParams({ p, delta2, deltap });
  } catch (error) {
    throw new Error(`instance parameters: ${(error as Error).message}`);
  }
  if (p > n) throw new Error(`instance entry 'p' = ${p} exceeds n = ${n}`);

  const signalEntry = entries.signal;
  if (!signalEntry || !(signalEntry.data instanceof Float64Array) || signalEntry.data.length !== n)
    throw new Error(`instance entry 'signal' must be a float64 array of length n = ${n}`);
  const signal = signalEntry.data;

  let matrix: Float64Array | null = null;
  const m = entries.matrix;
  if (delta2 === Number.POSITIVE_INFINITY) {
    if (m) throw new Error("instance has a 'matrix' entry but delta2 = inf (channel off)");
  } else {
    if (!m || !(m.data instanceof Float64Array) || m.data.length !== n * n)
      throw new Error(`instance entry 'matrix' must be a float64 ${n}×${n} array (delta2 is finite)`);
    matrix = m.data;
    // The kernels use both triangles, so they must agree (THEORY §1 observes i < j only).
    for (let i = 0; i < n; i++) {
      if (matrix[i * n + i] !== 0) throw new Error("instance entry 'matrix' must have a zero diagonal");
      for (let j = i + 1; j < n; j++)
        if (matrix[i * n + j] !== matrix[j * n + i])
          throw new Error("instance entry 'matrix' must be symmetric");
    }
  }

  let tensor: Float64Array | Float32Array | null = null;
  if (deltap === Number.POSITIVE_INFINITY) {
    if (entries.tensor) throw new Error("instance has a 'tensor' entry but deltap = inf (channel off)");
  } else tensor = packedEntry(entries, 'tensor', n, p, 'deltap is finite');
  const extraTensors = readExtraTensors(entries, n, p, deltap);
  const precisions = new Set(
    [tensor, ...extraTensors.map((c) => c.tensor)].filter((a) => a !== null).map((a) => a.constructor),
  );
  if (precisions.size > 1)
    throw new Error('instance tensors must all have one precision (float64 or float32)');

  const arrays: [string, Float64Array | Float32Array | null][] = [
    ['signal', signal],
    ['matrix', matrix],
    ['tensor', tensor],
    ...extraTensors.map((c): [string, Float64Array | Float32Array] => [`tensor${c.order}`, c.tensor]),
  ];
  for (const [name, a] of arrays) {
    if (a === null) continue;
    for (let k = 0; k < a.length; k++)
      if (!Number.isFinite(a[k]))
        throw new Error(`instance entry '${name}' has a non-finite value at index ${k}`);
  }
  const sampler = readSampler(entries);
  const recorded = sampler === undefined ? {} : { sampler };
  return extraTensors.length === 0
    ? { n, p, delta2, deltap, seed, signal, matrix, tensor, ...recorded }
    : { n, p, delta2, deltap, seed, signal, matrix, tensor, extraTensors, ...recorded };
}
