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
import { type StretchSpec, vectorStep } from './tensorWasmLoops.ts';
import { type Body, I32, V128 } from './wasmAsm.ts';

function inc(b: Body, l: number, by: number): void {
  b.get(l).i32(by).add().set(l);
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
  b.block().loop();
  b.get(t0).get(end).geU().brIf(1);
  spec.tensors.forEach((ta, q) => {
    for (const h of halves)
      b.get(ta)
        .v128Load(16 * h)
        .set(tv[q][h]);
  });
  vectorStep(b, spec, halves, tv, acc, cv, { mul: () => b.f32x4Mul(), add: () => b.f32x4Add() });
  for (const l of [...spec.tensors, ...streams]) inc(b, l, 4 * per);
  b.br(0).end().end();
  for (const ta of spec.tensors.slice(1)) b.get(ta).get(end).add().get(t0).sub().set(ta);
  b.get(end).set(t0);
  spec.dots.forEach((d, q) => {
    const a = acc[q];
    for (let h = 1; h < a.length; h++) b.get(a[0]).get(a[h]).f32x4Add().set(a[0]);
    b.get(a[0]).f32x4ExtractLane(0).promote().get(a[0]).f32x4ExtractLane(1).promote().fadd();
    b.get(a[0]).f32x4ExtractLane(2).promote().get(a[0]).f32x4ExtractLane(3).promote().fadd().fadd();
    b.set(d.result);
  });
}

/**
 * `out[k] += scratch[k]; scratch[k] = 0` for k = from…n−1: `out` float64 at byte address
 * `op`, `scratch` float32 at `sp` (i32 locals or params, like `n`); `from` pushes k's start.
 */
export function flush32(b: Body, sp: number, op: number, from: () => void, n: number): void {
  const k = b.local(I32);
  const oa = b.local(I32);
  const sa = b.local(I32);
  from();
  b.set(k);
  b.block().loop();
  b.get(k).get(n).geS().brIf(1);
  b.get(op).get(k).i32(3).shl().add().set(oa);
  b.get(sp).get(k).i32(2).shl().add().set(sa);
  b.get(oa).get(oa).f64Load().get(sa).f32Load().promote().fadd().f64Store();
  b.get(sa).f64(0).demote().f32Store();
  inc(b, k, 1);
  b.br(0).end().end();
}
