/**
 * One WebAssembly memory for a whole `symmetricEigen`: the tridiagonalisation kernel
 * (householderWasm.ts) and the Qᵀ / rotation kernels (rotationWasm.ts) in one
 * module, so the reflectors are read where `tridiagonalize` left them (no copy) and
 * no memory is touched twice (first touches of fresh pages are costly).
 */

import { NB } from './backTransform.ts';
import { type GemmExports, gemmBodies } from './gemmWasm.ts';
import { type HouseholderExports, type HouseholderWorkspace, pairBody } from './householderWasm.ts';
import { chainBody, type RotationExports, type RotationWorkspace, reflect4Body } from './rotationWasm.ts';
import type { SecularWasm } from './secular.ts';
import { type SecularExports, secularBody } from './secularWasm.ts';
import { lazyKernel } from './wasmKernel.ts';

const instantiate = lazyKernel<HouseholderExports & RotationExports>(() => ({
  pair: pairBody(),
  chain: chainBody(),
  reflect4: reflect4Body(),
}));

/**
 * Carve `buffer` from offset 0: the n×n matrix of the tridiagonalisation (plus its
 * padding, see householderWasm.ts) and its four vectors, zeroed where the kernel
 * relies on it (reused memory is not zeroed); `take` carves what follows.
 */
function householderLayout(buffer: ArrayBuffer, n: number) {
  let offset = 0;
  const take = (length: number, room = length) => {
    const view = new Float64Array(buffer, 8 * offset, length);
    offset += room;
    return view;
  };
  const a = take(n * n, n * n + 2);
  new Float64Array(buffer, 8 * n * n, 2).fill(0); // the padding
  const vectors = [take(n + 2), take(n + 2), take(n + 2), take(n + 2)] as const;
  for (const v of vectors) v.fill(0);
  return { a, vectors, take };
}

/** Doubles taken by `householderLayout`. */
const householderDoubles = (n: number) => n * n + 2 + 4 * (n + 2);

/** Both workspaces over one memory, or null where WebAssembly SIMD or the memory is unavailable. */
export function eigenWorkspace(
  n: number,
  capacity: number,
): { house: HouseholderWorkspace; rot: RotationWorkspace } | null {
  if (n < 2) return null;
  const inst = instantiate(8 * (householderDoubles(n) + n * n + 2 * capacity + 4));
  if (inst === null) return null;
  const { a, vectors, take } = householderLayout(inst.buffer, n);
  // Reused memory is not zeroed: clear W.
  const { pair, chain, reflect4 } = inst.kernel;
  const w = take(n * n).fill(0);
  const cs = take(2 * capacity);
  const out = take(4);
  return { house: { a, vectors, pair }, rot: { w, cs, out, chain, reflect4 } };
}

const instantiateDivide = lazyKernel<HouseholderExports & GemmExports & SecularExports>(() => ({
  pair: pairBody(),
  secular: secularBody(),
  ...gemmBodies(),
}));

/**
 * Memory of the divide-and-conquer `symmetricEigen`: the tridiagonalisation's
 * workspace and the eigenvector matrix z with two n×n scratch matrices (room for the
 * back-transformation's blocks too) and the secular equation's z, or null without
 * WebAssembly SIMD.
 */
export function divideWorkspace(n: number): {
  house: HouseholderWorkspace;
  z: Float64Array;
  g: Float64Array;
  u: Float64Array;
  gemm: GemmExports;
  secular: SecularWasm;
} | null {
  if (n < 2) return null;
  const gLength = Math.max(n * n, 4 * NB * n);
  const uLength = Math.max(n * n, 2 * NB * NB);
  const inst = instantiateDivide(8 * (householderDoubles(n) + n * n + gLength + uLength + n + 2));
  if (inst === null) return null;
  const { a, vectors, take } = householderLayout(inst.buffer, n);
  const z = take(n * n).fill(0);
  const g = take(gLength);
  const u = take(uLength);
  const secular = { secular: inst.kernel.secular, z: take(n), out: take(2) };
  return { house: { a, vectors, pair: inst.kernel.pair }, z, g, u, gemm: inst.kernel, secular };
}
