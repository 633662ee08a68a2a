/**
 * The p = 3 Hessian–vector product with blocks i, i+1 paired (`pairedBlocks`): rows
 * T_{i,j,·} and T_{i+1,j,·} share k > j, so one pass over k loads x_k, v_k and updates
 * out_k once for two tensor entries (out_k += c_ij T_ijk + c_{i+1,j} T_{i+1,jk}),
 * halving the vector traffic per entry of the one-row kernel `hvp` (`tensorWasmCode.ts`).
 * Both tensor streams run forward without jumps (blocks i and i+1 are each contiguous),
 * which the hardware prefetcher needs: pairing rows j, j+1 of one block instead made
 * the second stream jump a row ahead at every pair and ran 1.5–3× slower (measured).
 * Same arguments and results as `hvp`: `hvpPair(tp, n, xp, vp, op, alpha, beta, dp) → F`.
 */

import { flush32 } from './tensorWasmF32.ts';
import {
  accumulate,
  load8,
  oneStream,
  pairedBlocks,
  type Storage,
  streamAddr,
  stretch,
} from './tensorWasmLoops.ts';
import { Body, F64, I32, type WasmFunction } from './wasmAsm.ts';

/**
 * One f64x2 vector per stream and iteration: with two (four entries per row) the eight
 * accumulators spill registers, 1.3–1.6× slower (measured at N = 300 and 600).
 */
export function hvpPairFn(s: Storage): WasmFunction {
  const f32x4 = s === 'f32x4';
  const b = new Body([I32, I32, I32, I32, I32, F64, F64, I32, ...(f32x4 ? ([I32, I32, I32] as const) : [])]);
  const [tp, n, xp, vp, op, alpha, beta, dp] = [0, 1, 2, 3, 4, 5, 6, 7];
  /** The stretches' streams: float32 copies of x, v and a float32 scratch for f32x4. */
  const [xs, vs, os] = f32x4 ? [8, 9, 10] : [xp, vp, op];
  const f64 = () => b.local(F64);
  const [e, d, xj, vj] = [f64(), f64(), f64(), f64()];
  /** Block i's x_i, v_i, Σ_j of its out_i terms, and row j's c, Σ_k T x_k, Σ_k T v_k. */
  const blk = [0, 1].map(() => ({ x: f64(), v: f64(), o: f64(), c: f64(), sx: f64(), sv: f64() }));
  const [xa, va, oa, tmp] = [0, 0, 0, 0].map(() => b.local(I32));
  type Blk = (typeof blk)[0];

  /** c = alpha (x_i v_j + v_i x_j) + beta x_i x_j: row (i, j)'s coefficient of out_k. */
  const coef = (q: Blk) => {
    b.get(alpha).get(q.x).get(vj).fmul().get(q.v).get(xj).fmul().fadd().fmul();
    b.get(beta).get(q.x).get(xj).fmul().fmul().fadd().set(q.c);
  };
  const beginBlock = (i: number, q: Blk) => {
    load8(b, xp, i);
    b.set(q.x);
    load8(b, vp, i);
    b.set(q.v).f64(0).set(q.o);
  };
  /** Row j's x_j, v_j and the x, v, out streams from k = j+1. */
  const beginRow = (j: number) => {
    load8(b, xp, j);
    b.set(xj);
    load8(b, vp, j);
    b.set(vj);
    streamAddr(b, s, xa, xs, j);
    streamAddr(b, s, va, vs, j);
    streamAddr(b, s, oa, os, j);
  };
  /** After row (i, j): F, ∇F·v, out_i (summed in q.o) and out_j. */
  const afterRow = (j: number, q: Blk) => {
    const { x: xi, v: vi, sx, sv } = q;
    b.get(e).get(xi).get(xj).fmul().get(sx).fmul().fadd().set(e);
    b.get(d).get(vi).get(xj).fmul().get(xi).get(vj).fmul().fadd().get(sx).fmul().fadd();
    b.get(xi).get(xj).fmul().get(sv).fmul().fadd().set(d);
    b.get(q.o).get(alpha).get(xj).get(sv).fmul().get(vj).get(sx).fmul().fadd().fmul();
    b.get(beta).get(xj).get(sx).fmul().fmul().fadd().fadd().set(q.o);
    accumulate(b, tmp, op, j, () => {
      b.get(alpha).get(xi).get(sv).fmul().get(vi).get(sx).fmul().fadd().fmul();
      b.get(beta).get(xi).get(sx).fmul().fmul().fadd();
    });
  };
  const endBlock = (i: number, q: Blk) => accumulate(b, tmp, op, i, () => b.get(q.o));

  pairedBlocks(b, s, tp, n, {
    begin: (i, i1) => {
      beginBlock(i, blk[0]);
      // Block i+1 may not exist (i = n−3); its x, v are then never used.
      b.get(i1).get(n).ltS().if();
      beginBlock(i1, blk[1]);
      b.end();
    },
    firstRow: (_i, j, cnt, ta) => {
      beginRow(j);
      coef(blk[0]);
      stretch(b, s, cnt, oneStream(ta, [xa, va], [blk[0].sx, blk[0].sv], [[oa, blk[0].c]]));
      afterRow(j, blk[0]);
    },
    pairRow: (j, cnt, ta1, ta2) => {
      beginRow(j);
      coef(blk[0]);
      coef(blk[1]);
      stretch(
        b,
        s,
        cnt,
        {
          tensors: [ta1, ta2],
          dots: blk.flatMap((q, t) => [
            { vec: xa, t, result: q.sx },
            { vec: va, t, result: q.sv },
          ]),
          axpys: [{ addr: oa, terms: blk.map((q, t) => ({ coef: q.c, t })) }],
        },
        1,
      );
      afterRow(j, blk[0]);
      afterRow(j, blk[1]);
    },
    endSingle: (i) => {
      endBlock(i, blk[0]);
      if (f32x4) flush32(b, os, op, () => b.get(i).i32(2).add(), n);
    },
    endPair: (i, i1) => {
      endBlock(i, blk[0]);
      endBlock(i1, blk[1]);
      if (f32x4) flush32(b, os, op, () => b.get(i).i32(2).add(), n);
    },
  });
  b.get(dp).get(d).f64Store();
  b.get(e);
  return { name: `hvpPair_${s}`, body: b, results: [F64] };
}
