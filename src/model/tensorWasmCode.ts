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
 * - `hvp(tp, n, xp, vp, op, alpha, beta, dp) → F`, out += alpha·∇²F v + beta·∇F, mem[dp] = ∇F·v
 * - `hess(tp, n, xp, hp, ldh, alpha)`, upper triangle of H (row stride ldh bytes) += alpha·∇²F
 */
import { Body, F64, I32, V128, type WasmFunction } from './wasmAsm.ts';

export type Storage = 'f64' | 'f32';

/** An axpy target of a stretch: `mem[addr + 8k] += coef · T_k`. */
interface Axpy {
  /** i32 local: byte address of the target's entry for the stretch's first k. */
  addr: number;
  /** f64 local holding the coefficient. */
  coef: number;
}

interface StretchSpec {
  /** i32 locals: byte addresses of the vectors dotted with the stretch (entry for the first k). */
  dots: number[];
  /** f64 locals receiving the dot products. */
  results: number[];
  axpys: Axpy[];
}

/** Loads two tensor entries at `ta + offset` as an f64x2. */
function loadT2(b: Body, s: Storage, ta: number, offset: number): void {
  b.get(ta);
  if (s === 'f64') b.v128Load(offset);
  else b.v128Load64Zero(offset).f64x2PromoteLowF32x4();
}

function loadT1(b: Body, s: Storage, ta: number): void {
  b.get(ta);
  if (s === 'f64') b.f64Load();
  else b.f32Load().promote();
}

function inc(b: Body, l: number, by: number): void {
  b.get(l).i32(by).add().set(l);
}

/**
 * One stretch of `cnt` entries starting at byte address `ta` (advanced past it, so it
 * then points at the next stretch): the dot products of `spec.dots` and the axpys.
 */
function stretch(b: Body, s: Storage, ta: number, cnt: number, spec: StretchSpec): void {
  const es = s === 'f64' ? 8 : 4;
  const t0 = b.local(V128);
  const t1 = b.local(V128);
  const acc = spec.dots.map(() => [b.local(V128), b.local(V128)]);
  const cv = spec.axpys.map(() => b.local(V128));
  const tk = b.local(F64);
  for (const [a0, a1] of acc) {
    b.f64(0).f64x2Splat().tee(a0).set(a1);
  }
  spec.axpys.forEach((a, q) => {
    b.get(a.coef).f64x2Splat().set(cv[q]);
  });
  const streams = [...spec.dots, ...spec.axpys.map((a) => a.addr)];
  // Four entries per iteration.
  b.block().loop();
  b.get(cnt).i32(4).ltS().brIf(1);
  loadT2(b, s, ta, 0);
  b.set(t0);
  loadT2(b, s, ta, 2 * es);
  b.set(t1);
  spec.dots.forEach((d, q) => {
    const [a0, a1] = acc[q];
    b.get(a0).get(t0).get(d).v128Load(0).f64x2Mul().f64x2Add().set(a0);
    b.get(a1).get(t1).get(d).v128Load(16).f64x2Mul().f64x2Add().set(a1);
  });
  spec.axpys.forEach((a, q) => {
    for (const [tv, off] of [
      [t0, 0],
      [t1, 16],
    ]) {
      b.get(a.addr).get(a.addr).v128Load(off).get(cv[q]).get(tv).f64x2Mul().f64x2Add().v128Store(off);
    }
  });
  inc(b, ta, 4 * es);
  for (const l of streams) inc(b, l, 32);
  inc(b, cnt, -4);
  b.br(0).end().end();
  // Horizontal sums, then the scalar tail (0–3 entries).
  spec.dots.forEach((_, q) => {
    const [a0, a1] = acc[q];
    b.get(a0).get(a1).f64x2Add().tee(a0).f64x2ExtractLane(0).get(a0).f64x2ExtractLane(1).fadd();
    b.set(spec.results[q]);
  });
  b.block().loop();
  b.get(cnt).i32(1).ltS().brIf(1);
  loadT1(b, s, ta);
  b.set(tk);
  spec.dots.forEach((d, q) => {
    b.get(spec.results[q]).get(tk).get(d).f64Load().fmul().fadd().set(spec.results[q]);
  });
  for (const a of spec.axpys) {
    b.get(a.addr).get(a.addr).f64Load().get(a.coef).get(tk).fmul().fadd().f64Store();
  }
  inc(b, ta, es);
  for (const l of streams) inc(b, l, 8);
  inc(b, cnt, -1);
  b.br(0).end().end();
}

/** `base + 8·index` into local `dst`. */
function addr8(b: Body, dst: number, base: number, index: number, plus = 0): void {
  b.get(base).get(index).i32(3).shl().add();
  if (plus) b.i32(plus).add();
  b.set(dst);
}

/** `f64` at `base + 8·index` onto the stack. */
function load8(b: Body, base: number, index: number): void {
  b.get(base).get(index).i32(3).shl().add().f64Load();
}

/** Emits `mem[a] += value` where `a = base + 8·index`, `value` from `emit`. */
function accumulate(b: Body, tmp: number, base: number, index: number, emit: () => void): void {
  addr8(b, tmp, base, index);
  b.get(tmp).get(tmp).f64Load();
  emit();
  b.fadd().f64Store();
}

/**
 * The pair loops `for i < n−2: for j in (i, n−1)`, with `ta` walking the packed
 * block; `perI`/`perPair`/`afterPair`/`afterI` emit the kernel's own code.
 */
function pairLoops(
  b: Body,
  ctx: { tp: number; n: number },
  hooks: {
    perI: (i: number) => void;
    perPair: (i: number, j: number, cnt: number) => void;
    stretch: () => StretchSpec;
    afterPair: (i: number, j: number) => void;
    afterI: (i: number) => void;
  },
  s: Storage,
): void {
  const i = b.local(I32);
  const j = b.local(I32);
  const ta = b.local(I32);
  const cnt = b.local(I32);
  b.get(ctx.tp).set(ta);
  b.block().loop();
  b.get(i).get(ctx.n).i32(2).sub().geS().brIf(1);
  hooks.perI(i);
  b.get(i).i32(1).add().set(j);
  b.block().loop();
  b.get(j).get(ctx.n).i32(1).sub().geS().brIf(1);
  b.get(ctx.n).get(j).sub().i32(1).sub().set(cnt);
  hooks.perPair(i, j, cnt);
  stretch(b, s, ta, cnt, hooks.stretch());
  hooks.afterPair(i, j);
  inc(b, j, 1);
  b.br(0).end().end();
  hooks.afterI(i);
  inc(b, i, 1);
  b.br(0).end().end();
}

function contractFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32]);
  const [tp, n, xp] = [0, 1, 2];
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
      perPair: (_i, j) => addr8(b, xa, xp, j, 8),
      stretch: () => ({ dots: [xa], results: [sx], axpys: [] }),
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
  const b = new Body([I32, I32, I32, I32, F64]);
  const [tp, n, xp, gp, scale] = [0, 1, 2, 3, 4];
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
        addr8(b, xa, xp, j, 8);
        addr8(b, ga, gp, j, 8);
      },
      stretch: () => ({ dots: [xa], results: [sx], axpys: [{ addr: ga, coef: c }] }),
      afterPair: (_i, j) => {
        b.get(gi).get(xj).get(sx).fmul().fadd().set(gi);
        accumulate(b, tmp, gp, j, () => b.get(sxi).get(sx).fmul());
      },
      afterI: (i) => {
        b.get(e).get(xi).get(gi).fmul().fadd().set(e);
        accumulate(b, tmp, gp, i, () => b.get(scale).get(gi).fmul());
      },
    },
    s,
  );
  b.get(e);
  return { name: `grad_${s}`, body: b, results: [F64] };
}

function hvpFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32, F64, F64, I32]);
  const [tp, n, xp, vp, op, alpha, beta, dp] = [0, 1, 2, 3, 4, 5, 6, 7];
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
        addr8(b, xa, xp, j, 8);
        addr8(b, va, vp, j, 8);
        addr8(b, oa, op, j, 8);
      },
      stretch: () => ({ dots: [xa, va], results: [sx, sv], axpys: [{ addr: oa, coef: c }] }),
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
      afterI: (i) => accumulate(b, tmp, op, i, () => b.get(oi)),
    },
    s,
  );
  b.get(dp).get(d).f64Store();
  b.get(e);
  return { name: `hvp_${s}`, body: b, results: [F64] };
}

function hessFn(s: Storage): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32, F64]);
  const [tp, n, xp, hp, ldh, alpha] = [0, 1, 2, 3, 4, 5];
  const [ai, aj, sx] = [0, 0, 0].map(() => b.local(F64));
  const [xa, ha, hb, rowI, tmp] = [0, 0, 0, 0, 0].map(() => b.local(I32));
  pairLoops(
    b,
    { tp, n },
    {
      perI: (i) => {
        // rowI = hp + i·ldh; ai = alpha x_i
        b.get(hp).get(i).get(ldh).mul().add().set(rowI);
        load8(b, xp, i);
        b.get(alpha).fmul().set(ai);
      },
      perPair: (_i, j) => {
        load8(b, xp, j);
        b.get(alpha).fmul().set(aj);
        addr8(b, xa, xp, j, 8);
        addr8(b, ha, rowI, j, 8);
        b.get(hp).get(j).get(ldh).mul().add().set(hb);
        addr8(b, hb, hb, j, 8);
      },
      // H_ik += alpha x_j T, H_jk += alpha x_i T, H_ij += alpha Σ_k T x_k.
      stretch: () => ({
        dots: [xa],
        results: [sx],
        axpys: [
          { addr: ha, coef: aj },
          { addr: hb, coef: ai },
        ],
      }),
      afterPair: (_i, j) => accumulate(b, tmp, rowI, j, () => b.get(alpha).get(sx).fmul()),
      afterI: () => {},
    },
    s,
  );
  return { name: `hess_${s}`, body: b, results: [] };
}

/** All kernels, both precisions. */
export function tensorKernelFunctions(): WasmFunction[] {
  const out: WasmFunction[] = [];
  for (const s of ['f64', 'f32'] as const) out.push(contractFn(s), gradFn(s), hvpFn(s), hessFn(s));
  return out;
}
