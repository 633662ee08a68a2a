/**
 * One WebAssembly memory for a whole `symmetricEigen`: the tridiagonalisation kernel
 * (householderWasm.ts) and the Qᵀ / rotation kernels (rotationWasm.ts) in one
 * module, so the reflectors are read where `tridiagonalize` left them (no copy) and
 * no memory is touched twice (first touches of fresh pages are costly).
 */
import { type HouseholderExports, type HouseholderWorkspace, pairBody } from './householderWasm.ts';
import { chainBody, type RotationExports, type RotationWorkspace, reflect4Body } from './rotationWasm.ts';
import { lazyKernel } from './wasmKernel.ts';

const instantiate = lazyKernel<HouseholderExports & RotationExports>(() => ({
  pair: pairBody(),
  chain: chainBody(),
  reflect4: reflect4Body(),
}));

/** Both workspaces over one memory, or null where WebAssembly SIMD or the memory is unavailable. */
export function eigenWorkspace(
  n: number,
  capacity: number,
): { house: HouseholderWorkspace; rot: RotationWorkspace } | null {
  if (n < 2) return null;
  const aLength = n * n + 2; // padding: see householderWasm.ts
  const vecLength = n + 2;
  const inst = instantiate(8 * (aLength + 4 * vecLength + n * n + 2 * capacity + 4));
  if (inst === null) return null;
  let offset = 0;
  const take = (length: number, room = length) => {
    const view = new Float64Array(inst.buffer, 8 * offset, length);
    offset += room;
    return view;
  };
  const a = take(n * n, aLength);
  new Float64Array(inst.buffer, 8 * n * n, 2).fill(0); // the padding
  // Reused memory is not zeroed: clear the vectors and W.
  const vectors = [take(vecLength), take(vecLength), take(vecLength), take(vecLength)] as const;
  for (const v of vectors) v.fill(0);
  const { pair, chain, reflect4 } = inst.kernel;
  const w = take(n * n).fill(0);
  const cs = take(2 * capacity);
  const out = take(4);
  return { house: { a, vectors, pair }, rot: { w, cs, out, chain, reflect4 } };
}
