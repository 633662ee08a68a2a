/**
 * WebAssembly SIMD (f64x2) kernel for the sums of the secular equation (secular.ts):
 * over j in a range, t = z_j / (δ_j − τ), s = Σ t z_j, s' = Σ t². Two lanes (pairs of
 * j), so the sums agree with the JavaScript loop to rounding, not bit for bit.
 */
import { Body, F64, I32, V128 } from '../numerics/wasmAsm.ts';

export interface SecularExports {
  /**
   * Over the byte range [j0, j1) of δ (from dp) and z (from zp): stores s at out and
   * s' at out + 8.
   */
  secular(dp: number, zp: number, j0: number, j1: number, tau: number, out: number): void;
}

export function secularBody(): Body {
  const b = new Body([I32, I32, I32, I32, F64, I32]);
  const [DP, ZP, J0, J1, TAU, OUT] = [0, 1, 2, 3, 4, 5];
  const j = b.local(I32);
  const [tau2, z, t, s, ds] = [b.local(V128), b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  const [zs, ts, ss, dss] = [b.local(F64), b.local(F64), b.local(F64), b.local(F64)];
  b.get(TAU).f64x2Splat().set(tau2);
  b.f64(0).f64x2Splat().tee(s).set(ds);
  b.get(J0).set(j);
  b.block().loop(); // pairs
  b.get(j).i32(16).add().get(J1).gtS().brIf(1);
  b.get(ZP).get(j).add().v128Load().set(z);
  b.get(z).get(DP).get(j).add().v128Load().get(tau2).f64x2Sub().f64x2Div().set(t);
  b.get(s).get(t).get(z).f64x2Mul().f64x2Add().set(s);
  b.get(ds).get(t).get(t).f64x2Mul().f64x2Add().set(ds);
  b.get(j).i32(16).add().set(j);
  b.br(0);
  b.end().end();
  b.get(s).f64x2ExtractLane(0).get(s).f64x2ExtractLane(1).fadd().set(ss);
  b.get(ds).f64x2ExtractLane(0).get(ds).f64x2ExtractLane(1).fadd().set(dss);
  // odd tail
  b.get(j).get(J1).ltS().if();
  b.get(ZP).get(j).add().f64Load().set(zs);
  b.get(zs).get(DP).get(j).add().f64Load().get(TAU).fsub().fdiv().set(ts);
  b.get(ss).get(ts).get(zs).fmul().fadd().set(ss);
  b.get(dss).get(ts).get(ts).fmul().fadd().set(dss);
  b.end();
  b.get(OUT).get(ss).f64Store(0);
  b.get(OUT).get(dss).f64Store(8);
  return b;
}
