/**
 * Contractions of a packed strictly-ordered tensor (layout in `packed.ts`) with a
 * vector: the polynomial `F(x) = Σ_{i1<…<ip} T_{i1…ip} x_{i1}⋯x_{ip}`, its gradient,
 * Hessian–vector product and dense Hessian.
 *
 * THEORY §1 gradient pitfall: `∂F/∂x_i` sums over every strictly ordered tuple that
 * contains i, in whichever position. Every kernel therefore walks the packed array
 * once and scatters each entry to all the coordinates of its tuple. The loops are
 * organised as "prefix (first p−1 indices) × last index": the last index runs over a
 * contiguous stretch of T, so the inner loop is a dot product plus an axpy and the
 * prefix bookkeeping is paid once per stretch.
 *
 * Float32 tensors go through the same kernels; all sums are accumulated in float64.
 * p = 3 and p = 4 have hand-specialised loops (the dense Hessian excepted: it is
 * dominated by its row updates); any p ≥ 3 runs the generic odometer.
 */

import {
  type PackedTensor,
  wasmContract,
  wasmGradient,
  wasmHessian,
  wasmHessianVectorProduct,
} from './tensorWasm.ts';

export type { PackedTensor };

function checkPacked(t: PackedTensor, n: number, p: number, expected: number): void {
  if (t.length !== expected)
    throw new RangeError(`packed tensor has ${t.length} entries, expected C(${n}, ${p}) = ${expected}`);
}

function packedLength(n: number, p: number): number {
  let c = 1;
  for (let i = 1; i <= p; i++) c = Math.round((c * (n - p + i)) / i);
  return c;
}

/**
 * Visits every prefix `i0 < … < i(p−2)` of the packed order, calling
 * `visit(idx, pos)` with the position in T of the first tuple with that prefix
 * (its last index is `idx[p−2] + 1`, running to N−1).
 */
function forEachPrefix(n: number, p: number, visit: (idx: Int32Array, pos: number) => void): void {
  const m = p - 1;
  const idx = new Int32Array(m);
  for (let r = 0; r < m; r++) idx[r] = r;
  let pos = 0;
  for (;;) {
    visit(idx, pos);
    pos += n - idx[m - 1] - 1;
    let r = m - 1;
    // The prefix position r can hold at most n − p + r (room for the later indices and the last one).
    while (r >= 0 && idx[r] === n - p + r) r--;
    if (r < 0) return;
    idx[r]++;
    for (let q = r + 1; q < m; q++) idx[q] = idx[q - 1] + 1;
  }
}

// ---------------------------------------------------------------- F(x)

/**
 * `F(x) = Σ_{i1<…<ip} T x_{i1}⋯x_{ip}`.
 * @example
 * // N = 3, p = 3: the single entry T_012.
 * packedContract(Float64Array.of(2), 3, 3, Float64Array.of(1, 2, 3)); // 12
 */
export function packedContract(t: PackedTensor, n: number, p: number, x: Float64Array): number {
  checkPacked(t, n, p, packedLength(n, p));
  const w = wasmContract(t, n, p, x);
  if (w !== undefined) return w;
  if (p === 3) return contract3(t, n, x);
  if (p === 4) return contract4(t, n, x);
  return contractGeneric(t, n, p, x);
}

/** The generic-p contraction kernel, exported so tests can compare it with the fast paths. */
export function packedContractGeneric(t: PackedTensor, n: number, p: number, x: Float64Array): number {
  checkPacked(t, n, p, packedLength(n, p));
  return contractGeneric(t, n, p, x);
}

function contract4(t: PackedTensor, n: number, x: Float64Array): number {
  let e = 0;
  let pos = 0;
  for (let i = 0; i < n - 3; i++) {
    let ei = 0;
    for (let j = i + 1; j < n - 2; j++) {
      let ej = 0;
      for (let k = j + 1; k < n - 1; k++) {
        const off = pos - k - 1;
        let s = 0;
        for (let l = k + 1; l < n; l++) s += t[off + l] * x[l];
        pos += n - k - 1;
        ej += x[k] * s;
      }
      ei += x[j] * ej;
    }
    e += x[i] * ei;
  }
  return e;
}

function contract3(t: PackedTensor, n: number, x: Float64Array): number {
  let e = 0;
  let pos = 0;
  for (let i = 0; i < n - 2; i++) {
    const xi = x[i];
    let ei = 0;
    for (let j = i + 1; j < n - 1; j++) {
      const off = pos - j - 1;
      let s = 0;
      for (let k = j + 1; k < n; k++) s += t[off + k] * x[k];
      pos += n - j - 1;
      ei += x[j] * s;
    }
    e += xi * ei;
  }
  return e;
}

function contractGeneric(t: PackedTensor, n: number, p: number, x: Float64Array): number {
  let e = 0;
  const m = p - 1;
  forEachPrefix(n, p, (idx, pos) => {
    let c = 1;
    for (let r = 0; r < m; r++) c *= x[idx[r]];
    const j = idx[m - 1];
    const off = pos - j - 1;
    let s = 0;
    for (let k = j + 1; k < n; k++) s += t[off + k] * x[k];
    e += c * s;
  });
  return e;
}

// ---------------------------------------------------------------- ∇F

/**
 * Adds `scale · ∇F(x)` to `out` and returns `F(x)` (unscaled), in one pass over T.
 * @example
 * const g = new Float64Array(3);
 * packedGradient(Float64Array.of(2), 3, 3, Float64Array.of(1, 2, 3), 1, g); // 12; g = [12, 6, 4]
 */
export function packedGradient(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  scale: number,
  out: Float64Array,
): number {
  checkPacked(t, n, p, packedLength(n, p));
  const w = wasmGradient(t, n, p, x, scale, out);
  if (w !== undefined) return w;
  if (p === 3) return gradient3(t, n, x, scale, out);
  if (p === 4) return gradient4(t, n, x, scale, out);
  return gradientGeneric(t, n, p, x, scale, out);
}

/** The generic-p gradient kernel, exported so tests can compare it with the fast paths. */
export function packedGradientGeneric(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  scale: number,
  out: Float64Array,
): number {
  checkPacked(t, n, p, packedLength(n, p));
  return gradientGeneric(t, n, p, x, scale, out);
}

function gradient3(t: PackedTensor, n: number, x: Float64Array, scale: number, g: Float64Array): number {
  let e = 0;
  let pos = 0;
  for (let i = 0; i < n - 2; i++) {
    const xi = x[i];
    let gi = 0;
    for (let j = i + 1; j < n - 1; j++) {
      const xj = x[j];
      const c = scale * xi * xj;
      const off = pos - j - 1;
      // One stretch T_{ij·}: s = Σ_k T_ijk x_k feeds ∂_i, ∂_j and F; ∂_k gets T_ijk x_i x_j.
      let s = 0;
      for (let k = j + 1; k < n; k++) {
        const tk = t[off + k];
        s += tk * x[k];
        g[k] += c * tk;
      }
      pos += n - j - 1;
      gi += xj * s;
      g[j] += scale * xi * s;
      e += xi * xj * s;
    }
    g[i] += scale * gi;
  }
  return e;
}

function gradient4(t: PackedTensor, n: number, x: Float64Array, scale: number, g: Float64Array): number {
  let e = 0;
  let pos = 0;
  for (let i = 0; i < n - 3; i++) {
    const xi = x[i];
    let gi = 0;
    for (let j = i + 1; j < n - 2; j++) {
      const xj = x[j];
      const xij = xi * xj;
      let gj = 0;
      for (let k = j + 1; k < n - 1; k++) {
        const xk = x[k];
        const c = scale * xij * xk;
        const off = pos - k - 1;
        let s = 0;
        for (let l = k + 1; l < n; l++) {
          const tl = t[off + l];
          s += tl * x[l];
          g[l] += c * tl;
        }
        pos += n - k - 1;
        gi += xj * xk * s;
        gj += xk * s;
        g[k] += scale * xij * s;
        e += xij * xk * s;
      }
      g[j] += scale * xi * gj;
    }
    g[i] += scale * gi;
  }
  return e;
}

function gradientGeneric(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  scale: number,
  g: Float64Array,
): number {
  const m = p - 1;
  // pre[r] = x_{i0}⋯x_{i(r−1)}, suf[r] = x_{ir}⋯x_{i(m−1)}; the prefix product without
  // factor a is pre[a]·suf[a+1] (no division, so zeros in x are harmless).
  const pre = new Float64Array(m + 1);
  const suf = new Float64Array(m + 1);
  let e = 0;
  forEachPrefix(n, p, (idx, pos) => {
    pre[0] = 1;
    for (let r = 0; r < m; r++) pre[r + 1] = pre[r] * x[idx[r]];
    suf[m] = 1;
    for (let r = m - 1; r >= 0; r--) suf[r] = suf[r + 1] * x[idx[r]];
    const j = idx[m - 1];
    const off = pos - j - 1;
    const c = scale * pre[m];
    let s = 0;
    for (let k = j + 1; k < n; k++) {
      const tk = t[off + k];
      s += tk * x[k];
      g[k] += c * tk;
    }
    for (let a = 0; a < m; a++) g[idx[a]] += scale * pre[a] * suf[a + 1] * s;
    e += pre[m] * s;
  });
  return e;
}

// ---------------------------------------------------------------- ∇²F v

/**
 * Adds `scale · ∇²F(x) v` to `out`.
 * @example
 * const out = new Float64Array(3);
 * // F = 2 x0 x1 x2: (∇²F v)_0 = 2 (x2 v1 + x1 v2)
 * packedHessianVectorProduct(Float64Array.of(2), 3, 3, Float64Array.of(1, 2, 3), Float64Array.of(1, 0, 0), 1, out);
 * // out = [0, 6, 4]
 */
export function packedHessianVectorProduct(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  v: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  checkPacked(t, n, p, packedLength(n, p));
  if (wasmHessianVectorProduct(t, n, p, x, v, scale, out)) return;
  if (p === 3) hvp3(t, n, x, v, scale, out);
  else if (p === 4) hvp4(t, n, x, v, scale, out);
  else hvpGeneric(t, n, p, x, v, scale, out);
}

/** The generic-p Hessian–vector kernel, exported so tests can compare it with the fast path. */
export function packedHessianVectorProductGeneric(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  v: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  checkPacked(t, n, p, packedLength(n, p));
  hvpGeneric(t, n, p, x, v, scale, out);
}

function hvp3(
  t: PackedTensor,
  n: number,
  x: Float64Array,
  v: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  let pos = 0;
  for (let i = 0; i < n - 2; i++) {
    const xi = x[i];
    const vi = v[i];
    let oi = 0;
    for (let j = i + 1; j < n - 1; j++) {
      const xj = x[j];
      const vj = v[j];
      // ∂_k ∂_ε [(x_i+εv_i)(x_j+εv_j)] for the k-row; s, sv feed rows i and j.
      const c = scale * (xi * vj + vi * xj);
      const off = pos - j - 1;
      let s = 0;
      let sv = 0;
      for (let k = j + 1; k < n; k++) {
        const tk = t[off + k];
        s += tk * x[k];
        sv += tk * v[k];
        out[k] += c * tk;
      }
      pos += n - j - 1;
      oi += xj * sv + vj * s;
      out[j] += scale * (xi * sv + vi * s);
    }
    out[i] += scale * oi;
  }
}

function hvp4(
  t: PackedTensor,
  n: number,
  x: Float64Array,
  v: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  let pos = 0;
  for (let i = 0; i < n - 3; i++) {
    const xi = x[i];
    const vi = v[i];
    for (let j = i + 1; j < n - 2; j++) {
      const xj = x[j];
      const vj = v[j];
      const xij = xi * xj;
      const dij = xi * vj + vi * xj;
      for (let k = j + 1; k < n - 1; k++) {
        const xk = x[k];
        const vk = v[k];
        // Directional derivative of x_i x_j x_k along v, for the l-row.
        const c = scale * (dij * xk + xij * vk);
        const off = pos - k - 1;
        let s = 0;
        let sv = 0;
        for (let l = k + 1; l < n; l++) {
          const tl = t[off + l];
          s += tl * x[l];
          sv += tl * v[l];
          out[l] += c * tl;
        }
        pos += n - k - 1;
        // Row a ∈ {i, j, k}: Π_{others} x · sv + ∂_v Π_{others} x · s.
        out[i] += scale * (xj * xk * sv + (vj * xk + xj * vk) * s);
        out[j] += scale * (xi * xk * sv + (vi * xk + xi * vk) * s);
        out[k] += scale * (xij * sv + dij * s);
      }
    }
  }
}

function hvpGeneric(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  v: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  const m = p - 1;
  // Dual numbers (value, derivative along v) for prefix and suffix products of x + εv.
  const pre = new Float64Array(m + 1);
  const preD = new Float64Array(m + 1);
  const suf = new Float64Array(m + 1);
  const sufD = new Float64Array(m + 1);
  forEachPrefix(n, p, (idx, pos) => {
    pre[0] = 1;
    preD[0] = 0;
    for (let r = 0; r < m; r++) {
      const xr = x[idx[r]];
      const vr = v[idx[r]];
      pre[r + 1] = pre[r] * xr;
      preD[r + 1] = preD[r] * xr + pre[r] * vr;
    }
    suf[m] = 1;
    sufD[m] = 0;
    for (let r = m - 1; r >= 0; r--) {
      const xr = x[idx[r]];
      const vr = v[idx[r]];
      suf[r] = suf[r + 1] * xr;
      sufD[r] = sufD[r + 1] * xr + suf[r + 1] * vr;
    }
    const j = idx[m - 1];
    const off = pos - j - 1;
    const c = scale * preD[m];
    let s = 0;
    let sv = 0;
    for (let k = j + 1; k < n; k++) {
      const tk = t[off + k];
      s += tk * x[k];
      sv += tk * v[k];
      out[k] += c * tk;
    }
    for (let a = 0; a < m; a++) {
      const ex = pre[a] * suf[a + 1];
      const exD = preD[a] * suf[a + 1] + pre[a] * sufD[a + 1];
      out[idx[a]] += scale * (ex * sv + exD * s);
    }
  });
}

// ---------------------------------------------------------------- ∇²F dense

/**
 * Adds `scale · ∇²F(x)` to the dense N×N row-major matrix `out` (both triangles).
 * Cost: one pass over T plus O(p²) per prefix.
 * @example
 * const h = new Float64Array(9);
 * packedHessian(Float64Array.of(2), 3, 3, Float64Array.of(1, 2, 3), 1, h);
 * // h = [0, 6, 4, 6, 0, 2, 4, 2, 0]
 */
export function packedHessian(
  t: PackedTensor,
  n: number,
  p: number,
  x: Float64Array,
  scale: number,
  out: Float64Array,
): void {
  checkPacked(t, n, p, packedLength(n, p));
  if (out.length !== n * n) throw new RangeError(`packedHessian: out must have n² = ${n * n} entries`);
  if (wasmHessian(t, n, p, x, scale, out)) return;
  const m = p - 1;
  // Accumulate the upper triangle only (all tuple indices are ordered), mirror at the end.
  const upper = new Float64Array(n * n);
  const pre = new Float64Array(m + 1);
  const suf = new Float64Array(m + 1);
  forEachPrefix(n, p, (idx, pos) => {
    pre[0] = 1;
    for (let r = 0; r < m; r++) pre[r + 1] = pre[r] * x[idx[r]];
    suf[m] = 1;
    for (let r = m - 1; r >= 0; r--) suf[r] = suf[r + 1] * x[idx[r]];
    const j = idx[m - 1];
    const off = pos - j - 1;
    let s = 0;
    for (let k = j + 1; k < n; k++) s += t[off + k] * x[k];
    // Pairs (a, last): ∂_a ∂_k = T · Π_{prefix without a}; row idx[a] is contiguous in k.
    for (let a = 0; a < m; a++) {
      const ex = pre[a] * suf[a + 1];
      const row = idx[a] * n;
      for (let k = j + 1; k < n; k++) upper[row + k] += ex * t[off + k];
    }
    // Pairs (a, b) inside the prefix: Σ_k T x_k · Π_{prefix without a, b}.
    for (let a = 0; a < m; a++) {
      for (let b = a + 1; b < m; b++) {
        let c = s;
        for (let r = 0; r < m; r++) if (r !== a && r !== b) c *= x[idx[r]];
        upper[idx[a] * n + idx[b]] += c;
      }
    }
  });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const h = scale * upper[i * n + j];
      out[i * n + j] += h;
      out[j * n + i] += h;
    }
  }
}
