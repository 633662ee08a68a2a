/**
 * The stress matrix of the large-N solver (issue 10): the design over T, p, Δp, 1/Δ2 (relative
 * to the GF threshold at T = 0, to the Langevin conjecture line at T > 0, THEORY §5, §6.3) and
 * m0, and the checks of a finished run against what is known in closed form (THEORY §3).
 */
import { type Covariance, spikedCovariance } from '../model/index.ts';
import { gfThreshold, langevinConjecture } from '../phase/index.ts';
import { Rng } from '../random/index.ts';
import { gradientFlowEndState, nishimoriPlateau, thresholdState } from './endState.ts';
import type { Correlations, DynamicsResult } from './types.ts';

export const STRESS_LEVELS = {
  temperature: [0, 0.5, 1, 2, 5],
  p: [3, 4, 5],
  deltap: [0.01, 0.1, 1, 10, 100],
  ratio: [0.8, 0.95, 1, 1.02, 1.1, 1.5, 3],
  m0: [1e-40, 1e-5, 0.1, 0],
} as const;

export interface StressCase {
  readonly temperature: number;
  readonly p: number;
  readonly deltap: number;
  /** 1/Δ2 over the threshold line (GF at T = 0, Langevin conjecture at T > 0). */
  readonly ratio: number;
  readonly invDelta2: number;
  readonly m0: number;
}

/** The line 1/Δ2 is measured against: GF threshold at T = 0, the Langevin conjecture at T > 0. */
export function stressLine(p: number, deltap: number, temperature: number): number {
  return temperature === 0 ? gfThreshold(p, deltap) : langevinConjecture(p, deltap, temperature);
}

/** Every case of the full product (5 · 3 · 5 · 7 · 4 = 2100). */
export function stressMatrix(): StressCase[] {
  const L = STRESS_LEVELS;
  const out: StressCase[] = [];
  for (const temperature of L.temperature)
    for (const p of L.p)
      for (const deltap of L.deltap) {
        const line = stressLine(p, deltap, temperature);
        for (const ratio of L.ratio)
          for (const m0 of L.m0) out.push({ temperature, p, deltap, ratio, invDelta2: ratio * line, m0 });
      }
  return out;
}

/**
 * A sampled design: `count` cases of the full product in a seeded random order, so that any
 * prefix is a uniform sample and every run of the same (count, seed) is the same design.
 */
export function sampleStressCases(count: number, seed: number): StressCase[] {
  const all = stressMatrix();
  const rng = Rng.fromSeed(seed);
  for (let k = all.length - 1; k > 0; k--) {
    const j = Math.floor(rng.uniform() * (k + 1));
    [all[k], all[j]] = [all[j], all[k]];
  }
  return all.slice(0, count);
}

/** Largest f'(q)(1 − q)²/q over q ∈ (0, 1): the paramagnet is ergodic (no plateau) when T² exceeds it. */
function plateauStrength(f: Covariance): number {
  let best = 0;
  for (let k = 1; k < 2000; k++) {
    const q = k / 2000;
    best = Math.max(best, (f.df(q) * (1 - q) ** 2) / q);
  }
  return best;
}

export interface StressCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * Checks a finished run of `c` against what is known (THEORY §3):
 * - status ok;
 * - T = 0 below the GF threshold, while m < 0.01 (aging near the threshold states):
 *   μ(t) < 2√f''(1) and, after t = 100, 2√f''(1) − μ decreasing;
 * - T = 0, once m > 0.5: the GF end state (m*, μ*, e*) at the end;
 * - T = 1, once m > 0.5: the Nishimori identities μ = 1 + f'(1), e = −f(1) at the end and no
 *   drift over the last half of the run;
 * - T > 0 with m = 0 stable (1/Δ2 < T) in the ergodic paramagnet (T² > max f'(q)(1−q)²/q):
 *   μ = T + f'(1)/T, e = −f(1)/T at the end.
 * - T > 0, when the run saved its correlations: the fluctuation–dissipation relation in the
 *   near-diagonal strip of the last row, T χ = 1 − C at lags τ ≤ t/32 (`fdtStripResidual`).
 * `tol` is the allowed deviation from the closed forms at the end of the run.
 */
export function checkStressCase(c: StressCase, r: DynamicsResult, tol = 1e-3): StressCheck[] {
  const f = spikedCovariance({ p: c.p, delta2: 1 / c.invDelta2, deltap: c.deltap });
  const checks: StressCheck[] = [];
  const k = r.t.length - 1;
  const fmt = (x: number): string => x.toExponential(1);
  checks.push({ name: 'status', ok: r.stats.status === 'ok', detail: r.stats.message ?? r.stats.status });
  const T = c.temperature;
  const mEnd = r.m[k];
  if (T === 0 && c.ratio < 1) {
    const th = thresholdState(f).mu;
    let above = 0;
    // The gap 2√f″(1) − μ closes (aging approaches the threshold states from below, THEORY §4.1):
    // from t = 100 to the end of the plateau it must shrink overall, and no row may reopen it by
    // more than `tol`: a grid change (doubling, thinning) shifts the quadrature once, by up to
    // 9.6e-4 in μ (stress case 14, t = 1.38·10⁵; README "Long plateaus (issue 10, session 6)"),
    // which is not a reversal of the aging.
    let firstGap = Number.NaN;
    let lastGap = Number.NaN;
    let maxRise = 0;
    for (let j = 0; j <= k && Math.abs(r.m[j]) < 0.01; j++) {
      above = Math.max(above, r.mu[j] - th);
      if (r.t[j] < 100) continue;
      const gap = th - r.mu[j];
      if (Number.isNaN(firstGap)) firstGap = gap;
      else maxRise = Math.max(maxRise, gap - lastGap);
      lastGap = gap;
    }
    const closing = !(lastGap > firstGap) && maxRise <= tol;
    checks.push({
      name: 'aging: μ → 2√f″(1) from below',
      ok: above <= 1e-6 && (Number.isNaN(firstGap) || closing),
      detail: `max μ − 2√f″(1) = ${fmt(above)}, gap ${fmt(firstGap)} at t = 100 → ${fmt(lastGap)}, largest one-row rise ${fmt(maxRise)}`,
    });
  }
  if (T === 0 && mEnd > 0.5) {
    const end = gradientFlowEndState(f);
    if (end !== null) {
      const d = Math.max(
        Math.abs(mEnd - end.m),
        Math.abs(r.mu[k] - end.mu),
        Math.abs(r.energy[k] - end.energy),
      );
      checks.push({ name: 'GF end state', ok: d < tol, detail: `max |Δ| = ${fmt(d)}` });
    }
  }
  if (T === 1 && mEnd > 0.5) {
    const n = nishimoriPlateau(f);
    const d = Math.max(Math.abs(r.mu[k] - n.mu), Math.abs(r.energy[k] - n.energy));
    let drift = 0;
    const half = r.t[k] / 2;
    for (let j = 0; j <= k; j++)
      if (r.t[j] >= half)
        drift = Math.max(drift, Math.abs(r.mu[j] - r.mu[k]), Math.abs(r.energy[j] - r.energy[k]));
    checks.push({
      name: 'Nishimori',
      ok: d < tol && drift < tol,
      detail: `max |Δ| = ${fmt(d)}, drift over the last half ${fmt(drift)}`,
    });
  }
  if (T > 0 && c.invDelta2 < T && T * T > plateauStrength(f)) {
    const d = Math.max(Math.abs(r.mu[k] - (T + f.df(1) / T)), Math.abs(r.energy[k] + f.f(1) / T));
    checks.push({
      name: 'FDT paramagnet',
      ok: d < tol && Math.abs(mEnd) < tol,
      detail: `max |Δ| = ${fmt(d)}`,
    });
  }
  if (T > 0 && r.correlations !== undefined) {
    const d = fdtStripResidual(T, r.correlations, FDT_STRIP);
    checks.push({
      name: 'FDT in the strip',
      ok: d < tol,
      detail: `max |Tχ − (1 − C)| = ${fmt(d)} at τ ≤ t/32`,
    });
  }
  return checks;
}

/**
 * Lags (as a fraction of t) where `checkStressCase` asks for FDT: well inside the stationary
 * strip; at t = 1000 of an aging case at T = 0.5 (p = 3, Δp = 10, 1.02 × the Langevin line)
 * the residual is 1.6e-4 there, 2.6e-3 at t/8 and 6e-2 at t/2, where aging violates FDT.
 */
const FDT_STRIP = 1 / 32;

/**
 * The fluctuation–dissipation residual of the near-diagonal strip of the last row of `corr`:
 * max over the lags 0 < τ ≤ `fraction`·t of |T χ(t, t − τ) − (1 − C(t, t − τ))|. At T > 0 the
 * short-lag part of the dynamics is quasi-equilibrated, and there R = −∂τ C / T, i.e.
 * χ(τ) = (1 − C(τ))/T exactly (THEORY §3); aging violates it only at lags comparable to t, and
 * in the ergodic paramagnet it holds at every lag. Needs `saveCorrelations` (adaptive grid: the
 * final window).
 */
export function fdtStripResidual(temperature: number, corr: Correlations, fraction: number): number {
  const { times, C, chi } = corr;
  const n = times.length;
  const i = n - 1;
  const t = times[i];
  let worst = 0;
  for (let j = i - 1; j >= 0 && t - times[j] <= fraction * t; j--) {
    const r = Math.abs(temperature * chi[i * n + j] - (1 - C[i * n + j]));
    if (r > worst) worst = r;
  }
  return worst;
}
