/** The WebAssembly assembler moved to `src/numerics/wasmAsm.ts` (shared with src/linalg). */
export * from '../numerics/wasmAsm.ts';
