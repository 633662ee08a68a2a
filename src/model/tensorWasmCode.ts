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

/** A term `coef · T` of an axpy: f64 local `coef` times tensor stream `t`. */
interface Term {
  coef: number;
  t: number;
}

/**
 * One stretch: `cnt` entries read from each tensor stream (i32 locals of byte
 * addresses, advanced past the stretch), dotted with vectors and added to targets.
 */
interface StretchSpec {
  tensors: number[];
  /** `result = Σ_k T_t[k] · mem[vec + 8k]` (f64 local `result`, i32 local `vec`). */
  dots: { vec: number; t: number; result: number }[];
  /** `mem[addr + 8k] += Σ_terms coef · T_t[k]`. */
  axpys: { addr: number; terms: Term[] }[];
}

/** The common one-stream stretch: dots of x-like vectors, single-term axpys. */
function oneStream(ta: number, dots: number[], results: number[], axpys: [number, number][]): StretchSpec {
  return {
    tensors: [ta],
    dots: dots.map((vec, q) => ({ vec, t: 0, result: results[q] })),
    axpys: axpys.map(([addr, coef]) => ({ addr, terms: [{ coef, t: 0 }] })),
  };
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

/** Emits one stretch (see `StretchSpec`); `cnt` is consumed. */
function stretch(b: Body, s: Storage, cnt: number, spec: StretchSpec): void {
  const es = s === 'f64' ? 8 : 4;
  const tv = spec.tensors.map(() => [b.local(V128), b.local(V128)]);
  const tk = spec.tensors.map(() => b.local(F64));
  const acc = spec.dots.map(() => [b.local(V128), b.local(V128)]);
  const coefs = [...new Set(spec.axpys.flatMap((a) => a.terms.map((t) => t.coef)))];
  const cv = new Map(coefs.map((c) => [c, b.local(V128)]));
  for (const [a0, a1] of acc) b.f64(0).f64x2Splat().tee(a0).set(a1);
  for (const [c, l] of cv) b.get(c).f64x2Splat().set(l);
  const streams = [...new Set([...spec.dots.map((d) => d.vec), ...spec.axpys.map((a) => a.addr)])];
  // Four entries per stream and iteration.
  b.block().loop();
  b.get(cnt).i32(4).ltS().brIf(1);
  spec.tensors.forEach((ta, q) => {
    loadT2(b, s, ta, 0);
    b.set(tv[q][0]);
    loadT2(b, s, ta, 2 * es);
    b.set(tv[q][1]);
  });
  spec.dots.forEach((d, q) => {
    const [a0, a1] = acc[q];
    b.get(a0).get(tv[d.t][0]).get(d.vec).v128Load(0).f64x2Mul().f64x2Add().set(a0);
    b.get(a1).get(tv[d.t][1]).get(d.vec).v128Load(16).f64x2Mul().f64x2Add().set(a1);
  });
  for (const a of spec.axpys) {
    for (const [half, off] of [
      [0, 0],
      [1, 16],
    ]) {
      b.get(a.addr).get(a.addr).v128Load(off);
      for (const term of a.terms) b.get(cv.get(term.coef)!).get(tv[term.t][half]).f64x2Mul().f64x2Add();
      b.v128Store(off);
    }
  }
  for (const ta of spec.tensors) inc(b, ta, 4 * es);
  for (const l of streams) inc(b, l, 32);
  inc(b, cnt, -4);
  b.br(0).end().end();
  // Horizontal sums, then the scalar tail (0–3 entries).
  spec.dots.forEach((d, q) => {
    const [a0, a1] = acc[q];
    b.get(a0).get(a1).f64x2Add().tee(a0).f64x2ExtractLane(0).get(a0).f64x2ExtractLane(1).fadd();
    b.set(d.result);
  });
  b.block().loop();
  b.get(cnt).i32(1).ltS().brIf(1);
  spec.tensors.forEach((ta, q) => {
    loadT1(b, s, ta);
    b.set(tk[q]);
  });
  for (const d of spec.dots) b.get(d.result).get(tk[d.t]).get(d.vec).f64Load().fmul().fadd().set(d.result);
  for (const a of spec.axpys) {
    b.get(a.addr).get(a.addr).f64Load();
    for (const term of a.terms) b.get(term.coef).get(tk[term.t]).fmul().fadd();
    b.f64Store();
  }
  for (const ta of spec.tensors) inc(b, ta, es);
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
    stretch: (ta: number) => StretchSpec;
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
  stretch(b, s, cnt, hooks.stretch(ta));
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
      stretch: (ta) => oneStream(ta, [xa], [sx], [[ga, c]]),
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
      afterI: (i) => accumulate(b, tmp, op, i, () => b.get(oi)),
    },
    s,
  );
  b.get(dp).get(d).f64Store();
  b.get(e);
  return { name: `hvp_${s}`, body: b, results: [F64] };
}

/**
 * Dense Hessian, two blocks i, i+1 at a time: rows T_{i,j,·} and T_{i+1,j,·} share the
 * range k > j, so H_jk += α(x_i T_ijk + x_{i+1} T_{i+1,jk}) is one pass over row j of H
 * for two tensor rows, and x is loaded once for both dot products.
 */
function hessFn(s: Storage): WasmFunction {
  const es = s === 'f64' ? 8 : 4;
  const b = new Body([I32, I32, I32, I32, I32, F64]);
  const [tp, n, xp, hp, ldh, alpha] = [0, 1, 2, 3, 4, 5];
  const [ai, ai1, aj, s1, s2] = [0, 0, 0, 0, 0].map(() => b.local(F64));
  const [i, j, cnt, ta1, ta2, rowI, rowI1, xa, hI, hI1, hJ, m] = Array.from({ length: 12 }, () =>
    b.local(I32),
  );
  /** H[row][col] += alpha·value, row a byte address of the row start, col an index local. */
  const addH = (row: number, col: number, value: number) => {
    b.get(row).get(col).i32(3).shl().add().tee(hJ);
    b.get(hJ).f64Load().get(alpha).get(value).fmul().fadd().f64Store();
  };
  b.get(tp).set(ta1);
  b.block().loop();
  b.get(i).get(n).i32(2).sub().geS().brIf(1);
  // ai = α x_i, ai1 = α x_{i+1}; rows i and i+1 of H.
  load8(b, xp, i);
  b.get(alpha).fmul().set(ai);
  b.get(xp).get(i).i32(3).shl().add().f64Load(8).get(alpha).fmul().set(ai1);
  b.get(hp).get(i).get(ldh).mul().add().tee(rowI).get(ldh).add().set(rowI1);
  // Block i, row j = i+1 (alone): k from i+2.
  b.get(i).i32(1).add().set(j);
  b.get(n).get(i).sub().i32(2).sub().set(cnt);
  addr8(b, xa, xp, j, 8);
  addr8(b, hI, rowI, j, 8);
  addr8(b, hI1, rowI1, j, 8);
  stretch(
    b,
    s,
    cnt,
    oneStream(
      ta1,
      [xa],
      [s1],
      [
        [hI, ai1],
        [hI1, ai],
      ],
    ),
  );
  addH(rowI, j, s1);
  // If block i+1 exists (i ≤ n−4): rows j = i+2…n−2 of blocks i and i+1 together.
  b.block();
  b.get(i).get(n).i32(4).sub().gtS().brIf(0);
  // Block i+1 starts after the (n−i−3)(n−i−2)/2 remaining entries of block i.
  b.get(n).get(i).sub().i32(3).sub().tee(m).get(m).i32(1).add().mul().i32(1).shr();
  b.i32(es).mul().get(ta1).add().set(ta2);
  b.get(i).i32(2).add().set(j);
  b.block().loop();
  b.get(j).get(n).i32(1).sub().geS().brIf(1);
  b.get(n).get(j).sub().i32(1).sub().set(cnt);
  load8(b, xp, j);
  b.get(alpha).fmul().set(aj);
  addr8(b, xa, xp, j, 8);
  addr8(b, hI, rowI, j, 8);
  addr8(b, hI1, rowI1, j, 8);
  b.get(hp).get(j).get(ldh).mul().add().set(hJ);
  addr8(b, hJ, hJ, j, 8);
  stretch(b, s, cnt, {
    tensors: [ta1, ta2],
    dots: [
      { vec: xa, t: 0, result: s1 },
      { vec: xa, t: 1, result: s2 },
    ],
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
  inc(b, j, 1);
  b.br(0).end().end();
  // Both blocks done: continue after block i+1.
  b.get(ta2).set(ta1);
  inc(b, i, 1);
  b.end();
  inc(b, i, 1);
  b.br(0).end().end();
  return { name: `hess_${s}`, body: b, results: [] };
}

/** All kernels, both precisions. */
export function tensorKernelFunctions(): WasmFunction[] {
  const out: WasmFunction[] = [];
  for (const s of ['f64', 'f32'] as const) out.push(contractFn(s), gradFn(s), hvpFn(s), hessFn(s));
  return out;
}
