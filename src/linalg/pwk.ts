/**
 * Eigenvalues of a symmetric tridiagonal matrix by the Pal–Walker–Kahan square-root
 * free implicit QL/QR (LAPACK dsterf; Parlett, The Symmetric Eigenvalue Problem,
 * §8.15): the iteration runs on the squares e_i² and needs no square roots per
 * rotation. Each unreduced block is scaled to max-norm 1 (by a power of two, exact),
 * and iterated by QL when its bottom diagonal entry is the larger in magnitude, by
 * QR otherwise: the direction matters for graded blocks, e.g. a large block glued
 * to one of rounding-level entries (the null space of a rank-deficient matrix),
 * where always chasing the same way stalls (`tridiagonalQL` then exhausts its
 * sweeps). One change from dsterf: p = γ²/c is computed as γ²·(rr/p_old), equal in
 * exact arithmetic (c = p_old/rr), so that the division runs alongside c's instead of
 * after γ: the chain of dependent operations per step shrinks by one division (the
 * step is latency-bound). Each operation keeps its relative error of order ε.
 */
import { NonConvergenceError } from './tridiagonal.ts';

const EPS = 2 ** -53;
const EPS2 = EPS * EPS;

/** Eigenvalues of [[a, b], [b, c]], the larger in magnitude first (LAPACK dlae2). */
function eig2(a: number, b: number, c: number): [number, number] {
  const sm = a + c;
  const adf = Math.abs(a - c);
  const ab = Math.abs(b + b);
  const [acmx, acmn] = Math.abs(a) > Math.abs(c) ? [a, c] : [c, a];
  const rt =
    adf > ab
      ? adf * Math.sqrt(1 + (ab / adf) ** 2)
      : adf < ab
        ? ab * Math.sqrt(1 + (adf / ab) ** 2)
        : ab * Math.SQRT2;
  if (sm === 0) return [0.5 * rt, -0.5 * rt];
  const rt1 = 0.5 * (sm < 0 ? sm - rt : sm + rt);
  return [rt1, (acmx / rt1) * acmn - (b / rt1) * b];
}

/**
 * Overwrites `d` (length n) with the eigenvalues of the tridiagonal matrix with
 * diagonal d and off-diagonal e (e[i] couples i and i+1; destroyed), ascending.
 * @param maxIterations sweeps allowed per eigenvalue on average (30 as LAPACK).
 * @throws NonConvergenceError when the total budget of n·maxIterations sweeps runs out.
 */
export function tridiagonalEigenvaluesPWK(
  n: number,
  d: Float64Array,
  e: Float64Array,
  maxIterations = 30,
): void {
  const budget = n * maxIterations;
  let sweeps = 0;
  let l1 = 0;
  while (l1 < n) {
    if (l1 > 0) e[l1 - 1] = 0;
    // The unreduced block l1..m.
    let m = l1;
    for (; m < n - 1; m++) {
      if (Math.abs(e[m]) <= Math.sqrt(Math.abs(d[m])) * Math.sqrt(Math.abs(d[m + 1])) * EPS) {
        e[m] = 0;
        break;
      }
    }
    let l = l1;
    const lsv = l;
    let lend = m;
    const lendsv = lend;
    l1 = m + 1;
    if (lend === l) continue;
    // Scale the block to max-norm about 1 (power of two: exact).
    let anorm = 0;
    for (let i = l; i <= lend; i++) anorm = Math.max(anorm, Math.abs(d[i]));
    for (let i = l; i < lend; i++) anorm = Math.max(anorm, Math.abs(e[i]));
    if (anorm === 0) continue;
    const scale = anorm > 2 ** 500 || anorm < 2 ** -500 ? 2 ** -Math.floor(Math.log2(anorm)) : 1;
    if (scale !== 1)
      for (let i = l; i <= lend; i++) {
        d[i] *= scale;
        if (i < lend) e[i] *= scale;
      }
    for (let i = l; i < lend; i++) e[i] *= e[i];
    if (Math.abs(d[lend]) < Math.abs(d[l])) {
      lend = lsv;
      l = lendsv;
    }
    if (lend >= l) {
      // QL: eigenvalues converge at the top, l upwards.
      while (l <= lend) {
        let mm = l;
        for (; mm < lend; mm++) if (Math.abs(e[mm]) <= EPS2 * Math.abs(d[mm] * d[mm + 1])) break;
        if (mm < lend) e[mm] = 0;
        if (mm === l) {
          l++;
          continue;
        }
        if (mm === l + 1) {
          [d[l], d[l + 1]] = eig2(d[l], Math.sqrt(e[l]), d[l + 1]);
          e[l] = 0;
          l += 2;
          continue;
        }
        if (++sweeps > budget)
          throw new NonConvergenceError(`PWK: no convergence in ${budget} sweeps (n = ${n})`);
        const rte = Math.sqrt(e[l]);
        let sigma = (d[l + 1] - d[l]) / (2 * rte);
        const r = Math.hypot(sigma, 1);
        sigma = d[l] - rte / (sigma + (sigma >= 0 ? r : -r));
        let c = 1;
        let s = 0;
        let gamma = d[mm] - sigma;
        let p = gamma * gamma;
        for (let i = mm - 1; i >= l; i--) {
          const bb = e[i];
          const rr = p + bb;
          if (i !== mm - 1) e[i + 1] = s * rr;
          const oldc = c;
          // γ²/c = γ²·(rr/p): that division is off the critical path (see file comment).
          const q = rr / p;
          c = p / rr;
          s = bb / rr;
          const oldgam = gamma;
          const alpha = d[i];
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i + 1] = oldgam + (alpha - gamma);
          p = c !== 0 ? gamma * gamma * q : oldc * bb;
        }
        e[l] = s * p;
        d[l] = sigma + gamma;
      }
    } else {
      // QR: eigenvalues converge at the bottom, l downwards.
      while (l >= lend) {
        let mm = l;
        for (; mm > lend; mm--) if (Math.abs(e[mm - 1]) <= EPS2 * Math.abs(d[mm] * d[mm - 1])) break;
        if (mm > lend) e[mm - 1] = 0;
        if (mm === l) {
          l--;
          continue;
        }
        if (mm === l - 1) {
          [d[l], d[l - 1]] = eig2(d[l], Math.sqrt(e[l - 1]), d[l - 1]);
          e[l - 1] = 0;
          l -= 2;
          continue;
        }
        if (++sweeps > budget)
          throw new NonConvergenceError(`PWK: no convergence in ${budget} sweeps (n = ${n})`);
        const rte = Math.sqrt(e[l - 1]);
        let sigma = (d[l - 1] - d[l]) / (2 * rte);
        const r = Math.hypot(sigma, 1);
        sigma = d[l] - rte / (sigma + (sigma >= 0 ? r : -r));
        let c = 1;
        let s = 0;
        let gamma = d[mm] - sigma;
        let p = gamma * gamma;
        for (let i = mm; i < l; i++) {
          const bb = e[i];
          const rr = p + bb;
          if (i !== mm) e[i - 1] = s * rr;
          const oldc = c;
          const q = rr / p;
          c = p / rr;
          s = bb / rr;
          const oldgam = gamma;
          const alpha = d[i + 1];
          gamma = c * (alpha - sigma) - s * oldgam;
          d[i] = oldgam + (alpha - gamma);
          p = c !== 0 ? gamma * gamma * q : oldc * bb;
        }
        e[l - 1] = s * p;
        d[l] = sigma + gamma;
      }
    }
    if (scale !== 1) for (let i = Math.min(lsv, lendsv); i <= Math.max(lsv, lendsv); i++) d[i] /= scale;
  }
  d.subarray(0, n).sort();
}
