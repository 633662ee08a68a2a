/**
 * Matrix product C ± A·B of row-major blocks (level-3 BLAS dgemm, the only level-3
 * kernel the divide-and-conquer eigensolver and its back-transformation need).
 * The WebAssembly SIMD kernel (f64x2, emitted with src/numerics/wasmAsm.ts) works on
 * 4×4 blocks of C held in eight v128 registers: per step of the inner dimension it
 * loads two vectors of B and broadcasts four entries of A, 16 multiply–adds per six
 * loads. It sums over the inner dimension in the same order as the JavaScript loop
 * but adds the block to C once per chunk of `KC`, so the two agree to rounding (not
 * bit for bit). Rows and columns left over from the 4×4 tiling go through narrower
 * variants of the same kernel (1–3 rows, 1–2 columns).
 */
import { Body, F64, I32, V128 } from '../numerics/wasmAsm.ts';

/** Row counts and column counts of the kernel's tile variants. */
const ROWS = [1, 2, 3, 4] as const;
const COLS = [1, 2, 4] as const;

/** One tile kernel (byte addresses and byte strides). */
export type GemmTile = (
  c: number,
  ldc: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  m: number,
  nb: number,
  kb: number,
  sign: number,
) => void;

/**
 * The exported kernels: `t${r}x${c}` works on r×c tiles of C, over rows [0, m) (a
 * multiple of r) and the byte range [0, nb) of columns (a multiple of 8c):
 * C ±= A · B over the inner byte range [0, kb); sign = ±1 (a product by ±1 is
 * exact, so C − A·B rounds as C + (−A·B)).
 */
export type GemmExports = Record<string, GemmTile>;

/** All tile variants, by export name. */
export function gemmBodies(): Record<string, Body> {
  const out: Record<string, Body> = {};
  for (const r of ROWS) for (const c of COLS) out[`t${r}x${c}`] = gemmBody(r, c);
  return out;
}

function gemmBody(R: number, CC: number): Body {
  const b = new Body([I32, I32, I32, I32, I32, I32, I32, I32, I32, F64]);
  const [C, LDC, A, LDA, B, LDB, M, NB, KB, SIGN] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [jb, i, ap, bp, end, cp] = [
    b.local(I32),
    b.local(I32),
    b.local(I32),
    b.local(I32),
    b.local(I32),
    b.local(I32),
  ];
  const rows = [b.local(I32), b.local(I32), b.local(I32)];
  const V = CC === 4 ? 2 : 1; // v128 per tile row (c = 1 uses lane 0 only)
  const acc = Array.from({ length: R * V }, () => b.local(V128));
  const bv = [b.local(V128), b.local(V128)];
  const [s, sign] = [b.local(V128), b.local(V128)];
  b.get(SIGN).f64x2Splat().set(sign);
  b.i32(0).set(jb);
  b.block().loop(); // column panels
  b.get(jb).get(NB).geS().brIf(1);
  b.i32(0).set(i);
  b.block().loop(); // row groups
  b.get(i).get(M).geS().brIf(1);
  for (const x of acc) b.f64(0).f64x2Splat().set(x);
  // ap walks row i of A; rows i+1.. are at ap + rows[q−1] (byte offsets).
  b.get(A).get(i).get(LDA).mul().add().tee(ap).get(KB).add().set(end);
  for (let q = 1; q < R; q++)
    b.get(LDA)
      .i32(q)
      .mul()
      .set(rows[q - 1]);
  b.get(B).get(jb).add().set(bp);
  b.block().loop(); // inner dimension
  b.get(ap).get(end).geS().brIf(1);
  if (CC === 1) b.get(bp).v128Load64Zero(0).set(bv[0]);
  else
    for (let h = 0; h < V; h++)
      b.get(bp)
        .v128Load(16 * h)
        .set(bv[h]);
  for (let q = 0; q < R; q++) {
    b.get(ap);
    if (q > 0) b.get(rows[q - 1]).add();
    b.v128Load64Splat().set(s);
    for (let h = 0; h < V; h++)
      b.get(acc[V * q + h])
        .get(s)
        .get(bv[h])
        .f64x2Mul()
        .f64x2Add()
        .set(acc[V * q + h]);
  }
  b.get(ap).i32(8).add().set(ap);
  b.get(bp).get(LDB).add().set(bp);
  b.br(0);
  b.end().end();
  // C tile ±= acc
  b.get(C).get(i).get(LDC).mul().add().get(jb).add().set(cp);
  for (let q = 0; q < R; q++) {
    for (let h = 0; h < V; h++) {
      b.get(cp);
      if (CC === 1) {
        b.get(cp)
          .f64Load(0)
          .get(acc[V * q])
          .get(sign)
          .f64x2Mul()
          .f64x2ExtractLane(0)
          .fadd();
        b.f64Store(0);
      } else {
        b.get(cp)
          .v128Load(16 * h)
          .get(acc[V * q + h])
          .get(sign)
          .f64x2Mul()
          .f64x2Add();
        b.v128Store(16 * h);
      }
    }
    b.get(cp).get(LDC).add().set(cp);
  }
  b.get(i).i32(R).add().set(i);
  b.br(0);
  b.end().end();
  b.get(jb)
    .i32(8 * CC)
    .add()
    .set(jb);
  b.br(0);
  b.end().end();
  return b;
}

/** Inner-dimension chunk (a 4-column panel of B, 256 × 32 bytes, stays in L1). */
const KC = 256;
/** Row chunk (64 × KC doubles of A, 128 kB, stay in L2 across column panels). */
const MC = 64;

/**
 * C ±= A·B for row-major blocks: C is m×n at `C[offC + i·ldc + j]`, A m×k, B k×n
 * likewise (`sub` subtracts). With `kernel` (its memory holding all three arrays)
 * everything runs in WebAssembly tiles (4×4, and 1–3 rows × 1–2 columns at the
 * edges), chunked KC deep and MC high; otherwise in JavaScript, row by row.
 */
export function gemm(
  m: number,
  n: number,
  k: number,
  A: Float64Array,
  offA: number,
  lda: number,
  B: Float64Array,
  offB: number,
  ldb: number,
  C: Float64Array,
  offC: number,
  ldc: number,
  sub: boolean,
  kernel?: GemmExports,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  if (kernel !== undefined && A.buffer === C.buffer && B.buffer === C.buffer) {
    const a = A.byteOffset + 8 * offA;
    const bb = B.byteOffset + 8 * offB;
    const c = C.byteOffset + 8 * offC;
    const sign = sub ? -1 : 1;
    // Rows: groups of four, then one tile of the rest; columns likewise (4, 2, 1).
    const m4 = m & ~3;
    const rowParts: [number, number, number][] = [];
    if (m4 > 0) rowParts.push([0, m4, 4]);
    if (m > m4) rowParts.push([m4, m - m4, m - m4]);
    const n4 = n & ~3;
    const colParts: [number, number, number][] = [];
    if (n4 > 0) colParts.push([0, n4, 4]);
    if (n - n4 >= 2) colParts.push([n4, 2, 2]);
    if ((n - n4) % 2 === 1) colParts.push([n - 1, 1, 1]);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = Math.min(KC, k - k0);
      for (const [r0, rows, r] of rowParts)
        for (const [c0, cols, cc] of colParts) {
          const tile = kernel[`t${r}x${cc}`];
          for (let i0 = r0; i0 < r0 + rows; i0 += MC)
            tile(
              c + 8 * (i0 * ldc + c0),
              8 * ldc,
              a + 8 * (i0 * lda + k0),
              8 * lda,
              bb + 8 * (k0 * ldb + c0),
              8 * ldb,
              Math.min(MC, r0 + rows - i0),
              8 * cols,
              8 * kc,
              sign,
            );
        }
    }
    return;
  }
  // JavaScript: 4×4 tiles in sixteen scalar accumulators, then the edges one entry at
  // a time; every entry sums over the inner dimension in the same (ascending) order.
  const sign = sub ? -1 : 1;
  const m4 = m & ~3;
  const n4 = n & ~3;
  for (let i = 0; i < m4; i += 4) {
    const a0 = offA + i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let l = 0, bl = offB + j; l < k; l++, bl += ldb) {
        const b0 = B[bl];
        const b1 = B[bl + 1];
        const b2 = B[bl + 2];
        const b3 = B[bl + 3];
        let x = A[a0 + l];
        c00 += x * b0;
        c01 += x * b1;
        c02 += x * b2;
        c03 += x * b3;
        x = A[a1 + l];
        c10 += x * b0;
        c11 += x * b1;
        c12 += x * b2;
        c13 += x * b3;
        x = A[a2 + l];
        c20 += x * b0;
        c21 += x * b1;
        c22 += x * b2;
        c23 += x * b3;
        x = A[a3 + l];
        c30 += x * b0;
        c31 += x * b1;
        c32 += x * b2;
        c33 += x * b3;
      }
      let c = offC + i * ldc + j;
      C[c] += sign * c00;
      C[c + 1] += sign * c01;
      C[c + 2] += sign * c02;
      C[c + 3] += sign * c03;
      c += ldc;
      C[c] += sign * c10;
      C[c + 1] += sign * c11;
      C[c + 2] += sign * c12;
      C[c + 3] += sign * c13;
      c += ldc;
      C[c] += sign * c20;
      C[c + 1] += sign * c21;
      C[c + 2] += sign * c22;
      C[c + 3] += sign * c23;
      c += ldc;
      C[c] += sign * c30;
      C[c + 1] += sign * c31;
      C[c + 2] += sign * c32;
      C[c + 3] += sign * c33;
    }
  }
  for (let i = 0; i < m; i++)
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let acc = 0;
      for (let l = 0; l < k; l++) acc += A[offA + i * lda + l] * B[offB + l * ldb + j];
      C[offC + i * ldc + j] += sign * acc;
    }
}
