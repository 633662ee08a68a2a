/**
 * Loop skeletons of the packed-tensor kernels of `tensorWasmCode.ts`: a "stretch" is
 * the contiguous run T_{ij,k}, k = j+1…n−1, of one or more tensor rows, processed two
 * entries per f64x2 vector and four per iteration (two vector accumulators per dot
 * product), then a scalar tail; `pairLoops` walks the pairs i < j one row at a time,
 * `pairedBlocks` walks blocks i and i+1 together (rows T_{i,j,·} and T_{i+1,j,·} share
 * k > j, so vectors are loaded and targets updated once for both).
 */
import { stretch32 } from './tensorWasmF32.ts';
import { type StretchSpec, vectorStep } from './tensorWasmStretch.ts';
import { type Body, F64, I32, V128 } from './wasmAsm.ts';

export type { StretchSpec, Term } from './tensorWasmStretch.ts';

/**
 * Tensor storage and arithmetic of a kernel: float64; float32 widened to float64 on
 * load (all arithmetic float64); float32 with f32x4 arithmetic in the stretches
 * (`tensorWasmF32.ts`: vector streams are float32 copies/scratch, 4 bytes per entry).
 */
export type Storage = 'f64' | 'f32' | 'f32x4';

/** Bytes per tensor entry. */
export const tensorBytes = (s: Storage): number => (s === 'f64' ? 8 : 4);

/** Bytes per entry of the stretches' vector streams (x, v, targets). */
export const streamBytes = (s: Storage): number => (s === 'f32x4' ? 4 : 8);

/** The common one-stream stretch: dots of x-like vectors, single-term axpys. */
export function oneStream(
  ta: number,
  dots: number[],
  results: number[],
  axpys: [number, number][],
): StretchSpec {
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

export function inc(b: Body, l: number, by: number): void {
  b.get(l).i32(by).add().set(l);
}

/**
 * Emits one stretch (see `StretchSpec`); `cnt` is consumed. `vectors` f64x2 vectors per
 * stream and iteration (2: four entries, two accumulators per dot; 1: two entries, for
 * stretches with many streams, where two would spill registers); f32x4 vectors for
 * 'f32x4' (`stretch32`: eight or four entries).
 */
export function stretch(b: Body, s: Storage, cnt: number, spec: StretchSpec, vectors: 1 | 2 = 2): void {
  if (s === 'f32x4') {
    stretch32(b, cnt, spec, vectors);
    return;
  }
  const es = tensorBytes(s);
  const halves = vectors === 2 ? [0, 1] : [0];
  const tv = spec.tensors.map(() => halves.map(() => b.local(V128)));
  const tk = spec.tensors.map(() => b.local(F64));
  const acc = spec.dots.map(() => halves.map(() => b.local(V128)));
  const coefs = [...new Set(spec.axpys.flatMap((a) => a.terms.map((t) => t.coef)))];
  const cv = new Map(coefs.map((c) => [c, b.local(V128)]));
  for (const a of acc) for (const l of a) b.f64(0).f64x2Splat().set(l);
  for (const [c, l] of cv) b.get(c).f64x2Splat().set(l);
  const streams = [...new Set([...spec.dots.map((d) => d.vec), ...spec.axpys.map((a) => a.addr)])];
  const per = 2 * vectors;
  // `per` entries per stream and iteration.
  b.block().loop();
  b.get(cnt).i32(per).ltS().brIf(1);
  spec.tensors.forEach((ta, q) => {
    for (const h of halves) {
      loadT2(b, s, ta, 2 * es * h);
      b.set(tv[q][h]);
    }
  });
  vectorStep(b, spec, halves, tv, acc, cv, { mul: () => b.f64x2Mul(), add: () => b.f64x2Add() });
  for (const ta of spec.tensors) inc(b, ta, per * es);
  for (const l of streams) inc(b, l, 8 * per);
  inc(b, cnt, -per);
  b.br(0).end().end();
  // Horizontal sums, then the scalar tail (fewer than `per` entries).
  spec.dots.forEach((d, q) => {
    const [a0, a1] = acc[q];
    if (a1 !== undefined) b.get(a0).get(a1).f64x2Add().set(a0);
    b.get(a0).f64x2ExtractLane(0).get(a0).f64x2ExtractLane(1).fadd();
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
export function addr8(b: Body, dst: number, base: number, index: number, plus = 0): void {
  b.get(base).get(index).i32(3).shl().add();
  if (plus) b.i32(plus).add();
  b.set(dst);
}

/** The stream address `base + bytes·(index + 1)` (k = index + 1 on) into `dst`. */
export function streamAddr(b: Body, s: Storage, dst: number, base: number, index: number): void {
  const eb = streamBytes(s);
  b.get(base)
    .get(index)
    .i32(eb === 4 ? 2 : 3)
    .shl()
    .add()
    .i32(eb)
    .add()
    .set(dst);
}

/** `f64` at `base + 8·index` onto the stack. */
export function load8(b: Body, base: number, index: number): void {
  b.get(base).get(index).i32(3).shl().add().f64Load();
}

/** Emits `mem[a] += value` where `a = base + 8·index`, `value` from `emit`. */
export function accumulate(b: Body, tmp: number, base: number, index: number, emit: () => void): void {
  addr8(b, tmp, base, index);
  b.get(tmp).get(tmp).f64Load();
  emit();
  b.fadd().f64Store();
}

/**
 * The pair loops `for i < n−2: for j in (i, n−1)`, with `ta` walking the packed
 * block; `perI`/`perPair`/`afterPair`/`afterI` emit the kernel's own code.
 */
export function pairLoops(
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

/** Hooks of `pairedBlocks`; `i` and `i1` (= i + 1) are i32 locals. */
export interface PairedHooks {
  /** Start of blocks i (and i+1 when paired). */
  begin: (i: number, i1: number) => void;
  /** Block i's first row j = i+1 (alone); must call `stretch` on `ta`. */
  firstRow: (i: number, j: number, cnt: number, ta: number) => void;
  /** Row j ≥ i+2 of blocks i and i+1 together; must call `stretch` on `ta1`, `ta2`. */
  pairRow: (j: number, cnt: number, ta1: number, ta2: number) => void;
  /** End of block i when block i+1 does not exist (i = n−3). */
  endSingle: (i: number) => void;
  /** End of blocks i and i+1. */
  endPair: (i: number, i1: number) => void;
}

/** Walks the packed block two sub-blocks (first indices i, i+1) at a time. */
export function pairedBlocks(b: Body, s: Storage, tp: number, n: number, hooks: PairedHooks): void {
  const es = tensorBytes(s);
  const [i, i1, j, cnt, ta1, ta2, m] = Array.from({ length: 7 }, () => b.local(I32));
  b.get(tp).set(ta1);
  b.block().loop();
  b.get(i).get(n).i32(2).sub().geS().brIf(1);
  b.get(i).i32(1).add().set(i1);
  hooks.begin(i, i1);
  b.get(n).get(i).sub().i32(2).sub().set(cnt);
  hooks.firstRow(i, i1, cnt, ta1);
  b.get(i).get(n).i32(4).sub().gtS().if();
  hooks.endSingle(i);
  inc(b, i, 1);
  b.else();
  // Block i+1 starts after the (n−i−3)(n−i−2)/2 remaining entries of block i.
  b.get(n).get(i).sub().i32(3).sub().tee(m).get(m).i32(1).add().mul().i32(1).shr();
  b.i32(es).mul().get(ta1).add().set(ta2);
  b.get(i).i32(2).add().set(j);
  b.block().loop();
  b.get(j).get(n).i32(1).sub().geS().brIf(1);
  b.get(n).get(j).sub().i32(1).sub().set(cnt);
  hooks.pairRow(j, cnt, ta1, ta2);
  inc(b, j, 1);
  b.br(0).end().end();
  // ta1 has reached block i+1's start; continue after block i+1.
  b.get(ta2).set(ta1);
  hooks.endPair(i, i1);
  inc(b, i, 2);
  b.end();
  b.br(0).end().end();
}

/** The stream entry at `base + bytes·index` (float32 promoted for 'f32x4') as an f64 onto the stack. */
export function loadStream1(b: Body, s: Storage, base: number, index: number): void {
  if (s !== 'f32x4') {
    load8(b, base, index);
    return;
  }
  b.get(base).get(index).i32(2).shl().add().f32Load().promote();
}
