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
 *
 * In numpy, `list(itertools.combinations(range(N), p))[r]` is the tuple stored at `tensor[r]`.
 * Pure code: no file system (see `src/cli/instanceFile.ts` for files).
 */
import type { NpyArray } from '../io/npy.ts';
import { validateSpikedParams } from './covariance.ts';
import { type Instance, packedTensorLength } from './instance.ts';
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
  return entries;
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
    validateSpikedParams({ p, delta2, deltap });
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
  const t = entries.tensor;
  if (deltap === Number.POSITIVE_INFINITY) {
    if (t) throw new Error("instance has a 'tensor' entry but deltap = inf (channel off)");
  } else {
    const len = packedTensorLength(n, p);
    if (!t || !(t.data instanceof Float64Array || t.data instanceof Float32Array) || t.data.length !== len)
      throw new Error(
        `instance entry 'tensor' must be a packed float64/float32 array of C(${n}, ${p}) = ${len} entries`,
      );
    // Copied into a WebAssembly-backed array when possible, so the file's instance runs the
    // same (SIMD) kernels as a sampled one and gives bit-identical results.
    const fast = allocatePackedTensor(n, p, len, t.data instanceof Float32Array ? 'float32' : 'float64');
    if (isAcceleratedTensor(fast, n, p)) {
      fast.set(t.data);
      tensor = fast;
    } else tensor = t.data;
  }

  for (const [name, a] of [
    ['signal', signal],
    ['matrix', matrix],
    ['tensor', tensor],
  ] as const) {
    if (a === null) continue;
    for (let k = 0; k < a.length; k++)
      if (!Number.isFinite(a[k]))
        throw new Error(`instance entry '${name}' has a non-finite value at index ${k}`);
  }
  return { n, p, delta2, deltap, seed, signal, matrix, tensor };
}
