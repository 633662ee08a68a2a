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
   * The fused sweep of one step over all row pairs (i, i+1), i = k+1, k+3, … while
   * i + 1 < n (byte addresses; end = 8n, ib0 = 8(k+1)): applies the pending rank-2
   * update (v_prev, w_prev) to the rows and adds B v into p, as the JavaScript loop.
   */
  pair(a: number, end: number, ib0: number, v: number, vp: number, wp: number, p: number): void;
}

export function pairBody(): Body {
  const b = new Body([I32, I32, I32, I32, I32, I32, I32]);
  const [A, END, IB0, VB, VPB, WPB, PB] = [0, 1, 2, 3, 4, 5, 6];
  const [IB, R0, R1, J, pi] = [b.local(I32), b.local(I32), b.local(I32), b.local(I32), b.local(I32)];
  const [VP0, WP0, VP1, WP1, V0, V1, A00, A01, A11, S0, S1] = Array.from({ length: 11 }, () => b.local(F64));
  const [vp0, wp0, vp1, wp1, v0, v1, acc0, acc1, vpj, wpj, vj, b0, b1] = Array.from({ length: 13 }, () =>
    b.local(V128),
  );
  b.get(IB0).set(IB);
  b.block().loop(); // row pairs (i, i+1) while i + 1 < n; IB = 8 i
  b.get(IB).i32(8).add().get(END).geS().brIf(1);
  b.get(IB).i32(3).shr().get(END).mul().get(A).add().tee(R0).get(END).add().set(R1);
  for (const [base, lo, hi] of [
    [VPB, VP0, VP1],
    [WPB, WP0, WP1],
    [VB, V0, V1],
  ]) {
    b.get(base).get(IB).add().f64Load(0).set(lo);
    b.get(base).get(IB).add().f64Load(8).set(hi);
  }
  // The 2×2 diagonal block, as in the JavaScript loop: a − 2·vp·wp, a − (vp0 wp1 + wp0 vp1).
  b.get(R0).get(IB).add();
  b.get(R0).get(IB).add().f64Load(0).f64(2).get(VP0).fmul().get(WP0).fmul().fsub().tee(A00).f64Store(0);
  b.get(R0).get(IB).add();
  b.get(R0).get(IB).add().f64Load(8).get(VP0).get(WP1).fmul().get(WP0).get(VP1).fmul().fadd().fsub();
  b.tee(A01).f64Store(8);
  b.get(R1).get(IB).add();
  b.get(R1).get(IB).add().f64Load(8).f64(2).get(VP1).fmul().get(WP1).fmul().fsub().tee(A11).f64Store(8);
  b.get(A00).get(V0).fmul().get(A01).get(V1).fmul().fadd().set(S0);
  b.get(A01).get(V0).fmul().get(A11).get(V1).fmul().fadd().set(S1);
  b.get(PB).get(IB).add().set(pi);
  b.get(IB).i32(16).add().set(J);
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
  b.block().loop(); // columns j = i+2 … in pairs
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
  b.get(IB).i32(16).add().set(IB);
  b.br(0);
  b.end().end();
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
