/**
 * The rank-one modified eigenproblem D + ρ z zᵀ of a divide-and-conquer merge
 * (Cuppen 1981; Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 16 (1995) 172–191;
 * LAPACK dlaed3/dlaed4). D = diag(d) with d strictly ascending, ρ > 0, z without
 * negligible entries (deflation has removed those, `divideConquer.ts`).
 *
 * Root i lies in (d_i, d_{i+1}) (the last one in (d_{K−1}, d_{K−1} + ρ‖z‖²)) and
 * solves the secular equation f(λ) = 1/ρ + Σ_j z_j² / (d_j − λ) = 0. As in dlaed4
 * it is found relative to the nearer pole d_o (the origin), in the unknown
 * τ = λ − d_o, so the differences d_j − λ = (d_j − d_o) − τ that the eigenvectors
 * need are computed without cancellation. Each step fits f by its two nearest poles
 * with matched value and slopes (the "middle way" of R.-C. Li, LAPACK Working Note
 * 89) and takes the root of that fit, inside a bracket kept from the signs of f
 * (bisection whenever the step leaves it).
 *
 * The eigenvectors use Gu & Eisenstat's recomputed ẑ (the exact z for which the
 * computed λ are exact eigenvalues): ẑ_j² = −Π_i (d_j − λ_i) / Π_{i≠j} (d_j − d_i)
 * (up to the factor ρ, which normalisation removes), so u_i = (ẑ_j / (d_j − λ_i))_j
 * normalised are orthogonal to working precision whatever the clustering.
 */
import type { SecularExports } from './secularWasm.ts';
import { NonConvergenceError } from './tridiagonal.ts';

/**
 * The WebAssembly sums (secularWasm.ts) with `z` copied into its memory (length ≥ K)
 * and two doubles `out`; `delta` must live in the same memory.
 */
export interface SecularWasm {
  readonly secular: SecularExports['secular'];
  readonly z: Float64Array;
  readonly out: Float64Array;
}

const EPS = 2 ** -53;
/** Secular steps allowed per root (bisection alone needs about 60 here). */
const MAX_STEPS = 200;

/**
 * Roots λ (ascending) of the secular equation of D + ρ z zᵀ, and the differences
 * `delta[i·K + j] = d_j − λ_i` (row i for root i).
 */
export function secularRoots(
  K: number,
  d: Float64Array,
  z: Float64Array,
  rho: number,
  lambda: Float64Array,
  delta: Float64Array,
  wasm?: SecularWasm,
): void {
  const invRho = 1 / rho;
  const fast = wasm !== undefined && wasm.z.buffer === delta.buffer ? wasm : undefined;
  if (fast !== undefined) fast.z.set(z.subarray(0, K));
  let zz = 0;
  for (let j = 0; j < K; j++) zz += z[j] * z[j];
  for (let i = 0; i < K; i++) {
    const row = i * K;
    const last = i === K - 1;
    // Start at the midpoint of (d_i, d_{i+1}) (origin d_i): the sign of f there picks
    // the nearer pole as the origin; the last root starts halfway to its bound.
    let origin = i;
    let lo = 0;
    let hi = rho * zz * (1 + 4 * EPS);
    let tau = last ? hi / 2 : (d[i + 1] - d[i]) / 2;
    for (let j = 0; j < K; j++) delta[row + j] = d[j] - d[i]; // δ_j = d_j − d_origin
    let converged = false;
    for (let step = 0; step < MAX_STEPS; step++) {
      let psi = 0;
      let dpsi = 0;
      let phi = 0;
      let dphi = 0;
      if (fast !== undefined) {
        const dp = delta.byteOffset + 8 * row;
        const zp = fast.z.byteOffset;
        const out = fast.out;
        fast.secular(dp, zp, 0, 8 * (i + 1), tau, out.byteOffset);
        psi = out[0];
        dpsi = out[1];
        fast.secular(dp, zp, 8 * (i + 1), 8 * K, tau, out.byteOffset);
        phi = out[0];
        dphi = out[1];
      } else {
        for (let j = 0; j <= i; j++) {
          const t = z[j] / (delta[row + j] - tau);
          psi += t * z[j];
          dpsi += t * t;
        }
        for (let j = i + 1; j < K; j++) {
          const t = z[j] / (delta[row + j] - tau);
          phi += t * z[j];
          dphi += t * t;
        }
      }
      const f = invRho + psi + phi;
      if (step === 0 && !last) {
        // f is increasing: f(mid) ≥ 0 puts the root in (d_i, mid].
        const mid = tau;
        if (f >= 0) hi = mid;
        else {
          origin = i + 1;
          const shift = d[i + 1] - d[i];
          for (let j = 0; j < K; j++) delta[row + j] = d[j] - d[i + 1];
          tau = mid - shift; // the same λ, measured from d_{i+1}
          lo = tau;
          hi = 0;
        }
      } else {
        // dlaed4's bound on the rounding error of f (its "erretm").
        const bound = EPS * (8 * (phi - psi) + 2 * invRho + 3 * Math.abs(tau) * (dpsi + dphi));
        if (Math.abs(f) <= bound) {
          converged = true;
          break;
        }
        if (f < 0) lo = tau;
        else hi = tau;
        if (hi - lo <= 4 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
          converged = true;
          break;
        }
      }
      // Two-pole fit c + A/(δ_i − t) + B/(δ_{i+1} − t), value and slopes matched at τ.
      const di = delta[row + i] - tau;
      let eta: number;
      if (last) {
        const A = di * di * dpsi;
        const c = f - A / di;
        eta = c > 0 ? di + A / c : Number.NaN;
      } else {
        const di1 = delta[row + i + 1] - tau;
        const A = di * di * dpsi;
        const B = di1 * di1 * dphi;
        const c = f - A / di - B / di1;
        const a1 = c * (di + di1) + A + B;
        const b0 = di * di1 * f;
        const disc = Math.sqrt(Math.max(0, a1 * a1 - 4 * c * b0));
        eta = (2 * b0) / (a1 + (a1 >= 0 ? disc : -disc));
      }
      let next = tau + eta;
      // Bisection when the fit leaves the bracket, and every other step after 20.
      if (!(next > lo && next < hi) || (step > 20 && step % 2 === 1)) next = (lo + hi) / 2;
      if (next === tau) {
        converged = true;
        break;
      }
      tau = next;
    }
    if (!converged)
      throw new NonConvergenceError(
        `secular equation: root ${i} of ${K} did not converge in ${MAX_STEPS} steps`,
      );
    lambda[i] = d[origin] + tau;
    for (let j = 0; j < K; j++) delta[row + j] -= tau;
  }
}

/**
 * Gu–Eisenstat eigenvectors of D + ρ z zᵀ from the roots' differences (`delta` of
 * `secularRoots`): `u[g[j]·K + i] = ẑ_j / (d_j − λ_i)`, column i normalised to
 * one, i.e. the eigenvector of λ_i is column i, its entry j in row g[j] (the caller's
 * ordering of the basis). `zhat` receives ẑ; `delta` is overwritten.
 */
export function secularVectors(
  K: number,
  d: Float64Array,
  z: Float64Array,
  delta: Float64Array,
  g: Int32Array,
  u: Float64Array,
  zhat: Float64Array,
): void {
  // −ẑ_j² (ρ dropped) = (d_j − λ_j) Π_{i≠j} (d_j − λ_i)/(d_j − d_i), accumulated
  // root by root so that every pass reads one row of delta.
  const w = zhat;
  for (let j = 0; j < K; j++) w[j] = delta[j * K + j];
  for (let i = 0; i < K; i++) {
    const row = i * K;
    const di = d[i];
    for (let j = 0; j < K; j++) if (j !== i) w[j] *= delta[row + j] / (d[j] - di);
  }
  for (let j = 0; j < K; j++) {
    const mag = Math.sqrt(Math.max(0, -w[j]));
    zhat[j] = z[j] < 0 ? -mag : mag;
  }
  // Column i of u: ẑ_j / (d_j − λ_i) normalised. Row i of delta becomes the
  // unnormalised vector (one division per entry), then moves to u transposed, in tiles.
  const inv = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const row = i * K;
    let s = 0;
    for (let j = 0; j < K; j++) {
      const t = zhat[j] / delta[row + j];
      delta[row + j] = t;
      s += t * t;
    }
    inv[i] = 1 / Math.sqrt(s);
  }
  const TILE = 32;
  for (let i0 = 0; i0 < K; i0 += TILE) {
    const i1 = Math.min(K, i0 + TILE);
    for (let j = 0; j < K; j++) {
      const out = g[j] * K;
      for (let i = i0; i < i1; i++) u[out + i] = delta[i * K + j] * inv[i];
    }
  }
}
