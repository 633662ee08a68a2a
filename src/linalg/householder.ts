/**
 * Householder reduction of a symmetric matrix to tridiagonal form and the
 * accumulation of its orthogonal factor (Golub & Van Loan, Matrix Computations,
 * 4th ed., Alg. 8.3.1 and §5.1.6; LAPACK dsytd2's symmetric-storage rank-2 update).
 * The fused sweep (all row pairs of a step in one call) runs in WebAssembly SIMD when a `HouseholderWorkspace`
 * is given (`householderWasm.ts`), else in plain JavaScript; both give the same
 * results to rounding.
 */
import type { HouseholderWorkspace } from './householderWasm.ts';
import type { RotationWorkspace } from './rotationWasm.ts';

/** Rows per block: 32 rows of an n×n matrix stay in L2 cache. */
const BLOCK = 32;

/**
 * Householder tridiagonalisation of the symmetric matrix whose upper triangle is in
 * `a` (row-major n×n), in place: on return `d` is the diagonal and `e[k]` the
 * off-diagonal (k, k+1) of T = Qᵀ A Q with Q = H_0 H_1 ⋯ H_{n−3},
 * H_k = I − τ_k v_k v_kᵀ. v_k is zero before index k+1, v_k[k+1] = 1, and its
 * entries k+2..n−1 are stored in row k of `a` (a[k, k+2..]), τ_k in `tau[k]`.
 *
 * Step k (Golub & Van Loan Alg. 8.3.1): the reflector maps row k right of the
 * diagonal (= column k below it) onto a multiple of e_{k+1}; the trailing block B
 * becomes H B H = B − v wᵀ − w vᵀ with p = τ B v, w = p − (τ/2)(pᵀv) v. The update
 * of step k is applied to each row of the trailing block during the same sweep that
 * accumulates B v for step k+1.
 */
export function tridiagonalize(
  n: number,
  a: Float64Array,
  d: Float64Array,
  e: Float64Array,
  tau: Float64Array,
  wasm: HouseholderWorkspace | null = null,
): void {
  // Pending rank-2 update (v, w) of the previous step; zero before the first one.
  // With `wasm`, `a` and these four vectors live in the kernel's memory.
  let [vPrev, wPrev, v, p] = wasm?.vectors ?? [
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
    new Float64Array(n),
  ];
  const pair = wasm?.pair;
  const aBase = a.byteOffset;
  const pBase = p.byteOffset;
  for (let k = 0; k < n - 1; k++) {
    const rowK = k * n;
    // Bring row k up to date with the previous step's update (entries j ≥ k).
    {
      const vk = vPrev[k];
      const wk = wPrev[k];
      if (vk !== 0 || wk !== 0) for (let j = k; j < n; j++) a[rowK + j] -= vk * wPrev[j] + wk * vPrev[j];
    }
    d[k] = a[rowK + k];
    // Householder vector of x = a[k, k+1..n-1] (LAPACK dlarfg convention).
    const alpha = a[rowK + k + 1];
    let tail = 0;
    for (let j = k + 2; j < n; j++) tail += a[rowK + j] * a[rowK + j];
    // max|A| < 2 after scaling, so the plain sum of squares is safe here.
    let t = 0;
    v.fill(0, 0, k + 1);
    v[k + 1] = 1;
    if (tail === 0) {
      e[k] = alpha;
      for (let j = k + 2; j < n; j++) v[j] = 0;
    } else {
      const norm = Math.sqrt(alpha * alpha + tail);
      const beta = alpha >= 0 ? -norm : norm;
      t = (beta - alpha) / beta;
      const inv = 1 / (alpha - beta);
      for (let j = k + 2; j < n; j++) {
        const vj = a[rowK + j] * inv;
        a[rowK + j] = vj;
        v[j] = vj;
      }
      e[k] = beta;
    }
    tau[k] = t;
    // Fused sweep over rows i > k: apply the pending update, accumulate p = B v.
    // Rows go in pairs (i, i+1) so that each load of v, vPrev, wPrev and p serves
    // both rows.
    p.fill(0); // (and p[n], p[n+1] of the wasm vectors: never read)
    let i = k + 1;
    if (pair !== undefined) {
      pair(aBase, 8 * n, 8 * i, v.byteOffset, vPrev.byteOffset, wPrev.byteOffset, pBase);
      i += 2 * ((n - i) >> 1);
    }
    for (; i + 1 < n; i += 2) {
      const r0 = i * n;
      const r1 = r0 + n;
      const vp0 = vPrev[i];
      const wp0 = wPrev[i];
      const vp1 = vPrev[i + 1];
      const wp1 = wPrev[i + 1];
      const v0 = v[i];
      const v1 = v[i + 1];
      // The 2×2 diagonal block: a_ii, a_{i,i+1}, a_{i+1,i+1}.
      const a00 = a[r0 + i] - 2 * vp0 * wp0;
      const a01 = a[r0 + i + 1] - (vp0 * wp1 + wp0 * vp1);
      const a11 = a[r1 + i + 1] - 2 * vp1 * wp1;
      a[r0 + i] = a00;
      a[r0 + i + 1] = a01;
      a[r1 + i + 1] = a11;
      let s0 = a00 * v0 + a01 * v1;
      let s1 = a01 * v0 + a11 * v1;
      for (let j = i + 2; j < n; j++) {
        const vpj = vPrev[j];
        const wpj = wPrev[j];
        const vj = v[j];
        const b0 = a[r0 + j] - (vp0 * wpj + wp0 * vpj);
        const b1 = a[r1 + j] - (vp1 * wpj + wp1 * vpj);
        a[r0 + j] = b0;
        a[r1 + j] = b1;
        s0 += b0 * vj;
        s1 += b1 * vj;
        p[j] += b0 * v0 + b1 * v1;
      }
      p[i] += s0;
      p[i + 1] += s1;
    }
    if (i < n) {
      // Last row alone (only its diagonal entry).
      const r0 = i * n;
      const aii = a[r0 + i] - 2 * vPrev[i] * wPrev[i];
      a[r0 + i] = aii;
      p[i] += aii * v[i];
    }
    // w = τ p − (τ²/2)(pᵀv) v, and it becomes the pending update.
    let pv = 0;
    for (let j = k + 1; j < n; j++) pv += p[j] * v[j];
    const c = 0.5 * t * t * pv;
    const w = vPrev; // reuse the buffer
    w.fill(0, 0, k + 1);
    for (let j = k + 1; j < n; j++) w[j] = t * p[j] - c * v[j];
    vPrev = v;
    v = wPrev;
    wPrev = w;
  }
  // The sweep of the last step (k = n−2, a trivial reflector) updated a[n−1, n−1].
  d[n - 1] = a[n * n - 1];
  e[n - 1] = 0;
}

/**
 * Qᵀ = H_{n−3} ⋯ H_0 by backward accumulation M ← M H_k, k = n−3 … 0 (4N³/3 flops).
 * Rows of M transform independently (m_i ← m_i − τ (m_i·v) vᵀ), and row i is still
 * e_iᵀ, untouched, for k ≥ i. A block of rows takes all its reflectors while in
 * cache, four rows at a time so each v_j load serves four rows.
 */
export function accumulateQt(
  n: number,
  a: Float64Array,
  tau: Float64Array,
  wasm?: RotationWorkspace,
): Float64Array {
  // With `wasm`, W is built in its memory and groups of four rows go through its
  // SIMD kernel, reading a copy of the reflectors placed there.
  const w = wasm?.w ?? new Float64Array(n * n);
  const reflect4 = wasm?.reflect4;
  let va = a;
  if (wasm !== undefined && a.buffer !== wasm.w.buffer) {
    if (wasm.v === undefined) throw new Error('accumulateQt: the reflectors are outside the kernel memory');
    va = wasm.v;
    va.set(a.subarray(0, n * n));
  }
  const out = wasm?.out ?? new Float64Array(4);
  for (let r0 = 0; r0 < n; r0 += BLOCK) {
    const r1 = Math.min(n, r0 + BLOCK);
    for (let i = r0; i < r1; i++) w[i * n + i] = 1;
    for (let k = Math.min(n - 3, r1 - 2); k >= 0; k--) {
      const tk = tau[k];
      if (tk === 0) continue;
      // v[k+1] = 1, v[j] = a[k, j] for j ≥ k+2.
      const rowK = k * n;
      let i = Math.max(r0, k + 1);
      for (; i + 4 <= r1 && reflect4 !== undefined; i += 4) {
        // Scalar head: column k+1 (v = 1) and k+2 if the rest has odd length.
        const p0 = i * n;
        let j = k + 2;
        let h0 = w[p0 + k + 1];
        let h1 = w[p0 + n + k + 1];
        let h2 = w[p0 + 2 * n + k + 1];
        let h3 = w[p0 + 3 * n + k + 1];
        const odd = (n - j) & 1;
        const vOdd = odd ? va[rowK + j] : 0;
        if (odd) {
          h0 += w[p0 + j] * vOdd;
          h1 += w[p0 + n + j] * vOdd;
          h2 += w[p0 + 2 * n + j] * vOdd;
          h3 += w[p0 + 3 * n + j] * vOdd;
          j++;
        }
        reflect4(
          w.byteOffset + 8 * (p0 + j),
          va.byteOffset + 8 * (rowK + j),
          8 * (n - j),
          8 * n,
          tk,
          h0,
          h1,
          h2,
          h3,
          out.byteOffset,
        );
        for (let q = 0; q < 4; q++) {
          const t = out[q];
          w[p0 + q * n + k + 1] -= t;
          if (odd) w[p0 + q * n + k + 2] -= t * vOdd;
        }
      }
      for (; i + 4 <= r1; i += 4) {
        const p0 = i * n;
        const p1 = p0 + n;
        const p2 = p1 + n;
        const p3 = p2 + n;
        let t0 = w[p0 + k + 1];
        let t1 = w[p1 + k + 1];
        let t2 = w[p2 + k + 1];
        let t3 = w[p3 + k + 1];
        for (let j = k + 2; j < n; j++) {
          const vj = a[rowK + j];
          t0 += w[p0 + j] * vj;
          t1 += w[p1 + j] * vj;
          t2 += w[p2 + j] * vj;
          t3 += w[p3 + j] * vj;
        }
        t0 *= tk;
        t1 *= tk;
        t2 *= tk;
        t3 *= tk;
        w[p0 + k + 1] -= t0;
        w[p1 + k + 1] -= t1;
        w[p2 + k + 1] -= t2;
        w[p3 + k + 1] -= t3;
        for (let j = k + 2; j < n; j++) {
          const vj = a[rowK + j];
          w[p0 + j] -= t0 * vj;
          w[p1 + j] -= t1 * vj;
          w[p2 + j] -= t2 * vj;
          w[p3 + j] -= t3 * vj;
        }
      }
      for (; i < r1; i++) {
        const row = i * n;
        let t = w[row + k + 1];
        for (let j = k + 2; j < n; j++) t += w[row + j] * a[rowK + j];
        t *= tk;
        w[row + k + 1] -= t;
        for (let j = k + 2; j < n; j++) w[row + j] -= t * a[rowK + j];
      }
    }
  }
  return w;
}
