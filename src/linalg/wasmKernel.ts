/**
 * WebAssembly kernels of src/linalg: compiled once on first use. The instance and its
 * memory are kept and reused by the next decomposition (grown when too small), as
 * long as they stay within `KEEP_BYTES`: on this machine first touches of fresh
 * pages cost about 3 ms per MB, a sixth of the values-only time at N = 1000. Reused
 * memory is not zeroed; callers clear what they rely on.
 */
import { type Body, wasmModule } from '../numerics/wasmAsm.ts';

const PAGE = 65536;
/** Largest memory kept between calls (64 MB: values up to N ≈ 2800, vectors up to N ≈ 1400 by divide and conquer, 2000 by QL). */
const KEEP_BYTES = 64 << 20;

/**
 * `instantiate(bytes)` gives the functions built by `bodies` (name → body, no
 * results) bound to a new zeroed memory of at least `bytes` bytes, or null where
 * WebAssembly SIMD or the memory is unavailable (callers then fall back to
 * JavaScript).
 */
export function lazyKernel<E>(
  bodies: () => Record<string, Body>,
): (bytes: number) => { buffer: ArrayBuffer; kernel: E } | null {
  let compiled: WebAssembly.Module | null | undefined;
  let kept: { mem: WebAssembly.Memory; kernel: E } | undefined;
  return (bytes) => {
    if (compiled === undefined)
      try {
        const fns = Object.entries(bodies()).map(([name, body]) => ({ name, body, results: [] }));
        compiled = new WebAssembly.Module(wasmModule(fns));
      } catch {
        compiled = null;
      }
    if (compiled === null) return null;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    try {
      if (kept !== undefined && bytes <= KEEP_BYTES) {
        const have = kept.mem.buffer.byteLength / PAGE;
        if (have < pages) kept.mem.grow(pages - have);
        return { buffer: kept.mem.buffer, kernel: kept.kernel };
      }
      const mem = new WebAssembly.Memory({ initial: pages });
      const kernel = new WebAssembly.Instance(compiled, { env: { mem } }).exports as unknown as E;
      if (bytes <= KEEP_BYTES) kept = { mem, kernel };
      return { buffer: mem.buffer, kernel };
    } catch {
      return null;
    }
  };
}
