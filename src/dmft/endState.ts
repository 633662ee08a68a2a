/**
 * Static predictions for the large-N dynamics (THEORY §3): the gradient-flow end state when the
 * signal is found, and the T = 1 Nishimori plateau.
 */
import type { Covariance } from '../model/index.ts';
import { brentRoot } from '../numerics/index.ts';

/** The t → ∞ state of gradient flow once the signal is found (THEORY §3). */
export interface GradientFlowEndState {
  /** Overlap m*, the largest root in (0, 1) of m² (f'(m)² + f'(1)) = f'(m)². */
  readonly m: number;
  /** Integrated response χ = ∫ R = m* / f'(m*). */
  readonly chi: number;
  /** Lagrange multiplier μ* = f''(1) χ + 1/χ. */
  readonly mu: number;
  /** Energy e* = −f(m*) − χ f'(1). */
  readonly energy: number;
}

/**
 * The gradient-flow end state of THEORY §3, or null when the only solution is m = 0
 * (no informative fixed point).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * // pure matrix model: m*² = 1 − Δ2
 * gradientFlowEndState(spikedCovariance({ p: 3, delta2: 0.5, deltap: Infinity }))!.m; // ≈ √0.5
 */
export function gradientFlowEndState(covariance: Covariance): GradientFlowEndState | null {
  const f = covariance;
  const q1 = f.df(1);
  // g(m) = m √(f'(m)² + f'(1)) − f'(m): > 0 at m = 1, and its largest sign change in (0, 1) is m*.
  const g = (m: number): number => {
    const d = f.df(m);
    return m * Math.sqrt(d * d + q1) - d;
  };
  // Scan down from 1 on a fine grid (g is a low-degree polynomial-like function; roots are
  // separated by more than the grid spacing for every model of interest) and polish with Brent.
  const steps = 4000;
  let hi = 1;
  let ghi = g(hi);
  for (let k = steps - 1; k >= 1; k--) {
    const lo = k / steps;
    const glo = g(lo);
    if (glo === 0) return endStateAt(f, lo);
    if (glo < 0 && ghi > 0) return endStateAt(f, brentRoot(g, lo, hi));
    hi = lo;
    ghi = glo;
  }
  return null;
}

function endStateAt(f: Covariance, m: number): GradientFlowEndState {
  const chi = m / f.df(m);
  return { m, chi, mu: f.d2f(1) * chi + 1 / chi, energy: -f.f(m) - chi * f.df(1) };
}

/**
 * The Nishimori plateau at T = 1 with matched noise, once the signal is found (THEORY §3):
 * μ∞ = 1 + f'(1), e∞ = −f(1).
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * nishimoriPlateau(spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 })).mu; // 1 + 2 + 1 = 4
 */
export function nishimoriPlateau(covariance: Covariance): { readonly mu: number; readonly energy: number } {
  return { mu: 1 + covariance.df(1), energy: -covariance.f(1) };
}

/**
 * The threshold (marginal) states of the pure tensor model reached by aging gradient flow
 * (THEORY §3): μ_th = 2√f''(1), e_th = −2√f''(1) f'(1)/(f'(1) + f''(1)).
 * @example
 * import { polynomialCovariance } from '../model/index.ts';
 * thresholdState(polynomialCovariance([{ order: 3, coefficient: 1 / 3 }])).mu; // 2√2
 */
export function thresholdState(covariance: Covariance): { readonly mu: number; readonly energy: number } {
  const q1 = covariance.df(1);
  const q2 = covariance.d2f(1);
  const s = Math.sqrt(q2);
  return { mu: 2 * s, energy: (-2 * s * q1) / (q1 + q2) };
}

/**
 * The plateau q_EA of aging at temperature T > 0 with m = 0 (THEORY §3, "Aging at T > 0"): the
 * largest q in (0, 1) with f''(q)(1 − q)² = T², the marginality of the stationary part of the
 * dynamics (Cugliandolo–Kurchan). Where C(t, t') ≥ q_EA the correlation is in its stationary
 * regime and obeys the fluctuation–dissipation theorem as t → ∞; below q_EA it ages and
 * violates it. `null` when there is no root (T² ≥ f''(q)(1 − q)² for every q: no plateau).
 * For the pure matrix (p = 2 part alone, f'' = 1/Δ2) q_EA = 1 − T√Δ2.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * agingPlateau(spikedCovariance({ p: 3, delta2: 0.25, deltap: Infinity }), 0.5); // 1 − 0.5·0.5 = 0.75
 */
export function agingPlateau(covariance: Covariance, temperature: number): number | null {
  const g = (q: number): number => covariance.d2f(q) * (1 - q) ** 2 - temperature * temperature;
  // g(1) = −T² < 0: scan down from 1 for the first sign change (the largest root), then bisect.
  const steps = 4096;
  let hi = 1;
  let lo = Number.NaN;
  for (let k = steps - 1; k >= 1; k--) {
    const q = k / steps;
    if (g(q) >= 0) {
      lo = q;
      break;
    }
    hi = q;
  }
  if (Number.isNaN(lo)) return null;
  for (let it = 0; it < 60; it++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) >= 0) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}
