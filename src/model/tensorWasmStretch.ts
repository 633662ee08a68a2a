/**
 * What a stretch of the packed-tensor kernels does (`StretchSpec`) and the arithmetic of one
 * vector step of it, shared by the float64 stretch (`tensorWasmLoops.ts`) and the float32 one
 * (`tensorWasmF32.ts`), which differ only in how entries are loaded and how many fit a vector.
 */
import { type Body, V128 } from './wasmAsm.ts';

/** A term `coef · T` of an axpy: f64 local `coef` times tensor stream `t`. */
export interface Term {
  coef: number;
  t: number;
}

/**
 * One stretch: `cnt` entries read from each tensor stream (i32 locals of byte
 * addresses, advanced past the stretch), dotted with vectors and added to targets.
 */
export interface StretchSpec {
  tensors: number[];
  /** `result = Σ_k T_t[k] · mem[vec + 8k]` (f64 local `result`, i32 local `vec`). */
  dots: { vec: number; t: number; result: number }[];
  /** `mem[addr + 8k] += Σ_terms coef · T_t[k]`. */
  axpys: { addr: number; terms: Term[] }[];
  /**
   * f32x4 only: start every stream at the 16-byte boundary below it (`stretch32`); set
   * where measured to pay (the gradient), not for the Hessian–vector product (slower).
   */
  align?: boolean;
}

/**
 * The arithmetic of one vector step of a stretch, tensor vectors `tv` loaded: dots into
 * the accumulators `acc`, axpys with the splatted coefficients `cv` (f64x2 or f32x4 ops).
 */
export function vectorStep(
  b: Body,
  spec: StretchSpec,
  halves: number[],
  tv: number[][],
  acc: number[][],
  cv: Map<number, number>,
  op: { mul: () => void; add: () => void },
): void {
  // Each vector stream is loaded once per half, however many dots use it (x and v serve
  // both blocks of the paired Hessian–vector kernel).
  const vecs = [...new Set(spec.dots.map((d) => d.vec))];
  const loaded = vecs.length < spec.dots.length ? b.local(V128) : -1;
  for (const vec of vecs) {
    const users = spec.dots.flatMap((d, q) => (d.vec === vec ? [{ d, q }] : []));
    for (const h of halves) {
      if (users.length > 1)
        b.get(vec)
          .v128Load(16 * h)
          .set(loaded);
      for (const { d, q } of users) {
        b.get(acc[q][h]).get(tv[d.t][h]);
        if (users.length > 1) b.get(loaded);
        else b.get(vec).v128Load(16 * h);
        op.mul();
        op.add();
        b.set(acc[q][h]);
      }
    }
  }
  for (const a of spec.axpys)
    for (const h of halves) {
      b.get(a.addr)
        .get(a.addr)
        .v128Load(16 * h);
      for (const term of a.terms) {
        b.get(cv.get(term.coef)!).get(tv[term.t][h]);
        op.mul();
        op.add();
      }
      b.v128Store(16 * h);
    }
}
