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
 * - `hess{G}(tp, n, xp, hp, ldh, alpha)`, upper triangle of H += alpha·∇²F, G blocks per pass
 *   over H (`tensorWasmHess.ts`), and `mirror` (both triangles)
 * The `_f32x4` kernels (`tensorWasmF32.ts`) take the float32 copies of x (and v) and a float32
 * scratch after these arguments (the dense Hessian: x and H in float32).
 */

import { flush32 } from './tensorWasmF32.ts';
import { HESS_GROUPS, hessGroupFn, mirrorFn } from './tensorWasmHess.ts';
import { hvpPairFn } from './tensorWasmHvp.ts';
import { accumulate, load8, oneStream, pairLoops, type Storage, streamAddr } from './tensorWasmLoops.ts';
import { Body, F64, I32, type WasmFunction } from './wasmAsm.ts';

export type { Storage };

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
      stretch: (ta) => ({ ...oneStream(ta, [xa], [sx], [[ga, c]]), align: true }),
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

/** All kernels: both precisions, float32 both widened and in f32x4 arithmetic. */
export function tensorKernelFunctions(): WasmFunction[] {
  const out: WasmFunction[] = [];
  for (const s of ['f64', 'f32'] as const) out.push(contractFn(s), gradFn(s), hvpFn(s), hvpPairFn(s));
  out.push(contractFn('f32x4'), gradFn('f32x4'), hvpFn('f32x4'), hvpPairFn('f32x4'));
  for (const s of ['f64', 'f32', 'f32x4'] as const) for (const g of HESS_GROUPS) out.push(hessGroupFn(s, g));
  out.push(mirrorFn('f64'), mirrorFn('f32'), mirrorFn('both'));
  return out;
}
