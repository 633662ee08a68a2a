/**
 * WebAssembly SIMD (f64x2) kernel for the inner sweep of the Householder
 * tridiagonalisation (`householder.ts`), emitted with the assembler of
 * `src/numerics/wasmAsm.ts`. V8 keeps the JavaScript loop scalar; here each
 * instruction handles two columns. The kernel computes exactly the same products
 * and differences as the JavaScript loop for the matrix update (bit-identical) and
 * sums the two dot products B·v in two lanes (equal to rounding).
 *
 * Memory layout (one `WebAssembly.Memory` per decomposition): the n×n matrix, then
 * four vectors of length n + 2 (v, v_prev, w_prev, p). The SIMD loop runs in column
 * pairs up to n, so for odd counts it touches column n: there v_prev = w_prev = v = 0
 * (never written), which leaves the matrix entry unchanged (it is the first entry of
 * the next row, in the unused lower triangle, or the padding after the matrix) and
 * adds only to p[n], which is never read.
 */
import { Body, F64, I32, V128 } from '../numerics/wasmAsm.ts';
import { lazyKernel } from './wasmKernel.ts';

/** Exported functions of the kernel module. */
export interface HouseholderExports {
  /**
   * One row pair (i, i+1) of the fused sweep, columns i+2 … n−1 (byte addresses):
   * applies the pending rank-2 update to rows r0, r1 and adds B v into p, and
   * p[i] += s0 + Σ_j b0_j v_j, p[i+1] += s1 + Σ_j b1_j v_j.
   */
  pair(
    r0: number,
    r1: number,
    j: number,
    end: number,
    v: number,
    vp: number,
    wp: number,
    p: number,
    vp0: number,
    wp0: number,
    vp1: number,
    wp1: number,
    v0: number,
    v1: number,
    s0: number,
    s1: number,
  ): void;
}

export function pairBody(): Body {
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, F64, F64, F64, F64, F64]);
  const [R0, R1, J, END, VB, VPB, WPB, PB, VP0, WP0, VP1, WP1, V0, V1, S0, S1] = Array.from(
    { length: 16 },
    (_, i) => i,
  );
  const pi = b.local(I32);
  const [vp0, wp0, vp1, wp1, v0, v1, acc0, acc1, vpj, wpj, vj, b0, b1] = Array.from({ length: 13 }, () =>
    b.local(V128),
  );
  b.get(PB).get(J).add().i32(16).sub().set(pi);
  for (const [from, to] of [
    [VP0, vp0],
    [WP0, wp0],
    [VP1, vp1],
    [WP1, wp1],
    [V0, v0],
    [V1, v1],
  ])
    b.get(from).f64x2Splat().set(to);
  b.f64(0).f64x2Splat().tee(acc0).set(acc1);
  b.block().loop();
  b.get(J).get(END).geS().brIf(1);
  b.get(VPB).get(J).add().v128Load().set(vpj);
  b.get(WPB).get(J).add().v128Load().set(wpj);
  b.get(VB).get(J).add().v128Load().set(vj);
  // b0 = a[r0 + j] − (vp0·wp_j + wp0·vp_j), stored back; likewise row r1.
  for (const [row, vpr, wpr, out, acc] of [
    [R0, vp0, wp0, b0, acc0],
    [R1, vp1, wp1, b1, acc1],
  ]) {
    b.get(row).get(J).add();
    b.get(row).get(J).add().v128Load();
    b.get(vpr).get(wpj).f64x2Mul().get(wpr).get(vpj).f64x2Mul().f64x2Add().f64x2Sub();
    b.tee(out).v128Store();
    b.get(acc).get(out).get(vj).f64x2Mul().f64x2Add().set(acc);
  }
  // p_j += b0·v0 + b1·v1
  b.get(PB).get(J).add();
  b.get(PB).get(J).add().v128Load();
  b.get(b0).get(v0).f64x2Mul().get(b1).get(v1).f64x2Mul().f64x2Add().f64x2Add().v128Store();
  b.get(J).i32(16).add().set(J);
  b.br(0);
  b.end().end();
  for (const [off, s, acc] of [
    [0, S0, acc0],
    [8, S1, acc1],
  ]) {
    b.get(pi);
    b.get(pi).f64Load(off);
    b.get(s).get(acc).f64x2ExtractLane(0).fadd().get(acc).f64x2ExtractLane(1).fadd().fadd();
    b.f64Store(off);
  }
  return b;
}

const instantiate = lazyKernel<HouseholderExports>(() => ({ pair: pairBody() }));

/** Workspace of one tridiagonalisation in WebAssembly memory, with the kernel bound to it. */
export interface HouseholderWorkspace {
  /** The n×n matrix (row-major), a view into the kernel's memory. */
  readonly a: Float64Array;
  /** Four zeroed vectors of length n + 2 in the same memory. */
  readonly vectors: readonly [Float64Array, Float64Array, Float64Array, Float64Array];
  readonly pair: HouseholderExports['pair'];
}

/**
 * A workspace for an n×n matrix, or null where WebAssembly SIMD is unavailable or
 * the memory cannot be had (the caller then uses the JavaScript loop).
 */
export function householderWorkspace(n: number): HouseholderWorkspace | null {
  if (n < 2) return null;
  const aLength = n * n + 2; // + padding read by the last row pair (see the file comment)
  const vecLength = n + 2;
  const inst = instantiate(8 * (aLength + 4 * vecLength));
  if (inst === null) return null;
  const vec = (q: number) => new Float64Array(inst.buffer, 8 * (aLength + q * vecLength), vecLength).fill(0);
  new Float64Array(inst.buffer, 8 * n * n, 2).fill(0); // the padding
  return {
    a: new Float64Array(inst.buffer, 0, n * n),
    vectors: [vec(0), vec(1), vec(2), vec(3)],
    pair: inst.kernel.pair,
  };
}
