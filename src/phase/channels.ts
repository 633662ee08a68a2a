/**
 * Threshold lines of a model with several tensor channels {order k: Δk} (issue 15 item 1),
 * each as a value of 1/Δ2 of the matrix channel (THEORY §5 plot axis). A given order-2
 * channel is replaced by the axis variable; without one, the lines are those of an added
 * matrix channel. Everything goes through the covariance `f(z) = z²/(2Δ2) + Σ_k z^k/(kΔk)`
 * (THEORY §1.1), so the landscape and message-passing theory carries over where it only
 * uses f:
 *
 * - `gf` (THEORY §5, §4.1): at m = 0 the threshold states have θ(0) = f''(0) = 1/Δ2 (orders
 *   ≥ 3 vanish at 0) and σ = √f''(1) = √(1/Δ2 + a), `a = Σ_{k≥3}(k−1)/Δk`; θ(0) = σ gives
 *   `1/Δ2 = (1 + √(1 + 4a))/2`.
 * - `mlAmp` (THEORY §6.1): the slope of `f'(m)/√(f'(m)² + f'(1))` at m = 0 is
 *   (1/Δ2)/√f'(1) with f'(1) = 1/Δ2 + b, `b = Σ_{k≥3} 1/Δk`: `1/Δ2 = (1 + √(1 + 4b))/2`.
 * - `trivAllM`, `trivNonNegativeM` (THEORY §4.2): the Kac–Rice complexity is written for any
 *   f; the same root finding as the 2+p lines, on the channel covariance.
 * - `bayesIT` (THEORY §6.2): Φ_RS(m) = ½[ln(1−m) + m + f(m)] for any f; since
 *   ∂Φ_RS/∂(1/Δ2) = m²/4 ≥ 0 the best informative stationary value increases with 1/Δ2,
 *   so the IT line is found by bisection on "some m > 0 beats m = 0".
 * - `langevinConjecture` (THEORY §6.3, a CONJECTURE): its plateau condition uses only f''.
 *
 * Where the theory stops here: the Bayes-AMP algorithmic line and the spinodals (ML-AMP and
 * Bayes) are implemented for 2+p only (amp/thresholds.ts parametrises the fixed-point
 * branches by one tensor order); the closed-form all-m line of odd p (mirror minimum turns
 * physical) is a 2+p finding. Monotonicity and ordering were property-tested for 2+p
 * (extremes.test.ts); for channels each tensor Δk must lie in THRESHOLD_DELTAP_RANGE.
 */

import { bayesStationaryPoints, phiRS } from '../amp/index.ts';
import { type SignalMinimum, signalMinimum } from '../landscape/index.ts';
import { type Channel, type Covariance, channelCovariance } from '../model/index.ts';
import { halfTrivialisation, langevinLine, type ModelAlongSnr, THRESHOLD_DELTAP_RANGE } from './lines.ts';

/** Threshold lines of a channel model, each as 1/Δ2 of the matrix channel. */
export interface ChannelThresholds {
  readonly gf: number;
  readonly mlAmp: number;
  readonly trivAllM: number;
  readonly trivNonNegativeM: number;
  readonly bayesIT: number;
  /** A CONJECTURE (THEORY §6.3). */
  readonly langevinConjecture: number;
}

/**
 * The tensor channels (order ≥ 3, finite Δ) of a channel set, validated: integer orders
 * ≥ 2, no order twice, Δ > 0 (∞ switches a channel off), tensor Δk in THRESHOLD_DELTAP_RANGE.
 */
export function tensorChannels(channels: ReadonlyArray<Channel>): Channel[] {
  const seen = new Set<number>();
  const { min, max } = THRESHOLD_DELTAP_RANGE;
  for (const c of channels) {
    if (!Number.isInteger(c.order) || c.order < 2)
      throw new RangeError(`channel order must be an integer ≥ 2, got ${c.order}`);
    if (seen.has(c.order)) throw new RangeError(`channel order ${c.order} given twice`);
    seen.add(c.order);
    if (!(c.delta > 0)) throw new RangeError(`Δ of the order-${c.order} channel must be > 0, got ${c.delta}`);
    if (c.order >= 3 && c.delta !== Number.POSITIVE_INFINITY && !(c.delta >= min && c.delta <= max))
      throw new RangeError(
        `Δ of the order-${c.order} channel must lie in [${min}, ${max}] or be Infinity for the threshold lines, got ${c.delta}`,
      );
  }
  return channels.filter((c) => c.order >= 3 && c.delta !== Number.POSITIVE_INFINITY);
}

/** The covariance family along the plot axis: the tensor channels plus a matrix channel 1/Δ2 = a. */
export function channelModel(channels: ReadonlyArray<Channel>): ModelAlongSnr {
  const tensors = tensorChannels(channels);
  return (a: number) => channelCovariance([{ order: 2, delta: 1 / a }, ...tensors]);
}

/**
 * GF threshold of a channel model: `(1 + √(1 + 4a))/2`, `a = Σ_{k≥3}(k−1)/Δk`.
 * @example
 * channelGfThreshold([{ order: 3, delta: 1 }]); // 2, the 2+p value at p = 3, Δp = 1
 */
export function channelGfThreshold(channels: ReadonlyArray<Channel>): number {
  let a = 0;
  for (const c of tensorChannels(channels)) a += (c.order - 1) / c.delta;
  return (1 + Math.sqrt(1 + 4 * a)) / 2;
}

/**
 * ML-AMP threshold of a channel model: `(1 + √(1 + 4b))/2`, `b = Σ_{k≥3} 1/Δk`.
 * @example
 * channelMlAmpThreshold([{ order: 3, delta: 1 }, { order: 4, delta: 1 }]); // (1 + 3)/2 = 2
 */
export function channelMlAmpThreshold(channels: ReadonlyArray<Channel>): number {
  let b = 0;
  for (const c of tensorChannels(channels)) b += 1 / c.delta;
  return (1 + Math.sqrt(1 + 4 * b)) / 2;
}

/** Whether some overlap m > 0 has Φ_RS(m) > 0 = Φ_RS(0) (THEORY §6.2). */
function informativeWins(cov: Covariance): boolean {
  return bayesStationaryPoints(cov).some((m) => m > 0 && m < 1 && phiRS(m, cov) > 0);
}

/**
 * Bayes-optimal IT threshold (as 1/Δ2) of a channel model: the smallest 1/Δ2 at which the
 * global maximiser of Φ_RS is not m = 0. It is ≤ 1 (above 1, m = 0 is a local minimum of
 * Φ_RS); 0 when the tensor channels alone already make inference possible.
 */
export function channelBayesIT(channels: ReadonlyArray<Channel>): number {
  const model = channelModel(channels);
  const tensors = tensorChannels(channels);
  if (tensors.length === 0) return 1;
  if (informativeWins(channelCovariance(tensors))) return 0;
  let lo = 0;
  let hi = 1;
  // Bisection on a monotone predicate to 1e-12 (Φ_RS increases with 1/Δ2 at fixed m > 0).
  while (hi - lo > 1e-12) {
    const mid = 0.5 * (lo + hi);
    if (informativeWins(model(mid))) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Every line of {@link ChannelThresholds} for a set of channels.
 * @example
 * channelThresholds([{ order: 3, delta: 2 }, { order: 4, delta: 4 }]).gf; // (1 + √(1 + 4·1.75))/2
 */
export function channelThresholds(channels: ReadonlyArray<Channel>): ChannelThresholds {
  const tensors = tensorChannels(channels);
  const gf = channelGfThreshold(tensors);
  if (tensors.length === 0)
    return { gf, mlAmp: 1, trivAllM: 1, trivNonNegativeM: 1, bayesIT: 1, langevinConjecture: 1 };
  const model = channelModel(tensors);
  const tol = 1e-10;
  const trivNonNegativeM = halfTrivialisation(model, gf, 'nonNegative', tol, undefined);
  // Only odd orders break the m → −m symmetry of Σ_min (see trivialisationThreshold).
  const odd = tensors.some((c) => c.order % 2 === 1);
  const trivAllM = odd
    ? Math.max(trivNonNegativeM, halfTrivialisation(model, gf, 'nonPositive', tol, undefined))
    : trivNonNegativeM;
  return {
    gf,
    mlAmp: channelMlAmpThreshold(tensors),
    trivAllM,
    trivNonNegativeM,
    bayesIT: channelBayesIT(tensors),
    langevinConjecture: langevinLine(model, 1),
  };
}

/**
 * The gradient-flow end state (THEORY §3: `m*² = f'(m*)²/(f'(m*)² + f'(1))`, χ, μ*, e*) of
 * a channel model including its matrix channel, or null when there is none (signal
 * unreachable, e.g. no matrix channel and weak tensors).
 * @example
 * channelGfEndState([{ order: 2, delta: 0.25 }, { order: 3, delta: 2 }, { order: 4, delta: 4 }])!.m; // ≈ 0.88
 */
export function channelGfEndState(channels: ReadonlyArray<Channel>): SignalMinimum | null {
  tensorChannels(channels);
  return signalMinimum(channelCovariance(channels));
}
