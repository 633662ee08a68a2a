/**
 * The p = 3 dense Hessian with G blocks i…i+G−1 grouped: every entry T_ijk adds
 * H_ik += α x_j T, H_jk += α x_i T and H_ij += α T x_k (upper triangle only). Rows
 * T_{i+g,j,·} of the G blocks share k > j, so one pass over row j of H serves G tensor
 * entries (H_jk += Σ_g α x_{i+g} T_{i+g,jk}): the read-modify-write of H, as many bytes
 * as the float64 tensor itself one block at a time, falls to 1/G of it. The G rows
 * H_{i+g,·} stay in L1. Each block's first rows j < i+G (before all G blocks share j)
 * run one at a time; the blocks left over at the end (fewer than G) run with G = 1.
 *
 * Stretches run past their end to whole iterations (no scalar tail): the tensor, x and
 * every row of H are padded (OVERRUN entries, zero in x), so the overrun reads tensor
 * entries against x's zeros and adds into H's padding, which is never read.
 * Signature: `hess{G}_{s}(tp, n, xp, hp, ldh, alpha)`: x at `xp` and H (row stride `ldh`
 * bytes) in the stretches' precision (float32 for 'f32x4', else float64).
 */
import { laneSum32 } from './tensorWasmF32.ts';
import { loadStream1, type Storage, streamAddr, streamBytes, tensorBytes } from './tensorWasmLoops.ts';
import { Body, F64, I32, V128, type WasmFunction } from './wasmAsm.ts';

/** The group sizes emitted: 1 (short blocks) and 3 (measured best at N = 300 and 600, see README). */
export const HESS_GROUPS = [1, 3] as const;
export type HessGroup = (typeof HESS_GROUPS)[number];

/** Vectors per stream and iteration: f64x2, four entries (two for a widened float32 tensor); f32x4, eight. */
const UNROLL = 2;

export function hessGroupFn(s: Storage, G: number): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32, F64]);
  const [tp, n, xp, hp, ldh, alpha] = [0, 1, 2, 3, 4, 5];
  const es = tensorBytes(s);
  const eb = streamBytes(s);
  const lanes = s === 'f32x4' ? 4 : 2;
  const per = UNROLL * lanes;
  const i32 = () => b.local(I32);
  const f64 = () => b.local(F64);
  const v128 = () => b.local(V128);
  const [i, j, cnt, m, xa, hj, end, tmp] = [i32(), i32(), i32(), i32(), i32(), i32(), i32(), i32()];
  const ta = Array.from({ length: G }, i32);
  const rowH = Array.from({ length: G }, i32);
  const hg = Array.from({ length: G }, i32);
  const a = Array.from({ length: G }, f64);
  const sres = Array.from({ length: G }, f64);
  const aj = f64();
  const acc = Array.from({ length: G }, v128);
  const cg = Array.from({ length: G }, v128);
  const [cj, tv, xv, mask] = [v128(), v128(), v128(), v128()];
  const align = eb === 8;
  const sh = i32();
  const [mul, add] =
    s === 'f32x4' ? [() => b.f32x4Mul(), () => b.f32x4Add()] : [() => b.f64x2Mul(), () => b.f64x2Add()];
  const splat = (l: number) => {
    b.get(l);
    if (s === 'f32x4') b.demote().f32x4Splat();
    else b.f64x2Splat();
  };
  /** `dst = base + eb·(index + 1)`: the stream from column index + 1. */
  const from = (dst: number, base: number, index: number) => streamAddr(b, s, dst, base, index);
  /** H[row][col] += α·sum (`row` the byte address of the row). */
  const addH = (row: number, col: number, sum: number) => {
    b.get(row)
      .get(col)
      .i32(eb === 4 ? 2 : 3)
      .shl()
      .add()
      .tee(tmp);
    if (s === 'f32x4') {
      b.get(tmp).f32Load().promote().get(alpha).get(sum).fmul().fadd().demote().f32Store();
    } else b.get(tmp).f64Load().get(alpha).get(sum).fmul().fadd().f64Store();
  };

  /**
   * One stretch of `cnt` entries over the tensor streams `tensors` (one row of each
   * block): sres[q] = Σ_k T_q x_k, row hgs[q] += hgCoef·T_q, row hj += Σ_q hjCoefs[q]·T_q.
   */
  const stretch = (tensors: number[], hgs: number[], hgCoef: number, hjCoefs: number[]) => {
    const G1 = tensors.length;
    for (let q = 0; q < G1; q++) {
      b.f64(0);
      if (s === 'f32x4') b.demote().f32x4Splat();
      else b.f64x2Splat();
      b.set(acc[q]);
      splat(hjCoefs[q]);
      b.set(cg[q]);
    }
    splat(hgCoef);
    b.set(cj);
    b.get(tensors[0])
      .get(cnt)
      .i32(es === 4 ? 2 : 3)
      .shl()
      .add()
      .set(end);
    // float64 streams: every stream from the 16-byte boundary below it (`sh` bytes back; the
    // tensor streams as many entries, masked to +0 in the first iteration), so that each
    // row's vectors sit exactly on the previous row's stores into H_{i+g,·} (see `stretch32`).
    // Measured: float64 p = 4, N = 100 1.1–1.15× faster, N = 300 1.05×; f32x4 no faster
    // (N = 300 1.1× slower), so not there.
    if (align) {
      b.get(xa).i32(8).and().set(sh);
      for (const l of [xa, hj, ...hgs]) b.get(l).get(sh).sub().set(l);
      for (const t of tensors) {
        b.get(t).get(sh);
        if (es !== eb) b.i32(1).shr();
        b.sub().set(t);
      }
      // sh ∈ {0, 8}: lane 0 (bytes 0…7) off when sh = 8.
      b.v128ConstI32([0, 4, 8, 12]).get(sh).i32x4Splat().i32x4GeS().set(mask);
    }
    b.block().loop();
    b.get(tensors[0]).get(end).geU().brIf(1);
    for (let h = 0; h < UNROLL; h++) {
      b.get(xa)
        .v128Load(16 * h)
        .set(xv);
      // H_jk's terms summed pairwise (a shorter dependency chain than one by one), H_jk
      // itself loaded only then: one vector register fewer live through the G terms
      // (float64 1.05–1.2×, f32x4 1.03–1.05× faster at N = 300, 600, measured in one
      // process; the same sums, s + H_jk = H_jk + s exactly).
      b.get(hj);
      /** Sizes of the partial sums on the stack (merged like a binary counter). */
      const partial: number[] = [];
      tensors.forEach((t, q) => {
        b.get(t);
        if (s === 'f32') b.v128Load64Zero(8 * h).f64x2PromoteLowF32x4();
        else b.v128Load(16 * h);
        if (h === 0 && align) b.get(mask).v128And();
        b.set(tv);
        b.get(acc[q]).get(tv).get(xv);
        mul();
        add();
        b.set(acc[q]);
        b.get(hgs[q])
          .get(hgs[q])
          .v128Load(16 * h)
          .get(cj)
          .get(tv);
        mul();
        add();
        b.v128Store(16 * h);
        b.get(cg[q]).get(tv);
        mul();
        partial.push(1);
        while (partial.length > 1 && partial[partial.length - 1] === partial[partial.length - 2]) {
          add();
          partial[partial.length - 2] += partial.pop()!;
        }
      });
      // The partial sums, then onto H_jk.
      for (let r = 1; r < partial.length; r++) add();
      b.get(hj).v128Load(16 * h);
      add();
      b.v128Store(16 * h);
    }
    for (const t of tensors)
      b.get(t)
        .i32(per * es)
        .add()
        .set(t);
    for (const l of [xa, hj, ...hgs])
      b.get(l)
        .i32(per * eb)
        .add()
        .set(l);
    if (align) b.v128ConstI32([-1, -1, -1, -1]).set(mask);
    b.br(0).end().end();
    // Every tensor stream to its exact end.
    for (const t of tensors.slice(1)) b.get(t).get(end).add().get(tensors[0]).sub().set(t);
    b.get(end).set(tensors[0]);
    for (let q = 0; q < G1; q++) {
      if (s === 'f32x4') laneSum32(b, acc[q], xv);
      else b.get(acc[q]).f64x2ExtractLane(0).get(acc[q]).f64x2ExtractLane(1).fadd();
      b.set(sres[q]);
    }
  };

  /** Groups of GG blocks while all GG exist (block i exists for i ≤ n − 3). */
  const groups = (GG: number) => {
    b.block().loop();
    b.get(i)
      .get(n)
      .i32(GG + 2)
      .sub()
      .gtS()
      .brIf(1);
    for (let g = 0; g < GG; g++) {
      if (g > 0) {
        // Block i+g−1 has C(n−i−g, 2) entries.
        b.get(n).get(i).sub().i32(g).sub().tee(m).get(m).i32(1).sub().mul().i32(1).shr();
        b.i32(es)
          .mul()
          .get(ta[g - 1])
          .add()
          .set(ta[g]);
      }
      b.get(i).i32(g).add().set(tmp);
      loadStream1(b, s, xp, tmp);
      b.get(alpha).fmul().set(a[g]);
      b.get(hp).get(i).i32(g).add().get(ldh).mul().add().set(rowH[g]);
    }
    // Each block's rows j < i + GG alone: T_{i+g, j, ·} with j = i + jj.
    for (let g = 0; g < GG - 1; g++)
      for (let jj = g + 1; jj < GG; jj++) {
        b.get(i).i32(jj).add().set(j);
        b.get(n).get(j).sub().i32(1).sub().set(cnt);
        from(xa, xp, j);
        from(hg[0], rowH[g], j);
        from(hj, rowH[jj], j);
        stretch([ta[g]], [hg[0]], a[jj], [a[g]]);
        addH(rowH[g], j, sres[0]);
      }
    // Rows j ≥ i + GG, shared by the GG blocks.
    b.get(i).i32(GG).add().set(j);
    b.block().loop();
    b.get(j).get(n).i32(1).sub().geS().brIf(1);
    b.get(n).get(j).sub().i32(1).sub().set(cnt);
    loadStream1(b, s, xp, j);
    b.get(alpha).fmul().set(aj);
    from(xa, xp, j);
    for (let g = 0; g < GG; g++) from(hg[g], rowH[g], j);
    b.get(hp).get(j).get(ldh).mul().add().set(hj);
    from(hj, hj, j);
    stretch(ta.slice(0, GG), hg.slice(0, GG), aj, a.slice(0, GG));
    for (let g = 0; g < GG; g++) addH(rowH[g], j, sres[g]);
    b.get(j).i32(1).add().set(j);
    b.br(0).end().end();
    // ta[GG−1] has reached block i+GG.
    b.get(ta[GG - 1]).set(ta[0]);
    b.get(i).i32(GG).add().set(i);
    b.br(0).end().end();
  };

  b.get(tp).set(ta[0]);
  groups(G);
  if (G > 1) groups(1);
  return { name: `hess${G}_${s}`, body: b, results: [] };
}

/**
 * `full[i][j] += U_ij` and `full[j][i] += U_ij` for i < j, U the upper triangle of the
 * scratch H (rows `ld` entries: float64 at `hp` for 'f64', float32 at `hp32` for 'f32',
 * their sum for 'both'), which is zeroed as it is read (so the next call starts from
 * zero without a pass of its own; the padding is never read). `full` is n×n float64,
 * row-major. Eight rows at a time, so the transposed updates stay within whole cache
 * lines. `mirror_{mode}(hp, hp32, ld, fullp, n)`.
 */
export function mirrorFn(mode: 'f64' | 'f32' | 'both'): WasmFunction {
  const b = new Body([I32, I32, I32, I32, I32]);
  const [hp, hp32, ld, fullp, n] = [0, 1, 2, 3, 4];
  const [ib, ie, i, j, at, fa] = [0, 0, 0, 0, 0, 0].map(() => b.local(I32));
  const v = b.local(F64);
  b.block().loop();
  b.get(ib).get(n).geS().brIf(1);
  b.get(ib).i32(8).add().tee(ie).get(n).gtS().if().get(n).set(ie).end();
  b.get(ib).i32(1).add().set(j);
  b.block().loop();
  b.get(j).get(n).geS().brIf(1);
  b.get(ib).set(i);
  b.block().loop();
  // i < min(ie, j)
  b.get(i).get(ie).geS().brIf(1);
  b.get(i).get(j).geS().brIf(1);
  b.get(i).get(ld).mul().get(j).add().set(at);
  if (mode !== 'f32') {
    b.get(hp).get(at).i32(3).shl().add().tee(fa).f64Load();
    b.get(fa).f64(0).f64Store();
  }
  if (mode !== 'f64') {
    b.get(hp32).get(at).i32(2).shl().add().tee(fa).f32Load().promote();
    b.get(fa).f64(0).demote().f32Store();
  }
  if (mode === 'both') b.fadd();
  b.set(v);
  b.get(fullp).get(i).get(n).mul().get(j).add().i32(3).shl().add().tee(fa);
  b.get(fa).f64Load().get(v).fadd().f64Store();
  b.get(fullp).get(j).get(n).mul().get(i).add().i32(3).shl().add().tee(fa);
  b.get(fa).f64Load().get(v).fadd().f64Store();
  b.get(i).i32(1).add().set(i);
  b.br(0).end().end();
  b.get(j).i32(1).add().set(j);
  b.br(0).end().end();
  b.get(ie).set(ib);
  b.br(0).end().end();
  return { name: `mirror_${mode}`, body: b, results: [] };
}
