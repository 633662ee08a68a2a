/**
 * The annealing protocol (issue 15; shared notes, literature-fixed-grid, last paragraph): Langevin
 * on a loss whose tensor channels are seen with an effective noise that relaxes to the true one,
 *
 *   Δk_eff(t) = Δk + C e^{−t/τ}   for every channel of order k ≥ 3 (the matrix channel is untouched),
 *
 * while the data keep their true noise Δk. Write u_k(t) = Δk / Δk_eff(t) ∈ (0, 1]; with the
 * covariance f(q) = Σ_k a_k q^k of THEORY §1.1 (a_k = 1/(k Δk)), the loss at time t is
 * H_t(x) = −N f_s(t; m) − H0_t(x) with (THEORY §1.1, the tensor prefactor 1/Δk → 1/Δk_eff(t)):
 *
 *   signal    f_s(t; m)      = Σ_k a_k u_k(t) m^k                 (one factor: the data's signal
 *                                                                  is seen through 1/Δk_eff(t))
 *   noise     E[H0_t(x) H0_s(y)] = N F(t, s; x·y/N),
 *             F(t, s; q)     = Σ_k a_k u_k(t) u_k(s) q^k           (the data's noise has variance
 *                                                                  Δk, so Δk/(Δk_eff(t) Δk_eff(s))).
 *
 * The CHSCK derivation of THEORY §3 goes through unchanged for a Gaussian field whose covariance
 * depends on both times (the self-energy is Σ(t,s) = R(t,s) ∂²_q F(t,s;C(t,s)), the noise kernel
 * D(t,s) = ∂_q F(t,s;C(t,s))), so every f', f'' at (t, s) inside a history integral becomes
 * ∂_q F, ∂²_q F at (t, s): the tensor part carries the factor at BOTH times, and the non-memory
 * terms f'(m(t)) carry it at t only:
 *
 *   ∂t C(t,t') = −μ(t) C + f_s'(t; m(t)) m(t') + ∫_0^t ds R(t,s) F''(t,s;C(t,s)) C(t',s)
 *                + ∫_0^t' ds R(t',s) F'(t,s;C(t,s))
 *   ∂t R(t,t') = −μ(t) R + ∫_t'^t ds R(t,s) F''(t,s;C(t,s)) R(s,t')
 *   dm/dt      = −μ m + f_s'(t; m) + ∫_0^t ds R(t,s) F''(t,s;C(t,s)) m(s)
 *   μ(t)       = T + m f_s'(t; m) + ∫_0^t ds R(t,s) [F'(t,s;C) + C F''(t,s;C)]
 *   e(t)       = −f_s(t; m) − ∫_0^t ds R(t,s) F'(t,s;C)        (the energy of H_t, the loss descended)
 *
 * (μ from d|x|²/dt = 0 with Itô's 2T, as in THEORY §2; e from ⟨H0_t(x(t))⟩ by the response
 * formula.) This is exactly "every memory term divided by the protocol factors at both times t and
 * s" of the published T = 1 program, whose factor is g_k(t) = 1/u_k(t) = 1 + (C/Δk) e^{−t/τ}. At
 * C = 0, u ≡ 1 and F = f: the plain equations, and {@link annealedGridCovariance} then gives the
 * same Float64 values as f itself (every weight is exactly 1 and the terms are summed in f's order).
 *
 * The published program also holds the factor at its t = 0 value for t ≤ 1 (`hold`, default 0 here:
 * the pure exponential of the issue). Time is physical time (the program's output time).
 */
import { type Covariance, polynomialCovariance } from '../model/index.ts';

/** Δk_eff(t) = Δk + c e^{−max(t − …)/τ} on every channel of order ≥ 3 (see the header). */
export interface AnnealProtocol {
  /** Amplitude C ≥ 0 added to each tensor channel's Δk at t = 0 (C = 0: plain Langevin). */
  readonly c: number;
  /** Relaxation time τ > 0. */
  readonly tau: number;
  /** For t ≤ hold the exponential is held at 1 (published program: hold = 1). Default 0. */
  readonly hold?: number;
}

/** Throws a RangeError naming the field when the protocol is out of range. */
export function validateAnnealProtocol(a: AnnealProtocol): void {
  if (!(a.c >= 0) || !Number.isFinite(a.c))
    throw new RangeError(`anneal C must be finite and ≥ 0, got ${a.c}`);
  if (!(a.tau > 0) || !Number.isFinite(a.tau))
    throw new RangeError(`anneal τ must be finite and > 0, got ${a.tau}`);
  if (a.hold !== undefined && !(a.hold >= 0 && Number.isFinite(a.hold)))
    throw new RangeError(`anneal hold must be finite and ≥ 0, got ${a.hold}`);
}

/** The protocol's excess e^{−t/τ} (1 while t ≤ hold). */
export function annealExcess(a: AnnealProtocol, t: number): number {
  return t <= (a.hold ?? 0) ? 1 : Math.exp(-t / a.tau);
}

/** u_k(t) = Δk / (Δk + C e^{−t/τ}) for the channel of order k with coefficient a_k = 1/(k Δk). */
export function annealFactor(a: AnnealProtocol, order: number, coefficient: number, t: number): number {
  if (order < 3) return 1;
  const delta = 1 / (order * coefficient);
  return delta / (delta + a.c * annealExcess(a, t));
}

/**
 * The time-dependent covariance of the annealed loss on a uniform grid t_i = i h (see the header):
 * ∂_q F(t_i, t_l; q), ∂²_q F(t_i, t_l; q) and the signal part f_s(t_i; m), f_s'(t_i; m).
 */
export interface GridCovariance {
  df(i: number, l: number, q: number): number;
  d2f(i: number, l: number, q: number): number;
  signal(i: number, m: number): number;
  dSignal(i: number, m: number): number;
}

/**
 * {@link GridCovariance} of the protocol on t_i = i h, i = 0..n: each term a_k q^k of f weighted by
 * u_k(t_i) u_k(t_l) (memory) or u_k(t_i) (signal), summed in f's order, so that C = 0 reproduces
 * f.df, f.d2f, f.f bit for bit.
 * @example
 * const f = spikedCovariance({ p: 3, delta2: 0.1, deltap: 0.2 });
 * const F = annealedGridCovariance(f, { c: 100, tau: 70 }, 0.01, 1000);
 * F.df(0, 0, 1); // = 1/Δ2 + 1/(Δp (1 + C/Δp)²) = 10 + 5/501²
 */
export function annealedGridCovariance(
  f: Covariance,
  protocol: AnnealProtocol,
  h: number,
  n: number,
): GridCovariance {
  validateAnnealProtocol(protocol);
  const terms = f.terms.map((t) => {
    const u = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) u[i] = annealFactor(protocol, t.order, t.coefficient, i * h);
    return { single: polynomialCovariance([t]), u };
  });
  return {
    df: (i, l, q) => {
      let s = 0;
      for (const { single, u } of terms) s += u[i] * u[l] * single.df(q);
      return s;
    },
    d2f: (i, l, q) => {
      let s = 0;
      for (const { single, u } of terms) s += u[i] * u[l] * single.d2f(q);
      return s;
    },
    signal: (i, m) => {
      let s = 0;
      for (const { single, u } of terms) s += u[i] * single.f(m);
      return s;
    },
    dSignal: (i, m) => {
      let s = 0;
      for (const { single, u } of terms) s += u[i] * single.df(m);
      return s;
    },
  };
}
