/**
 * WebAssembly SIMD (f64x2) kernel that applies one chain of QL plane rotations
 * (`RotationLog`, tridiagonal.ts) to eight columns of the eigenvector matrix, the
 * carried row held in four v128 registers. It computes exactly the products and
 * sums of the JavaScript loop in `RotationLog.applyTo` (WebAssembly has no fused
 * multiply–add), so results are bit-identical.
 *
 * Memory (one `WebAssembly.Memory` per decomposition): the n×n matrix W, then room
 * for `capacity` rotations (c, s).
 */
import { Body, I32, V128 } from '../numerics/wasmAsm.ts';
import { lazyKernel } from './wasmKernel.ts';

interface Exports {
  /**
   * Rotations r ∈ [r, end) (byte offsets of their (c, s) pairs) on rows
   * top+1, top, top−1, …, columns k … k+7; p = byte address of W[top+1, k],
   * stride = row stride in bytes.
   */
  chain(p: number, r: number, end: number, stride: number): void;
}

function chainBody(): Body {
  const b = new Body([I32, I32, I32, I32]);
  const [P, R, END, STRIDE] = [0, 1, 2, 3];
  const pi = b.local(I32);
  const [c, s, y] = [b.local(V128), b.local(V128), b.local(V128)];
  const x = [b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  for (let q = 0; q < 4; q++)
    b.get(P)
      .v128Load(16 * q)
      .set(x[q]);
  b.block().loop();
  b.get(R).get(END).geS().brIf(1);
  b.get(R).f64Load(0).f64x2Splat().set(c);
  b.get(R).f64Load(8).f64x2Splat().set(s);
  b.get(P).get(STRIDE).sub().set(pi);
  for (let q = 0; q < 4; q++) {
    // y = W[i, ·]; W[i+1, ·] = s·y + c·x; x = c·y − s·x
    b.get(pi)
      .v128Load(16 * q)
      .set(y);
    b.get(P);
    b.get(s).get(y).f64x2Mul().get(c).get(x[q]).f64x2Mul().f64x2Add();
    b.v128Store(16 * q);
    b.get(c).get(y).f64x2Mul().get(s).get(x[q]).f64x2Mul().f64x2Sub().set(x[q]);
  }
  b.get(pi).set(P);
  b.get(R).i32(16).add().set(R);
  b.br(0);
  b.end().end();
  for (let q = 0; q < 4; q++)
    b.get(P)
      .get(x[q])
      .v128Store(16 * q);
  return b;
}

const instantiate = lazyKernel<Exports['chain']>('chain', chainBody);

/** The eigenvector matrix and a rotation buffer in WebAssembly memory, with the kernel. */
export interface RotationWorkspace {
  /** n×n row-major matrix W (zero-filled), a view into the kernel's memory. */
  readonly w: Float64Array;
  /** Room for `capacity` rotations as (c, s) pairs. */
  readonly cs: Float64Array;
  readonly chain: Exports['chain'];
}

/** A workspace, or null where WebAssembly SIMD or the memory is unavailable. */
export function rotationWorkspace(n: number, capacity: number): RotationWorkspace | null {
  if (n < 1) return null;
  const inst = instantiate(8 * (n * n + 2 * capacity));
  if (inst === null) return null;
  return {
    w: new Float64Array(inst.buffer, 0, n * n),
    cs: new Float64Array(inst.buffer, 8 * n * n, 2 * capacity),
    chain: inst.kernel,
  };
}
