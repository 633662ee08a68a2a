/**
 * WebAssembly (SIMD) code of the p = 3 packed-tensor kernels (layout in `packed.ts`),
 * emitted with `wasmAsm.ts`. Every kernel walks the packed block once, as the JS
 * kernels of `contractions.ts` do: pairs i < j in order, and for each pair the
 * contiguous stretch T_{ij,k}, k = j+1…n−1, processed two entries per f64x2 vector,
 * four per iteration (two vector accumulators per dot product), then a scalar tail.
 * A float32 tensor is read eight bytes (two entries) at a time and widened with
 * `f64x2.promote_low_f32x4`, so all arithmetic is float64 in both precisions.
 *
 * Addresses are byte offsets into the shared memory; `n` is the block's dimension.
 * The kernels (per precision, suffix `_f64` / `_f32`):
 * - `contract(tp, n, xp) → F`
 * - `grad(tp, n, xp, gp, scale) → F`, g += scale·∇F
 * - `hvp(tp, n, xp, vp, op, alpha, beta, dp) → F`, out += alpha·∇²F v + beta·∇F, mem[dp] = ∇F·v;
 *   `hvpPair` (`tensorWasmHvp.ts`, same arguments) with blocks i, i+1 paired, the default
 * - `hess(tp, n, xp, hp, ldh, alpha)`, upper triangle of H (row stride ldh bytes) += alpha·∇²F,
 *   blocks i, i+1 paired; `hessRow` (same arguments) one row at a time
 * The `_f32x4` kernels (`tensorWasmF32.ts`) take the float32 copies of x (and v) and a float32
 * scratch after these arguments; their H is float32, rows padded for the stretches' overrun.
 */

import { flush32 } from './tensorWasmF32.ts';
import { hvpPairFn } from './tensorWasmHvp.ts';
import {
  accumulate,
  load8,
  oneStream,
  pairedBlocks,
  pairLoops,
  type Storage,
  streamAddr,
  stretch,
} from './tensorWasmLoops.ts';
import { Body, F64, I32, type WasmFunction } from './wasmAsm.ts';

export type { Storage };

/** The dot products of both paired rows with one vector. */
function bothRows(vec: number, r0: number, r1: number) {
  return [
    { vec, t: 0, result: r0 },
    { vec, t: 1, result: r1 },
  ];
}

/**
 * The f32x4 kernels take, after the others, the byte addresses of the float32 copies of
 * their vectors and of their float32 scratch (see `tensorWasmF32.ts`); `simd32` says so.
 */
const simd32 = (s: Storage, extra: number) => (s === 'f32x4' ? new Array<typeof I32>(extra).fill(I32) : []);

function contractFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, ...simd32(s, 1)]);
  const [tp, n, xp] = [0, 1, 2];
  const xs = s === 'f32x4' ? 3 : xp;
  const e = b.local(F64);
  const xi = b.local(F64);
  const ei = b.local(F64);
  const sx = b.local(F64);
  const xa = b.local(I32);
  pairLoops(
    b,
    { tp, n },
    {
      perI: (i) => {
        load8(b, xp, i);
        b.set(xi).f64(0).set(ei);
      },
      perPair: (_i, j) => streamAddr(b, s, xa, xs, j),
      stretch: (ta) => oneStream(ta, [xa], [sx], []),
      afterPair: (_i, j) => {
        b.get(ei);
        load8(b, xp, j);
        b.get(sx).fmul().fadd().set(ei);
      },
      afterI: () => {
        b.get(e).get(xi).get(ei).fmul().fadd().set(e);
      },
    },
    s,
  );
  b.get(e);
  return { name: `contract_${s}`, body: b, results: [F64] };
}

function gradFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, I32, F64, ...simd32(s, 2)]);
  const [tp, n, xp, gp, scale] = [0, 1, 2, 3, 4];
  const [xs, gs] = s === 'f32x4' ? [5, 6] : [xp, gp];
  const e = b.local(F64);
  const xi = b.local(F64);
  const sxi = b.local(F64);
  const gi = b.local(F64);
  const xj = b.local(F64);
  const c = b.local(F64);
  const sx = b.local(F64);
  const xa = b.local(I32);
  const ga = b.local(I32);
  const tmp = b.local(I32);
  pairLoops(
    b,
    { tp, n },
    {
      perI: (i) => {
        load8(b, xp, i);
        b.tee(xi).get(scale).fmul().set(sxi).f64(0).set(gi);
      },
      perPair: (_i, j) => {
        load8(b, xp, j);
        b.tee(xj).get(sxi).fmul().set(c);
        streamAddr(b, s, xa, xs, j);
        streamAddr(b, s, ga, gs, j);
      },
      stretch: (ta) => oneStream(ta, [xa], [sx], [[ga, c]]),
      afterPair: (_i, j) => {
        b.get(gi).get(xj).get(sx).fmul().fadd().set(gi);
        accumulate(b, tmp, gp, j, () => b.get(sxi).get(sx).fmul());
      },
      afterI: (i) => {
        b.get(e).get(xi).get(gi).fmul().fadd().set(e);
        accumulate(b, tmp, gp, i, () => b.get(scale).get(gi).fmul());
        if (s === 'f32x4') flush32(b, gs, gp, () => b.get(i).i32(2).add(), n);
      },
    },
    s,
  );
  b.get(e);
  return { name: `grad_${s}`, body: b, results: [F64] };
}

function hvpFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32, F64, F64, I32, ...simd32(s, 3)]);
  const [tp, n, xp, vp, op, alpha, beta, dp] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [xs, vs, os] = s === 'f32x4' ? [8, 9, 10] : [xp, vp, op];
  const e = b.local(F64);
  const d = b.local(F64);
  const [xi, vi, xj, vj, c, sx, sv, oi] = [0, 0, 0, 0, 0, 0, 0, 0].map(() => b.local(F64));
  const xa = b.local(I32);
  const va = b.local(I32);
  const oa = b.local(I32);
  const tmp = b.local(I32);
  pairLoops(
    b,
    { tp, n },
    {
      perI: (i) => {
        load8(b, xp, i);
        b.set(xi);
        load8(b, vp, i);
        b.set(vi).f64(0).set(oi);
      },
      perPair: (_i, j) => {
        load8(b, xp, j);
        b.set(xj);
        load8(b, vp, j);
        b.set(vj);
        // c = alpha (x_i v_j + v_i x_j) + beta x_i x_j: the k-row's coefficient.
        b.get(alpha).get(xi).get(vj).fmul().get(vi).get(xj).fmul().fadd().fmul();
        b.get(beta).get(xi).get(xj).fmul().fmul().fadd().set(c);
        streamAddr(b, s, xa, xs, j);
        streamAddr(b, s, va, vs, j);
        streamAddr(b, s, oa, os, j);
      },
      stretch: (ta) => oneStream(ta, [xa, va], [sx, sv], [[oa, c]]),
      afterPair: (_i, j) => {
        // F += x_i x_j s; ∇F·v += (v_i x_j + x_i v_j) s + x_i x_j sv.
        b.get(e).get(xi).get(xj).fmul().get(sx).fmul().fadd().set(e);
        b.get(d).get(vi).get(xj).fmul().get(xi).get(vj).fmul().fadd().get(sx).fmul().fadd();
        b.get(xi).get(xj).fmul().get(sv).fmul().fadd().set(d);
        // row i: alpha (x_j sv + v_j s) + beta x_j s (summed over j in oi)
        b.get(oi).get(alpha).get(xj).get(sv).fmul().get(vj).get(sx).fmul().fadd().fmul();
        b.get(beta).get(xj).get(sx).fmul().fmul().fadd().fadd().set(oi);
        accumulate(b, tmp, op, j, () => {
          b.get(alpha).get(xi).get(sv).fmul().get(vi).get(sx).fmul().fadd().fmul();
          b.get(beta).get(xi).get(sx).fmul().fmul().fadd();
        });
      },
      afterI: (i) => {
        accumulate(b, tmp, op, i, () => b.get(oi));
        if (s === 'f32x4') flush32(b, os, op, () => b.get(i).i32(2).add(), n);
      },
    },
    s,
  );
  b.get(dp).get(d).f64Store();
  b.get(e);
  return { name: `hvp_${s}`, body: b, results: [F64] };
}

/**
 * Dense Hessian: H_ik += α x_j T, H_jk += α x_i T, H_ij += α Σ_k T x_k. Paired blocks
 * share the pass over row j of H: H_jk += α(x_i T_ijk + x_{i+1} T_{i+1,jk}).
 */
function hessFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32, F64, ...simd32(s, 1)]);
  const [tp, n, xp, hp, ldh, alpha] = [0, 1, 2, 3, 4, 5];
  const xs = s === 'f32x4' ? 6 : xp;
  const [ai, ai1, aj, s1, s2] = Array.from({ length: 5 }, () => b.local(F64));
  const [rowI, rowI1, xa, hI, hI1, hJ] = Array.from({ length: 6 }, () => b.local(I32));
  /** H[row][col] += α·value, `row` the byte address of the row start. */
  const addH = (row: number, col: number, value: number) =>
    addTo(b, s, hJ, row, col, () => b.get(alpha).get(value).fmul());
  const rowStart = (j: number) => {
    streamAddr(b, s, xa, xs, j);
    streamAddr(b, s, hI, rowI, j);
    streamAddr(b, s, hI1, rowI1, j);
  };
  pairedBlocks(b, s, tp, n, {
    begin: (i, i1) => {
      load8(b, xp, i);
      b.get(alpha).fmul().set(ai);
      load8(b, xp, i1);
      b.get(alpha).fmul().set(ai1);
      b.get(hp).get(i).get(ldh).mul().add().tee(rowI).get(ldh).add().set(rowI1);
    },
    // Row j = i+1 of block i: H_ik += α x_{i+1} T, H_{i+1,k} += α x_i T.
    firstRow: (_i, j, cnt, ta) => {
      rowStart(j);
      stretch(
        b,
        s,
        cnt,
        oneStream(
          ta,
          [xa],
          [s1],
          [
            [hI, ai1],
            [hI1, ai],
          ],
        ),
      );
      addH(rowI, j, s1);
    },
    pairRow: (j, cnt, ta1, ta2) => {
      rowStart(j);
      load8(b, xp, j);
      b.get(alpha).fmul().set(aj);
      b.get(hp).get(j).get(ldh).mul().add().set(hJ);
      streamAddr(b, s, hJ, hJ, j);
      stretch(b, s, cnt, {
        tensors: [ta1, ta2],
        dots: bothRows(xa, s1, s2),
        axpys: [
          { addr: hI, terms: [{ coef: aj, t: 0 }] },
          { addr: hI1, terms: [{ coef: aj, t: 1 }] },
          {
            addr: hJ,
            terms: [
              { coef: ai, t: 0 },
              { coef: ai1, t: 1 },
            ],
          },
        ],
      });
      addH(rowI, j, s1);
      addH(rowI1, j, s2);
    },
    endSingle: () => {},
    endPair: () => {},
  });
  return { name: `hess_${s}`, body: b, results: [] };
}

/** Dense Hessian one tensor row at a time (better for the short blocks of p ≥ 4). */
function hessRowFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32, F64, ...simd32(s, 1)]);
  const [tp, n, xp, hp, ldh, alpha] = [0, 1, 2, 3, 4, 5];
  const xs = s === 'f32x4' ? 6 : xp;
  const [ai, aj, sx] = [0, 0, 0].map(() => b.local(F64));
  const [xa, ha, hb, rowI, tmp] = [0, 0, 0, 0, 0].map(() => b.local(I32));
  pairLoops(
    b,
    { tp, n },
    {
      perI: (i) => {
        b.get(hp).get(i).get(ldh).mul().add().set(rowI);
        load8(b, xp, i);
        b.get(alpha).fmul().set(ai);
      },
      perPair: (_i, j) => {
        load8(b, xp, j);
        b.get(alpha).fmul().set(aj);
        streamAddr(b, s, xa, xs, j);
        streamAddr(b, s, ha, rowI, j);
        b.get(hp).get(j).get(ldh).mul().add().set(hb);
        streamAddr(b, s, hb, hb, j);
      },
      stretch: (ta) =>
        oneStream(
          ta,
          [xa],
          [sx],
          [
            [ha, aj],
            [hb, ai],
          ],
        ),
      afterPair: (_i, j) => addTo(b, s, tmp, rowI, j, () => b.get(alpha).get(sx).fmul()),
      afterI: () => {},
    },
    s,
  );
  return { name: `hessRow_${s}`, body: b, results: [] };
}

/**
 * `H[row][col] += value` (`emit` pushes the f64 value), `row` the byte address of a row of H:
 * float64 entries, or float32 ones for 'f32x4' (the sum rounded back); `tmp` an i32 local.
 */
function addTo(b: Body, s: Storage, tmp: number, row: number, col: number, emit: () => void): void {
  if (s !== 'f32x4') {
    accumulate(b, tmp, row, col, emit);
    return;
  }
  b.get(row).get(col).i32(2).shl().add().tee(tmp);
  b.get(tmp).f32Load().promote();
  emit();
  b.fadd().demote().f32Store();
}

/** All kernels: both precisions, float32 both widened and in f32x4 arithmetic. */
export function tensorKernelFunctions(): WasmFunction[] {
  const out: WasmFunction[] = [];
  for (const s of ['f64', 'f32'] as const)
    out.push(contractFn(s), gradFn(s), hvpFn(s), hvpPairFn(s), hessFn(s), hessRowFn(s));
  out.push(contractFn('f32x4'), gradFn('f32x4'), hvpFn('f32x4'), hvpPairFn('f32x4'));
  out.push(hessFn('f32x4'), hessRowFn('f32x4'));
  return out;
}
