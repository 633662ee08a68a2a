/**
 * The f32x4 stretch of the float32 tensor kernels (`Storage` 'f32x4'). Widening float32
 * entries to f64x2 (the 'f32' kernels) costs more instructions per entry than the
 * float64 kernels, so halving the bytes read bought nothing (measured: float32
 * Hessian–vector 1.00× float64 at N = 600). Here the stretch runs in float32, four
 * entries per f32x4 vector: the vector streams are float32 too (x, v rounded copies;
 * the axpy targets a float32 scratch that the kernels add into their float64 outputs
 * and zero after each block, `flush32`), so a float32 entry costs half the
 * instructions of a float64 one.
 *
 * Rounding: each float32 sum runs over one stretch or one block, ≤ N terms (a dot
 * product over 8 lanes, ≤ N/8 + 7 terms each), so its error is ≤ N·u32·Σ|terms|
 * (u32 = 2⁻²⁴); everything across stretches and blocks is summed in float64.
 */
import { type StretchSpec, vectorStep } from './tensorWasmStretch.ts';
import { type Body, I32, V128 } from './wasmAsm.ts';

function inc(b: Body, l: number, by: number): void {
  b.get(l).i32(by).add().set(l);
}

/** i8x16.shuffle lanes moving bytes 8…15 (f32 lanes 2, 3) down to 0…7. */
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/**
 * Pushes the sum of the four float32 lanes of `v` as an f64, (l0 + l2) + (l1 + l3) in float64:
 * lanes 0, 1 and lanes 2, 3 (shuffled down) promoted to f64x2 (`wide`, a v128 scratch local).
 */
export function laneSum32(b: Body, v: number, wide: number): void {
  b.get(v).f64x2PromoteLowF32x4();
  b.get(v).get(v).i8x16Shuffle(HIGH_HALF).f64x2PromoteLowF32x4().f64x2Add().set(wide);
  b.get(wide).f64x2ExtractLane(0).get(wide).f64x2ExtractLane(1).fadd();
}

/** Entries a stretch may run past its end (the float32 vectors and scratch are padded so). */
export const OVERRUN = 16;

/**
 * One stretch (`StretchSpec`, the vectors and targets float32 at 4 bytes per entry),
 * `vectors` f32x4 per stream and iteration (4·vectors entries), rounded up to whole
 * iterations: the last one runs up to 4·vectors − 1 entries past the stretch, reading
 * the tensor's next entries (or its zero padding) against the zero padding of the
 * float32 vectors (so the dots gain exact zeros) and adding into the scratch's padding
 * (never flushed). No scalar tail. Dot results are f64 locals (the lanes summed in
 * float64); coefficients f64 locals, rounded to float32.
 */
export function stretch32(b: Body, cnt: number, spec: StretchSpec, vectors: 1 | 2 | 4): void {
  const halves = [0, 1, 2, 3].slice(0, vectors);
  const tv = spec.tensors.map(() => halves.map(() => b.local(V128)));
  const acc = spec.dots.map(() => halves.map(() => b.local(V128)));
  const coefs = [...new Set(spec.axpys.flatMap((a) => a.terms.map((t) => t.coef)))];
  const cv = new Map(coefs.map((c) => [c, b.local(V128)]));
  for (const a of acc) for (const l of a) b.f64(0).demote().f32x4Splat().set(l);
  for (const [c, l] of cv) b.get(c).demote().f32x4Splat().set(l);
  const streams = [...new Set([...spec.dots.map((d) => d.vec), ...spec.axpys.map((a) => a.addr)])];
  const per = 4 * vectors;
  // The first tensor stream runs to `end` (unsigned: addresses may pass 2 GiB); every
  // tensor stream is then set to its exact end (the caller carries them on).
  const end = b.local(I32);
  const t0 = spec.tensors[0];
  b.get(t0).get(cnt).i32(2).shl().add().set(end);
  // `align`: every stream starts at the 16-byte boundary below it (the tensor streams back
  // up as far, their extra first entries masked to +0), so each row's vectors sit exactly on
  // the previous row's stores, which the CPU forwards; a row starting one entry later
  // overlaps them by 12 bytes and stalls while they are in flight (measured: the gradient
  // at p = 5, N = 50 0.96× → 1.1–1.2× float64; the Hessian–vector product 1.0× → 0.9×).
  const mask = spec.align === true ? b.local(V128) : -1;
  if (mask >= 0) {
    const sh = b.local(I32);
    b.get(streams[0]).i32(12).and().set(sh);
    for (const l of [...streams, ...spec.tensors]) b.get(l).get(sh).sub().set(l);
    b.v128ConstI32([0, 4, 8, 12]).get(sh).i32x4Splat().i32x4GeS().set(mask);
  }
  b.block().loop();
  b.get(t0).get(end).geU().brIf(1);
  spec.tensors.forEach((ta, q) => {
    for (const h of halves) {
      b.get(ta).v128Load(16 * h);
      if (h === 0 && mask >= 0) b.get(mask).v128And();
      b.set(tv[q][h]);
    }
  });
  vectorStep(b, spec, halves, tv, acc, cv, { mul: () => b.f32x4Mul(), add: () => b.f32x4Add() });
  for (const l of [...spec.tensors, ...streams]) inc(b, l, 4 * per);
  if (mask >= 0) b.v128ConstI32([-1, -1, -1, -1]).set(mask);
  b.br(0).end().end();
  for (const ta of spec.tensors.slice(1)) b.get(ta).get(end).add().get(t0).sub().set(ta);
  b.get(end).set(t0);
  const wide = b.local(V128);
  spec.dots.forEach((d, q) => {
    const a = acc[q];
    for (let h = 1; h < a.length; h++) b.get(a[0]).get(a[h]).f32x4Add().set(a[0]);
    laneSum32(b, a[0], wide);
    b.set(d.result);
  });
}

/**
 * `out[k] += scratch[k]; scratch[k] = 0` for k = from…n−1, four at a time (so up to three
 * past n: both the scratch and `out` are padded): `out` float64 at byte address `op`,
 * `scratch` float32 at `sp` (i32 locals or params, like `n`); `from` pushes k's start.
 */
export function flush32(b: Body, sp: number, op: number, from: () => void, n: number): void {
  const k = b.local(I32);
  const oa = b.local(I32);
  const sa = b.local(I32);
  const sv = b.local(V128);
  from();
  b.set(k);
  b.block().loop();
  b.get(k).get(n).geS().brIf(1);
  b.get(op).get(k).i32(3).shl().add().set(oa);
  b.get(sp).get(k).i32(2).shl().add().tee(sa).v128Load().set(sv);
  b.get(oa).get(oa).v128Load().get(sv).f64x2PromoteLowF32x4().f64x2Add().v128Store();
  b.get(oa).get(oa).v128Load(16).get(sv).get(sv).i8x16Shuffle(HIGH_HALF).f64x2PromoteLowF32x4();
  b.f64x2Add().v128Store(16);
  b.get(sa).f64(0).f64x2Splat().v128Store();
  inc(b, k, 4);
  b.br(0).end().end();
}
