/**
 * One-function WebAssembly kernels of src/linalg: compiled once on first use, then
 * instantiated with a fresh memory per decomposition.
 */
import { type Body, wasmModule } from '../numerics/wasmAsm.ts';

const PAGE = 65536;

/**
 * `instantiate(bytes)` gives the kernel `name` (built by `makeBody`) bound to a new
 * zeroed memory of at least `bytes` bytes, or null where WebAssembly SIMD or the
 * memory is unavailable (callers then fall back to JavaScript).
 */
export function lazyKernel<F>(
  name: string,
  makeBody: () => Body,
): (bytes: number) => { buffer: ArrayBuffer; kernel: F } | null {
  let compiled: WebAssembly.Module | null | undefined;
  return (bytes) => {
    if (compiled === undefined)
      try {
        compiled = new WebAssembly.Module(wasmModule([{ name, body: makeBody(), results: [] }]));
      } catch {
        compiled = null;
      }
    if (compiled === null) return null;
    try {
      const mem = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
      const exports = new WebAssembly.Instance(compiled, { env: { mem } }).exports;
      return { buffer: mem.buffer, kernel: exports[name] as F };
    } catch {
      return null;
    }
  };
}
