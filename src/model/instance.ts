/**
 * Finite-N instances of the spiked matrix–tensor model (THEORY §1): a planted signal
 * on the sphere, the noisy matrix channel and the noisy order-p tensor channel, the
 * tensor stored packed (see `packed.ts` for the index map). Further tensor channels of
 * higher orders (issue 15, `extraTensors`) are drawn and stored the same way, one packed
 * tensor per channel.
 */

import { timeSlice } from '../numerics/timeSlice.ts';
import { Rng } from '../random/index.ts';
import { type Channel, validateModelParams } from './covariance.ts';
import { binomial } from './packed.ts';
import { randomPointOnSphere } from './sphere.ts';
import { allocatePackedTensor } from './tensorWasm.ts';

/** Storage precision of the packed tensor (the signal and the matrix are always float64). */
export type TensorPrecision = 'float64' | 'float32';

/** One sampled instance of the model of THEORY §1. */
export interface Instance {
  /** Dimension N. */
  readonly n: number;
  /** Tensor order p ≥ 3. */
  readonly p: number;
  /** Matrix noise variance Δ2 (`Infinity`: channel off, `matrix` is null). */
  readonly delta2: number;
  /** Tensor noise variance Δp (`Infinity`: channel off, `tensor` is null). */
  readonly deltap: number;
  /** The seed everything was drawn from. */
  readonly seed: number;
  /** The planted signal x*, `|x*|² = N`. */
  readonly signal: Float64Array;
  /**
   * `Y` as a dense N×N row-major symmetric matrix with zero diagonal (`Y_ij = Y_ji`
   * for i < j as observed), or null when Δ2 = ∞.
   */
  readonly matrix: Float64Array | null;
  /**
   * The C(N, p) observed entries `T_{i1…ip}`, `i1 < … < ip`, in lexicographic order
   * (`packed.ts`), or null when Δp = ∞.
   */
  readonly tensor: Float64Array | Float32Array | null;
  /**
   * Tensor channels beyond the order-p one (issue 15), by increasing order > p, each with its
   * finite Δ and its C(N, order) packed entries; absent or empty for the 2+p model.
   */
  readonly extraTensors?: ReadonlyArray<TensorChannel>;
  /**
   * The Gaussian sampler that drew the noise (`NoiseSampler`): set by `sampleInstance`
   * and by a file that records it; absent for an instance read from a file that does
   * not (every file written before the `sampler` entry was drawn with `'polar'`).
   */
  readonly sampler?: NoiseSampler;
}

/** One further tensor channel of an instance: order k, noise Δk and the packed entries. */
export interface TensorChannel extends Channel {
  readonly tensor: Float64Array | Float32Array;
}

/** Options of `sampleInstance`. */
export interface SampleOptions {
  readonly n: number;
  readonly p: number;
  readonly delta2: number;
  readonly deltap: number;
  /** Tensor channels of order > p (increasing, finite Δ), drawn after the order-p one. */
  readonly extraTensors?: ReadonlyArray<Channel>;
  /** Non-negative integer seed (< 2^53). */
  readonly seed: number;
  /**
   * Tensor storage; default float64. float32 halves the memory and sums each tensor
   * row in float32 (f32x4, error ≤ N·u32·Σ|terms|; see `tensorWasm.ts`).
   */
  readonly precision?: TensorPrecision;
  /** Gaussian sampler of the noise (default `DEFAULT_SAMPLER`, the ziggurat): see `NoiseSampler`. */
  readonly sampler?: NoiseSampler;
  /** Refuse instances whose estimated size exceeds this many bytes (default `DEFAULT_MAX_INSTANCE_BYTES`). */
  readonly maxBytes?: number;
  /**
   * Called with the fraction of tensor entries drawn so far (0…1), about every 2^18
   * entries and once at the end; large tensors take seconds (≈10 s at N = 1000, p = 3).
   */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * Default memory budget of `sampleInstance`: 8 GiB. Library code cannot look at the
 * machine's memory (it must run in a browser worker too), so callers that can (the
 * CLI) pass their own `maxBytes`.
 */
export const DEFAULT_MAX_INSTANCE_BYTES = 8 * 2 ** 30;

/**
 * Longest typed array V8 in Node 20 accepts: 2^32 elements (measured: `new
 * Float64Array(2 ** 32 + 1)` throws "Invalid typed array length"). Browsers may allow less.
 */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** Number of stored tensor entries C(N, p). */
export function packedTensorLength(n: number, p: number): number {
  return binomial(n, p);
}

/**
 * Bytes an instance occupies: signal (8N), dense matrix (8N², if Δ2 < ∞) and packed
 * tensors (C(N,k)·8 or ·4 for the order-p channel if Δp < ∞ and for each extra channel).
 * @example
 * estimateInstanceBytes({ n: 1000, p: 3, delta2: 1, deltap: 1 }); // 1_337_344_000 ≈ 1.34 GB
 */
export function estimateInstanceBytes(o: {
  n: number;
  p: number;
  delta2: number;
  deltap: number;
  extraTensors?: ReadonlyArray<Channel>;
  precision?: TensorPrecision;
}): number {
  const { n, p } = o;
  const bytesPerEntry = o.precision === 'float32' ? 4 : 8;
  let bytes = 8 * n;
  if (o.delta2 !== Number.POSITIVE_INFINITY) bytes += 8 * n * n;
  if (o.deltap !== Number.POSITIVE_INFINITY) bytes += bytesPerEntry * packedTensorLength(n, p);
  for (const c of o.extraTensors ?? []) bytes += bytesPerEntry * packedTensorLength(n, c.order);
  return bytes;
}

function formatBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(2)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  return `${b} B`;
}

/**
 * Throws a RangeError when the parameters are invalid or the instance would not fit
 * (memory budget or the typed-array length limit). The message states the estimate
 * and what to change.
 */
export function checkInstanceSize(o: SampleOptions): void {
  if (!Number.isInteger(o.n) || o.n < 2) throw new RangeError(`n must be an integer ≥ 2, got ${o.n}`);
  validateModelParams(o);
  const orders = [o.p, ...(o.extraTensors ?? []).map((c) => c.order)];
  const highest = orders[orders.length - 1];
  if (highest > o.n)
    throw new RangeError(
      `${highest === o.p ? 'p' : 'every tensor order'} must not exceed n (no strictly ordered tuples), got ${highest === o.p ? 'p' : 'order'} = ${highest}, n = ${o.n}`,
    );
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed >= 2 ** 53)
    throw new RangeError(`seed must be an integer in [0, 2^53), got ${o.seed}`);
  if (o.sampler !== undefined && o.sampler !== 'polar' && o.sampler !== 'ziggurat')
    throw new RangeError(`sampler must be 'polar' or 'ziggurat', got ${String(o.sampler)}`);
  if (o.precision !== undefined && o.precision !== 'float64' && o.precision !== 'float32')
    throw new RangeError(`precision must be 'float64' or 'float32', got ${String(o.precision)}`);
  const maxBytes = o.maxBytes ?? DEFAULT_MAX_INSTANCE_BYTES;
  const bytes = estimateInstanceBytes(o);
  const entries = Math.max(
    o.deltap === Number.POSITIVE_INFINITY ? 0 : packedTensorLength(o.n, o.p),
    ...(o.extraTensors ?? []).map((c) => packedTensorLength(o.n, c.order)),
  );
  const hint =
    o.precision === 'float32'
      ? 'use a smaller n'
      : "use precision: 'float32' (halves the tensor) and/or a smaller n";
  if (entries > MAX_TYPED_ARRAY_LENGTH) {
    throw new RangeError(
      `instance too large: a packed tensor has ${entries.toExponential(3)} entries (C(N, order), N = ${o.n}), ` +
        `more than a typed array can hold (2^32); use a smaller n`,
    );
  }
  if (bytes > maxBytes) {
    throw new RangeError(
      `instance too large: n = ${o.n}, p = ${o.p} needs an estimated ${formatBytes(bytes)} ` +
        `(${bytes} bytes), over the budget of ${formatBytes(maxBytes)}; ${hint}`,
    );
  }
}

/**
 * Gaussian sampler of the matrix and tensor noise, which fixes the seed → instance map:
 * - `'ziggurat'` (the default from seed map 2 on): `Rng.fillZigguratNormal`;
 * - `'polar'` (seed map 1: the default of every release before, kept so that any earlier
 *   instance can be drawn again from its seed): Marsaglia's polar method,
 *   `Rng.fillPolarNormal`, the same deviates as `Rng.normal()` with the generator inlined.
 * The two give different, identically distributed instances for one seed; the signal is
 * drawn the same way under both (`randomPointOnSphere`). Instances and instance files
 * record theirs (`Instance.sampler`, the file's `sampler` entry).
 */
export type NoiseSampler = 'polar' | 'ziggurat';

/** The sampler of `sampleInstance` without a `sampler` option (seed map 2). */
export const DEFAULT_SAMPLER: NoiseSampler = 'ziggurat';

/**
 * Draws an instance (THEORY §1). Deterministic in the seed; the three parts use
 * independent streams of `Rng.fromSeed(seed)` (stream 0 the signal, 1 the matrix
 * noise, 2 the tensor noise) so e.g. the signal and the matrix do not depend on the
 * tensor's precision or on whether the other channel is switched off; the j-th extra tensor
 * channel (j = 0, 1, … by increasing order) draws from stream 3 + j. Noise is drawn
 * in storage order (i < j row by row; tuples lexicographically), by `o.sampler`. A float32 tensor is the float64 one rounded entry by
 * entry. The tensor is WebAssembly-backed when possible (`allocatePackedTensor`), so
 * the SIMD kernels of `contractions.ts` apply.
 * @example
 * const inst = sampleInstance({ n: 50, p: 3, delta2: 0.7, deltap: 1, seed: 1 });
 * inst.tensor?.length; // C(50, 3) = 19600
 */
export function sampleInstance(o: SampleOptions): Instance {
  const steps = sampleSteps(o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    o.onProgress?.(r.value);
  }
}

/**
 * {@link sampleInstance} that returns to the event loop (a zero-delay timer) about every
 * `yieldEveryMs` of work, so that a signal handler or a worker message can set the flag read by
 * `shouldStop`; returns null when it stopped early. Same draws, same instance.
 */
export async function sampleInstanceAsync(
  o: SampleOptions & { readonly shouldStop?: () => boolean },
  yieldEveryMs = 50,
): Promise<Instance | null> {
  const steps = sampleSteps(o);
  const slice = timeSlice(yieldEveryMs);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    o.onProgress?.(r.value);
    const turn = slice.tick();
    if (turn) {
      await turn;
      if (o.shouldStop?.()) return null;
    }
  }
}

/** Entries drawn between two yields of the sampling generators (a few ms of work). */
const CHUNK = 2 ** 18;

/** The draw as a generator that yields the fraction of the tensor done every ~CHUNK entries. */
function* sampleSteps(o: SampleOptions): Generator<number, Instance> {
  checkInstanceSize(o);
  const { n, p, delta2, deltap, seed } = o;
  const root = Rng.fromSeed(seed);
  const signal = randomPointOnSphere(n, root.stream(0));
  const sampler = o.sampler ?? DEFAULT_SAMPLER;
  const noise = noiseFiller(sampler);
  const matrix =
    delta2 === Number.POSITIVE_INFINITY ? null : yield* sampleMatrix(signal, delta2, root.stream(1), noise);
  const extras = o.extraTensors ?? [];
  // Progress over all tensor entries (a 2+p instance reports the tensor's own fraction as before).
  const lengths = extras.map((c) => packedTensorLength(n, c.order));
  const mainLength = deltap === Number.POSITIVE_INFINITY ? 0 : packedTensorLength(n, p);
  const total = lengths.reduce((a, b) => a + b, mainLength);
  let done = 0;
  const overall = <T>(g: Generator<number, T>, length: number) =>
    extras.length === 0 ? g : rescaled(g, (f) => (done + f * length) / total);
  const tensor =
    deltap === Number.POSITIVE_INFINITY
      ? null
      : yield* overall(
          sampleTensor(signal, p, deltap, o.precision ?? 'float64', root.stream(2), noise),
          mainLength,
        );
  done = mainLength;
  const extraTensors: TensorChannel[] = [];
  for (const [j, c] of extras.entries()) {
    const draw = sampleTensor(signal, c.order, c.delta, o.precision ?? 'float64', root.stream(3 + j), noise);
    extraTensors.push({ order: c.order, delta: c.delta, tensor: yield* overall(draw, lengths[j]) });
    done += lengths[j];
  }
  yield 1;
  return extraTensors.length === 0
    ? { n, p, delta2, deltap, seed, signal, matrix, tensor, sampler }
    : { n, p, delta2, deltap, seed, signal, matrix, tensor, extraTensors, sampler };
}

/** The generator `g` with every yielded fraction mapped through `map`. */
function* rescaled<T>(g: Generator<number, T>, map: (f: number) => number): Generator<number, T> {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    yield map(r.value);
  }
}

/** Fills `z[start…end)` with standard normals from `rng`. */
type NoiseFill = (rng: Rng, z: Float64Array, start: number, end: number) => void;

function noiseFiller(sampler: NoiseSampler): NoiseFill {
  return sampler === 'ziggurat'
    ? (rng, z, start, end) => rng.fillZigguratNormal(z, start, end)
    : (rng, z, start, end) => rng.fillPolarNormal(z, start, end);
}

/** `Y_ij = x*_i x*_j/√N + ξ_ij`, ξ ~ N(0, Δ2), for i < j, mirrored; zero diagonal. */
function* sampleMatrix(
  signal: Float64Array,
  delta2: number,
  rng: Rng,
  noise: NoiseFill,
): Generator<number, Float64Array> {
  const n = signal.length;
  const y = new Float64Array(n * n);
  const scale = 1 / Math.sqrt(n);
  const sd = Math.sqrt(delta2);
  const z = new Float64Array(n);
  let drawn = 0;
  for (let i = 0; i < n; i++) {
    const si = signal[i] * scale;
    noise(rng, z, i + 1, n);
    for (let j = i + 1; j < n; j++) {
      const v = si * signal[j] + sd * z[j];
      y[i * n + j] = v;
      y[j * n + i] = v;
    }
    drawn += n - i - 1;
    if (drawn >= CHUNK) {
      drawn = 0;
      yield 0;
    }
  }
  return y;
}

/** `T = √((p−1)!)/N^{(p−1)/2} x*_{i1}⋯x*_{ip} + ξ`, ξ ~ N(0, Δp), packed lexicographically. */
function* sampleTensor(
  signal: Float64Array,
  p: number,
  deltap: number,
  precision: TensorPrecision,
  rng: Rng,
  noise: NoiseFill,
): Generator<number, Float64Array | Float32Array> {
  const n = signal.length;
  const len = packedTensorLength(n, p);
  const t = allocatePackedTensor(n, p, len, precision);
  const z = new Float64Array(n);
  let fact = 1;
  for (let k = 2; k < p; k++) fact *= k;
  const scale = Math.sqrt(fact) / n ** ((p - 1) / 2);
  const sd = Math.sqrt(deltap);
  // Odometer over strictly increasing tuples; prefix[r] = scale·x*_{i0}⋯x*_{i(r−1)}.
  const idx = new Int32Array(p);
  const prefix = new Float64Array(p);
  for (let r = 0; r < p; r++) idx[r] = r;
  let pos = 0;
  let nextReport = CHUNK;
  const last = p - 1;
  let r = 0;
  prefix[0] = scale;
  for (;;) {
    for (; r < last; r++) prefix[r + 1] = prefix[r] * signal[idx[r]];
    const base = prefix[last];
    noise(rng, z, idx[last], n);
    for (let k = idx[last]; k < n; k++) t[pos++] = base * signal[k] + sd * z[k];
    if (pos >= nextReport) {
      yield pos / len;
      nextReport = pos + CHUNK;
    }
    // Advance: find the rightmost prefix index that can still grow.
    r = last - 1;
    while (r >= 0 && idx[r] === n - p + r) r--;
    if (r < 0) break;
    idx[r]++;
    for (let q = r + 1; q < p; q++) idx[q] = idx[q - 1] + 1;
  }
  return t;
}
