/**
 * Test helper: every stationary point of H on the sphere |x|² = N for tiny N (3 … 6), by an
 * independent route. H and its derivatives are written out from THEORY §1 term by term (dense
 * loops over the index sets i1 < … < ik of every channel, not the packed kernels), the Lagrange system
 * `∇H + μx = 0, |x|² = N` is solved by Newton in (x, μ) from a dense set of starts on the sphere
 * (a Fibonacci lattice at N = 3, random points above), and the roots are deduplicated. The
 * index is the number of negative eigenvalues of ∇²H + μ on the tangent space.
 */

import type { CensusOptions } from '../../src/census/census.ts';
import { symmetricEigenvalues } from '../../src/linalg/index.ts';
import type { Instance } from '../../src/model/index.ts';
import { Rng } from '../../src/random/index.ts';

/** The index sets i1 < … < ik of {0…n−1} in lexicographic order (the packed order of a tensor). */
function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const c = Array.from({ length: k }, (_, j) => j);
  if (k > n) return out;
  for (;;) {
    out.push([...c]);
    let j = k - 1;
    while (j >= 0 && c[j] === n - k + j) j--;
    if (j < 0) return out;
    c[j]++;
    for (let q = j + 1; q < k; q++) c[q] = c[q - 1] + 1;
  }
}

/**
 * Dense gradient and Hessian of THEORY §1's H (matrix channel, order-p tensor and every extra
 * tensor channel of order k with prefactor √((k−1)!)/(Δk N^{(k−1)/2})), from the raw entries: each
 * monomial x_{i1}⋯x_{ik} differentiated once and twice by hand.
 */
function derivatives(inst: Instance, x: Float64Array) {
  const n = inst.n;
  const g = new Float64Array(n);
  const h = new Float64Array(n * n);
  const channels: { order: number; delta: number; values: ArrayLike<number> | undefined }[] = [
    { order: 2, delta: inst.delta2, values: undefined },
    { order: inst.p, delta: inst.deltap, values: inst.tensor ?? undefined },
    ...(inst.extraTensors ?? []).map((c) => ({ order: c.order, delta: c.delta, values: c.tensor })),
  ];
  for (const ch of channels) {
    if (ch.delta === Number.POSITIVE_INFINITY) continue;
    let fact = 1;
    for (let j = 2; j < ch.order; j++) fact *= j;
    const scale = Math.sqrt(fact) / (ch.delta * n ** ((ch.order - 1) / 2));
    const sets = combinations(n, ch.order);
    sets.forEach((set, t) => {
      const y = ch.order === 2 ? (inst.matrix?.[set[0] * n + set[1]] ?? 0) : (ch.values?.[t] ?? 0);
      const c = scale * y;
      for (let a = 0; a < set.length; a++) {
        let prod = 1;
        for (let q = 0; q < set.length; q++) if (q !== a) prod *= x[set[q]];
        g[set[a]] -= c * prod;
        for (let b = a + 1; b < set.length; b++) {
          let pr = 1;
          for (let q = 0; q < set.length; q++) if (q !== a && q !== b) pr *= x[set[q]];
          h[set[a] * n + set[b]] -= c * pr;
          h[set[b] * n + set[a]] -= c * pr;
        }
      }
    });
  }
  return { g, h };
}

/** Solve the (N+1)×(N+1) linear system A z = r in place by Gaussian elimination with pivoting. */
function solve(m: number, a: Float64Array, r: Float64Array): Float64Array | null {
  for (let c = 0; c < m; c++) {
    let piv = c;
    for (let i = c + 1; i < m; i++) if (Math.abs(a[i * m + c]) > Math.abs(a[piv * m + c])) piv = i;
    if (Math.abs(a[piv * m + c]) < 1e-14) return null;
    for (let j = 0; j < m; j++) [a[c * m + j], a[piv * m + j]] = [a[piv * m + j], a[c * m + j]];
    [r[c], r[piv]] = [r[piv], r[c]];
    for (let i = c + 1; i < m; i++) {
      const f = a[i * m + c] / a[c * m + c];
      for (let j = c; j < m; j++) a[i * m + j] -= f * a[c * m + j];
      r[i] -= f * r[c];
    }
  }
  const z = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    let s = r[i];
    for (let j = i + 1; j < m; j++) s -= a[i * m + j] * z[j];
    z[i] = s / a[i * m + i];
  }
  return z;
}

/** A stationary point found by the enumeration. */
export interface EnumeratedPoint {
  readonly x: Float64Array;
  readonly mu: number;
  readonly index: number;
}

/** Newton on F(x, μ) = (∇H + μx, (|x|² − N)/2) from x0; null if it does not converge. */
function lagrangeNewton(inst: Instance, x0: Float64Array): EnumeratedPoint | null {
  const n = inst.n;
  const x = Float64Array.from(x0);
  let { g } = derivatives(inst, x);
  let mu = 0;
  for (let i = 0; i < n; i++) mu -= (x[i] * g[i]) / n;
  for (let it = 0; it < 60; it++) {
    const d = derivatives(inst, x);
    g = d.g;
    const m = n + 1;
    const a = new Float64Array(m * m);
    const r = new Float64Array(m);
    let norm = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) a[i * m + j] = d.h[i * n + j] + (i === j ? mu : 0);
      a[i * m + n] = x[i];
      a[n * m + i] = x[i];
      r[i] = -(g[i] + mu * x[i]);
      norm += r[i] * r[i];
    }
    let x2 = 0;
    for (let i = 0; i < n; i++) x2 += x[i] * x[i];
    r[n] = -(x2 - n) / 2;
    norm += r[n] * r[n];
    if (Math.sqrt(norm) < 1e-13) {
      // Tangent Hessian: P(∇²H + μ)P plus a large radial shift, minus that eigenvalue.
      const t = new Float64Array(n * n);
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++)
            for (let l = 0; l < n; l++) {
              const pik = (i === k ? 1 : 0) - (x[i] * x[k]) / n;
              const plj = (l === j ? 1 : 0) - (x[l] * x[j]) / n;
              s += pik * (d.h[k * n + l] + (k === l ? mu : 0)) * plj;
            }
          t[i * n + j] = s + (1e3 * x[i] * x[j]) / n;
        }
      const values = symmetricEigenvalues(n, t, { symmetryTolerance: 1e-6 });
      let index = 0;
      for (let k = 0; k < n - 1; k++) if (values[k] < 0) index++;
      return { x, mu, index };
    }
    const z = solve(m, a, r);
    if (z === null) return null;
    for (let i = 0; i < n; i++) x[i] += z[i];
    mu += z[n];
  }
  return null;
}

/**
 * All stationary points of H on the sphere (any channels; tiny N), from `starts` Newton starts
 * (a Fibonacci lattice at N = 3, normal random directions otherwise).
 * @example
 * const points = enumerateStationaryPoints(sampleInstance({ n: 3, p: 3, delta2: 1, deltap: 1, seed: 2 }));
 * // Morse: #index0 − #index1 + #index2 = χ(S²) = 2
 */
export function enumerateStationaryPoints(inst: Instance, starts = 4000): EnumeratedPoint[] {
  const n = inst.n;
  const rng = Rng.fromSeed(12345);
  const found: EnumeratedPoint[] = [];
  for (let s = 0; s < starts; s++) {
    const x0 = new Float64Array(n);
    if (n === 3) {
      // Fibonacci lattice: near-uniform directions, every basin of Newton hit at this density.
      const z = 1 - (2 * (s + 0.5)) / starts;
      const r = Math.sqrt(1 - z * z);
      const phi = s * Math.PI * (3 - Math.sqrt(5));
      x0.set([r * Math.cos(phi), r * Math.sin(phi), z]);
    } else rng.fillNormal(x0);
    let x2 = 0;
    for (let i = 0; i < n; i++) x2 += x0[i] * x0[i];
    for (let i = 0; i < n; i++) x0[i] *= Math.sqrt(n / x2);
    const p = lagrangeNewton(inst, x0);
    if (p === null) continue;
    const seen = found.some((q) => {
      let d = 0;
      for (let i = 0; i < n; i++) d += (q.x[i] - p.x[i]) ** 2;
      return d < 1e-12;
    });
    if (!seen) found.push(p);
  }
  return found;
}

/** Census options of the enumeration tests: 60 uniform starts, gd at 0.05, tight tolerances. */
export const censusTestOptions = (seed: number): CensusOptions => ({
  randomStarts: 60,
  signalStarts: 0,
  startOverlap: 0.9,
  method: 'gd',
  dt: 0.05,
  tmax: 4000,
  gtol: 1e-7,
  epsilon: 1e-6,
  signalOverlap: null,
  mirrorOverlap: null,
  mTolerance: 0.15,
  rng: Rng.fromSeed(seed),
});
