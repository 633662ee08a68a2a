/**
 * WebAssembly kernels of src/linalg: compiled once on first use, then
 * instantiated with a fresh memory per decomposition.
 */
import { type Body, wasmModule } from '../numerics/wasmAsm.ts';

const PAGE = 65536;

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
  return (bytes) => {
    if (compiled === undefined)
      try {
        const fns = Object.entries(bodies()).map(([name, body]) => ({ name, body, results: [] }));
        compiled = new WebAssembly.Module(wasmModule(fns));
      } catch {
        compiled = null;
      }
    if (compiled === null) return null;
    try {
      const mem = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
      const exports = new WebAssembly.Instance(compiled, { env: { mem } }).exports;
      return { buffer: mem.buffer, kernel: exports as unknown as E };
    } catch {
      return null;
    }
  };
}
