/**
 * WebAssembly-backed packed tensors. `allocatePackedTensor` places the tensor at the
 * start of its own `WebAssembly.Memory`, followed by scratch room for x, v, a gradient
 * and a dense N×N Hessian; the kernels of `tensorWasmCode.ts` then read it in place.
 * A tensor allocated any other way (or where WebAssembly SIMD is missing, or the
 * memory cannot be had) is an ordinary typed array and goes through the JS kernels of
 * `contractions.ts`, which give the same results to rounding (the SIMD kernels sum in
 * a different order).
 *
 * Any p ≥ 3 uses the p = 3 kernels block by block: for a fixed prefix
 * `i1 < … < i(p−3) = a`, the tuples that extend it are contiguous in the packed order
 * and form the packed order-3 tensor of dimension N − a − 1 over x_{a+1…N−1}, so
 * `F = Σ_prefix π·F3`, `π = x_{i1}⋯x_{i(p−3)}`, and the derivatives follow by the
 * product rule.
 */
import { tensorKernelFunctions } from './tensorWasmCode.ts';
import { OVERRUN } from './tensorWasmF32.ts';
import type { HessGroup } from './tensorWasmHess.ts';
import { wasmModule } from './wasmAsm.ts';

export type PackedTensor = Float64Array | Float32Array;

/**
 * Arithmetic of the kernels on a float32 tensor: `simd32` (default) sums each stretch
 * in f32x4 (`tensorWasmF32.ts`; error ≤ N·u32·Σ|terms|, u32 = 2⁻²⁴, against ≈ u32 from
 * the storage itself; the dense Hessian sums into a float32 H, ≤ N terms per entry),
 * `widened` widens every entry to float64 (error from the storage only, but no faster
 * than float64).
 */
export type Float32Arithmetic = 'simd32' | 'widened';

export interface TensorKernelOptions {
  /** `js`: a plain typed array (the JS kernels of `contractions.ts`), as without wasm SIMD. */
  readonly backend?: 'auto' | 'js';
  readonly float32?: Float32Arithmetic;
}

interface Exports {
  [k: string]: (...args: number[]) => number;
}

interface Backing {
  readonly n: number;
  readonly p: number;
  readonly es: number;
  readonly ex: Exports;
  readonly suffix: string;
  /** Suffix of the contract/grad/hvp kernels (`_f32x4` for simd32 float32). */
  readonly fast: string;
  readonly x32: Float32Array;
  readonly v32: Float32Array;
  readonly s32: Float32Array;
  /** The float32 dense Hessian of the f32x4 kernels, rows padded to n + OVERRUN entries. */
  readonly h32: Float32Array;
  readonly x: Float64Array;
  readonly v: Float64Array;
  readonly g: Float64Array;
  readonly g2: Float64Array;
  readonly d: Float64Array;
  /** The float64 dense Hessian scratch (upper triangle), rows padded to n + OVERRUN entries. */
  readonly h: Float64Array;
  /** x for the dense Hessian, followed by OVERRUN zeros. */
  readonly xpad: Float64Array;
  /** `out` of the dense Hessian while the mirror adds both triangles into it (n×n). */
  readonly full: Float64Array;
}

const backings = new WeakMap<PackedTensor, Backing>();
let compiled: WebAssembly.Module | null | undefined;

/** The kernel module, compiled once; null where WebAssembly (with SIMD) is unavailable. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = new WebAssembly.Module(wasmModule(tensorKernelFunctions()));
  } catch {
    compiled = null;
  }
  return compiled;
}

const PAGE = 65536;
/** Block dimension from which the paired Hessian–vector kernel is used. */
const PAIRED_MIN_N = 160;
/** Block dimension from which the dense Hessian groups blocks (`defaultGroup`). */
const GROUPED_MIN_N = 160;
const MAX_PAGES = 65536;
/** Byte offset of the tensor in its memory. */
const TENSOR_AT = 16;

/**
 * A zero-filled packed tensor of C(N, p) entries (`length`), WebAssembly-backed when
 * possible (see the file comment), else a plain typed array. Either way it is an
 * ordinary `Float64Array` / `Float32Array` to its users.
 */
export function allocatePackedTensor(
  n: number,
  p: number,
  length: number,
  precision: 'float64' | 'float32',
  options: TensorKernelOptions = {},
): PackedTensor {
  const es = precision === 'float32' ? 4 : 8;
  const plain = () => (es === 4 ? new Float32Array(length) : new Float64Array(length));
  const mod = p >= 3 && options.backend !== 'js' ? kernelModule() : null;
  if (!mod) return plain();
  const align = (b: number) => Math.ceil(b / 16) * 16;
  // f32x4 stretches run up to OVERRUN entries past their end: zero padding after the
  // tensor and after each float32 vector (see `stretch32`).
  // The tensor starts TENSOR_AT bytes in: aligned f32x4 stretches back up to 12 bytes
  // before a row (`stretch32`).
  const tensorBytes = align(TENSOR_AT + length * es + 4 * OVERRUN);
  // Vectors padded: the f32x4 kernels' flush adds up to three entries past n (`flush32`).
  const vec = align(8 * (n + OVERRUN));
  const vec32 = align(4 * (n + OVERRUN));
  // The dense Hessian's scratch: rows of ld = n + OVERRUN entries (the stretches' overrun
  // lands in padding), x padded with zeros, and the mirrored n×n result.
  const ld = hessRowLength(n);
  const atH = tensorBytes + 5 * vec + 16;
  const atXpad = atH + align(8 * n * ld);
  const atFull = atXpad + align(8 * ld);
  const at32 = atFull + align(8 * n * n);
  const h32Length = es === 4 ? n * ld : 0;
  const bytes = at32 + 3 * vec32 + 4 * h32Length;
  const pages = Math.ceil(bytes / PAGE);
  if (pages > MAX_PAGES) return plain();
  let memory: WebAssembly.Memory;
  let ex: Exports;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    ex = new WebAssembly.Instance(mod, { env: { mem: memory } }).exports as unknown as Exports;
  } catch {
    return plain();
  }
  const buf = memory.buffer;
  const at = (k: number) => tensorBytes + k * vec;
  const t = es === 4 ? new Float32Array(buf, TENSOR_AT, length) : new Float64Array(buf, TENSOR_AT, length);
  const suffix = es === 4 ? '_f32' : '_f64';
  backings.set(t, {
    n,
    p,
    es,
    ex,
    suffix,
    fast: es === 4 && options.float32 !== 'widened' ? '_f32x4' : suffix,
    x32: new Float32Array(buf, at32, n),
    v32: new Float32Array(buf, at32 + vec32, n),
    s32: new Float32Array(buf, at32 + 2 * vec32, n + OVERRUN),
    h32: new Float32Array(buf, at32 + 3 * vec32, h32Length),
    x: new Float64Array(buf, at(0), n),
    v: new Float64Array(buf, at(1), n),
    g: new Float64Array(buf, at(2), n),
    g2: new Float64Array(buf, at(3), n),
    d: new Float64Array(buf, at(4), 2),
    h: new Float64Array(buf, atH, n * ld),
    xpad: new Float64Array(buf, atXpad, n),
    full: new Float64Array(buf, atFull, n * n),
  });
  return t;
}

/** Whether `t` is WebAssembly-backed for dimension n and order p (so the SIMD kernels apply). */
export function isAcceleratedTensor(t: PackedTensor, n: number, p: number): boolean {
  const b = backings.get(t);
  return b !== undefined && b.n === n && b.p === p;
}

function backing(t: PackedTensor, n: number, p: number): Backing | undefined {
  const b = backings.get(t);
  return b !== undefined && b.n === n && b.p === p ? b : undefined;
}

/**
 * Calls `visit(prefix, a, pos)` for each prefix `i1 < … < i(p−3)` (a = its last index,
 * −1 when p = 3), `pos` the packed position of the block of its extensions.
 */
function forEachBlock(n: number, p: number, visit: (idx: Int32Array, a: number, pos: number) => void): void {
  const q = p - 3;
  const idx = new Int32Array(q);
  for (let r = 0; r < q; r++) idx[r] = r;
  let pos = 0;
  for (;;) {
    const a = q === 0 ? -1 : idx[q - 1];
    visit(idx, a, pos);
    const m = n - a - 1;
    pos += (m * (m - 1) * (m - 2)) / 6;
    let r = q - 1;
    while (r >= 0 && idx[r] === n - p + r) r--;
    if (r < 0) return;
    idx[r]++;
    for (let s = r + 1; s < q; s++) idx[s] = idx[s - 1] + 1;
  }
}

/**
 * Products over the prefix for the product rule: `all` = Π x, and `without[r]` =
 * Π_{s≠r} x (by prefix/suffix products: no division, zeros in x are harmless).
 */
function prefixProducts(idx: Int32Array, x: Float64Array, without: Float64Array): number {
  const q = idx.length;
  let pre = 1;
  for (let r = 0; r < q; r++) {
    without[r] = pre;
    pre *= x[idx[r]];
  }
  let suf = 1;
  for (let r = q - 1; r >= 0; r--) {
    without[r] *= suf;
    suf *= x[idx[r]];
  }
  return pre;
}

/** F(x) on a WebAssembly-backed tensor, or undefined when `t` is not one. */
export function wasmContract(t: PackedTensor, n: number, p: number, x: Float64Array): number | undefined {
  const b = backing(t, n, p);
  if (!b) return undefined;
  b.x.set(x);
  b.x32.set(x);
  const f = b.ex[`contract${b.fast}`];
  const xp = b.x.byteOffset;
  let e = 0;
  const without = new Float64Array(Math.max(p - 3, 0));
  forEachBlock(n, p, (idx, a, pos) => {
    const pi = prefixProducts(idx, x, without);
    e += pi * f(TENSOR_AT + pos * b.es, n - a - 1, xp + 8 * (a + 1), b.x32.byteOffset + 4 * (a + 1));
  });
  return e;
}

/** `out += scale·∇F(x)`, returns F(x); undefined when `t` is not WebAssembly-backed. */
export function wasmGradient(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  scale: number,
  out: Float64Array,
): number | undefined {
  const b = backing(t, n, p);
  if (!b) return undefined;
  b.x.set(x);
  b.x32.set(x);
  b.s32.fill(0);
  b.g.fill(0);
  const f = b.ex[`grad${b.fast}`];
  const without = new Float64Array(Math.max(p - 3, 0));
  let e = 0;
  forEachBlock(n, p, (idx, a, pos) => {
    const pi = prefixProducts(idx, x, without);
    const f3 = f(
      TENSOR_AT + pos * b.es,
      n - a - 1,
      b.x.byteOffset + 8 * (a + 1),
      b.g.byteOffset + 8 * (a + 1),
      scale * pi,
      b.x32.byteOffset + 4 * (a + 1),
      b.s32.byteOffset + 4 * (a + 1),
    );
    e += pi * f3;
    for (let r = 0; r < idx.length; r++) b.g[idx[r]] += scale * without[r] * f3;
  });
  for (let i = 0; i < n; i++) out[i] += b.g[i];
  return e;
}

/**
 * The Hessian–vector kernels: one tensor row at a time, or blocks i, i+1 paired
 * (`tensorWasmHvp.ts`); `auto` pairs blocks of dimension ≥ PAIRED_MIN_N, in both
 * arithmetics: x and v are loaded once for both blocks (`vectorStep`), so at p = 3 the pair
 * is 1.2× faster than one row at a time in float64 and 1.1–1.15× in f32x4 (N = 300, 600,
 * measured in one process); p = 4 at N = 100, p = 5 at N = 50 were 1.25–1.6× slower paired.
 */
export type HvpKernel = 'auto' | 'hvp' | 'hvpPair';

/** `out += scale·∇²F(x) v`; false when `t` is not WebAssembly-backed. */
export function wasmHessianVectorProduct(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  v: Float64Array,
  scale: number,
  out: Float64Array,
  kernel: HvpKernel = 'auto',
): boolean {
  const b = backing(t, n, p);
  if (!b) return false;
  b.x.set(x);
  b.v.set(v);
  b.x32.set(x);
  b.v32.set(v);
  b.s32.fill(0);
  b.g.fill(0);
  const one = b.ex[`hvp${b.fast}`];
  const paired = b.ex[`hvpPair${b.fast}`];
  const q = Math.max(p - 3, 0);
  const without = new Float64Array(q);
  forEachBlock(n, p, (idx, a, pos) => {
    const pi = prefixProducts(idx, x, without);
    // π' = ∇π·v and, per prefix coordinate r, ∂_v(∂_r π) = Σ_{s≠r} v_s Π_{u≠r,s} x_u.
    let dpi = 0;
    for (let r = 0; r < q; r++) dpi += v[idx[r]] * without[r];
    const off = 8 * (a + 1);
    const m = n - a - 1;
    const pair = kernel === 'hvpPair' || (kernel === 'auto' && m >= PAIRED_MIN_N);
    const f = pair ? paired : one;
    const f3 = f(
      TENSOR_AT + pos * b.es,
      m,
      b.x.byteOffset + off,
      b.v.byteOffset + off,
      b.g.byteOffset + off,
      scale * pi,
      scale * dpi,
      b.d.byteOffset,
      b.x32.byteOffset + 4 * (a + 1),
      b.v32.byteOffset + 4 * (a + 1),
      b.s32.byteOffset + 4 * (a + 1),
    );
    const dot = b.d[0];
    for (let r = 0; r < q; r++) {
      let dr = 0;
      for (let s = 0; s < q; s++) if (s !== r) dr += v[idx[s]] * productWithout(idx, x, r, s);
      b.g[idx[r]] += scale * (without[r] * dot + dr * f3);
    }
  });
  for (let i = 0; i < n; i++) out[i] += b.g[i];
  return true;
}

/** Π_{u≠r,s} x_{idx[u]} (prefixes are short: O(p) per call). */
function productWithout(idx: Int32Array, x: Float64Array, r: number, s: number): number {
  let c = 1;
  for (let u = 0; u < idx.length; u++) if (u !== r && u !== s) c *= x[idx[u]];
  return c;
}

/** `out += scale·∇²F(x)` (dense N×N, both triangles); false when `t` is not WebAssembly-backed. */
export function wasmHessian(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  scale: number,
  out: Float64Array,
  group?: HessGroup,
): boolean {
  const b = backing(t, n, p);
  if (!b) return false;
  const simd32 = b.fast === '_f32x4';
  const q = Math.max(p - 3, 0);
  const ld = hessRowLength(n);
  // The kernels add into the float32 H (f32x4) or the float64 one; the cross terms of
  // p > 3 always go to the float64 H. Both scratch H start at zero (the mirror zeroes
  // what it reads).
  b.xpad.set(x);
  if (simd32) b.x32.set(x);
  // f32x4: the cross terms' block gradients in f32x4 too (float32 sums of ≤ n terms).
  const grad = b.ex[`grad${b.fast}`];
  if (q > 0) b.x.set(x);
  if (q > 0 && simd32) b.s32.fill(0);
  const without = new Float64Array(q);
  const h = b.h;
  const [xs, hs, eb] = simd32 ? [b.x32, b.h32, 4] : [b.xpad, b.h, 8];
  forEachBlock(n, p, (idx, a, pos) => {
    const pi = prefixProducts(idx, x, without);
    const m = n - a - 1;
    const g = group ?? defaultGroup(m);
    b.ex[`hess${g}${b.fast}`](
      TENSOR_AT + pos * b.es,
      m,
      xs.byteOffset + eb * (a + 1),
      hs.byteOffset + eb * ((a + 1) * ld + a + 1),
      eb * ld,
      scale * pi,
    );
    if (q === 0) return;
    // Cross terms need ∇F3 and F3 of the block: ∂_r∂_k F = ∂_r π ∂_k F3, ∂_r∂_s F = ∂_r∂_s π F3.
    b.g2.fill(0, a + 1);
    const f3 = grad(
      TENSOR_AT + pos * b.es,
      m,
      b.x.byteOffset + 8 * (a + 1),
      b.g2.byteOffset + 8 * (a + 1),
      1,
      b.x32.byteOffset + 4 * (a + 1),
      b.s32.byteOffset + 4 * (a + 1),
    );
    for (let r = 0; r < q; r++) {
      const row = idx[r] * ld;
      const c = scale * without[r];
      for (let k = a + 1; k < n; k++) h[row + k] += c * b.g2[k];
      for (let s = r + 1; s < q; s++) h[row + idx[s]] += scale * productWithout(idx, x, r, s) * f3;
    }
  });
  const mode = !simd32 ? 'f64' : q > 0 ? 'both' : 'f32';
  b.full.set(out);
  b.ex[`mirror_${mode}`](b.h.byteOffset, b.h32.byteOffset, ld, b.full.byteOffset, n);
  out.set(b.full);
  return true;
}

/** Row length of the dense Hessian's scratch: n + OVERRUN, rounded up to 16 bytes of float32. */
function hessRowLength(n: number): number {
  return 4 * Math.ceil((n + OVERRUN) / 4);
}

/**
 * Blocks per pass over H for a block of dimension m: 3 from GROUPED_MIN_N (measured at
 * N = 300, 600: 1.3–1.6× faster than one block at a time, groups of 2, 4 and 5 slower than
 * 3), else 1 (the short blocks of p = 4 at N = 100 and p = 5 at N = 50: 1.07–1.2× faster).
 */
function defaultGroup(m: number): HessGroup {
  return m >= GROUPED_MIN_N ? 3 : 1;
}
