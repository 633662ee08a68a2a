/**
 * WebAssembly SIMD (f64x2) kernel that applies one chain of QL plane rotations
 * (`RotationLog`, tridiagonal.ts) to eight columns of the eigenvector matrix, the
 * carried row held in four v128 registers. It computes exactly the products and
 * sums of the JavaScript loop in `RotationLog.applyTo` (WebAssembly has no fused
 * multiply–add), so results are bit-identical.
 *
 * Memory (one `WebAssembly.Memory` per decomposition): the n×n matrix W, room for
 * `capacity` rotations (c, s), a copy of the Householder vectors and four doubles of
 * output. `reflect4` (SIMD, two lanes per dot product: equal to rounding) applies
 * the reflectors when W is first built as Qᵀ.
 */
import { Body, F64, I32, V128 } from '../numerics/wasmAsm.ts';
import { lazyKernel } from './wasmKernel.ts';

export interface RotationExports {
  /**
   * Rotations r ∈ [r, end) (byte offsets of their (c, s) pairs) on rows
   * top+1, top, top−1, …, columns k … k+7; p = byte address of W[top+1, k],
   * stride = row stride in bytes.
   */
  chain(p: number, r: number, end: number, stride: number): void;
  /**
   * One Householder reflector on four rows of W (accumulation of Qᵀ,
   * householder.ts): over the byte range [0, len) from w (row q at w + q·stride) and
   * v, t_q = τ (h_q + Σ_j w_qj v_j) is stored at out + 8q, then w_qj −= t_q v_j.
   */
  reflect4(
    w: number,
    v: number,
    len: number,
    stride: number,
    tau: number,
    h0: number,
    h1: number,
    h2: number,
    h3: number,
    out: number,
  ): void;
}

export function reflect4Body(): Body {
  const b = new Body([I32, I32, I32, I32, F64, F64, F64, F64, F64, I32]);
  const [W, V, LEN, STRIDE, TAU, OUT] = [0, 1, 2, 3, 4, 9];
  const j = b.local(I32);
  const rows = [b.local(I32), b.local(I32), b.local(I32), b.local(I32)];
  const acc = [b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  const vj = b.local(V128);
  for (let q = 0; q < 4; q++) {
    b.get(W).get(STRIDE).i32(q).mul().add().set(rows[q]);
    b.f64(0).f64x2Splat().set(acc[q]);
  }
  const sweep = (body: () => void) => {
    b.i32(0).set(j);
    b.block().loop();
    b.get(j).get(LEN).geS().brIf(1);
    b.get(V).get(j).add().v128Load().set(vj);
    body();
    b.get(j).i32(16).add().set(j);
    b.br(0);
    b.end().end();
  };
  sweep(() => {
    for (let q = 0; q < 4; q++)
      b.get(acc[q]).get(rows[q]).get(j).add().v128Load().get(vj).f64x2Mul().f64x2Add().set(acc[q]);
  });
  for (let q = 0; q < 4; q++) {
    // t_q = τ (h_q + lane0 + lane1), kept splatted in acc[q]
    b.get(OUT);
    b.get(TAU)
      .get(5 + q)
      .get(acc[q])
      .f64x2ExtractLane(0)
      .fadd()
      .get(acc[q])
      .f64x2ExtractLane(1)
      .fadd();
    b.fmul()
      .f64x2Splat()
      .tee(acc[q])
      .f64x2ExtractLane(0)
      .f64Store(8 * q);
  }
  sweep(() => {
    for (let q = 0; q < 4; q++) {
      b.get(rows[q]).get(j).add();
      b.get(rows[q]).get(j).add().v128Load().get(acc[q]).get(vj).f64x2Mul().f64x2Sub();
      b.v128Store();
    }
  });
  return b;
}

export function chainBody(): Body {
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

const instantiate = lazyKernel<RotationExports>(() => ({ chain: chainBody(), reflect4: reflect4Body() }));

/** The eigenvector matrix and a rotation buffer in WebAssembly memory, with the kernel. */
export interface RotationWorkspace {
  /** n×n row-major matrix W (zero-filled), a view into the kernel's memory. */
  readonly w: Float64Array;
  /** Room for `capacity` rotations as (c, s) pairs. */
  readonly cs: Float64Array;
  /**
   * Room for a copy of the Householder vectors (n×n, as left by `tridiagonalize`);
   * absent when they already live in this memory (`eigenWorkspace`).
   */
  readonly v?: Float64Array;
  /** Four doubles written by `reflect4`. */
  readonly out: Float64Array;
  readonly chain: RotationExports['chain'];
  readonly reflect4: RotationExports['reflect4'];
}

/** A workspace, or null where WebAssembly SIMD or the memory is unavailable. */
export function rotationWorkspace(n: number, capacity: number): RotationWorkspace | null {
  if (n < 1) return null;
  const inst = instantiate(8 * (2 * n * n + 2 * capacity + 4));
  if (inst === null) return null;
  const at = (offset: number, length: number) => new Float64Array(inst.buffer, 8 * offset, length);
  return {
    w: at(0, n * n).fill(0),
    cs: at(n * n, 2 * capacity),
    v: at(n * n + 2 * capacity, n * n),
    out: at(2 * n * n + 2 * capacity, 4),
    chain: inst.kernel.chain,
    reflect4: inst.kernel.reflect4,
  };
}
