/**
 * WebAssembly compiled optimised from the start, for the whole process (Node only).
 *
 * V8 compiles a WebAssembly module with its baseline compiler first and optimises a function
 * only after it has run hot ("dynamic tiering"). Measured on the tensor kernels (p = 3,
 * N = 300, float32, fresh processes, idle 2-core machine, Node 20): about one process in two
 * ran the Hessian–vector product and dense Hessian at 2.1–2.5× the read limit for the whole
 * run, against 1.6–1.8× with dynamic tiering off (every one of ten processes). Compiling the
 * kernels optimised up front costs nothing measurable (first kernel call within 1 ms either way).
 *
 * V8 flags are process-wide, so this covers the worker threads of a local sweep too; it must
 * run before the first module is compiled (the kernels compile lazily on first use). The
 * library stays environment-free: the CLI's process context and the bench call this.
 */
import { setFlagsFromString } from 'node:v8';

export function compileWasmOptimised(): void {
  setFlagsFromString('--no-wasm-dynamic-tiering');
}
