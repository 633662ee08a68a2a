/**
 * The covariance function f of THEORY §1.1. For large N the loss is
 * `H(x) = −N f(m) − H0(x)` with `E[H0(x)H0(y)] = N f(x·y/N)`, so every large-N
 * object in saddlesurf (dynamics, landscape, message passing) depends on the model
 * only through f. A planted model with one channel of order k and noise Δk
 * contributes `z^k / (k Δk)`; the spiked matrix–tensor model is the 2+p case
 * `f(z) = z²/(2Δ2) + z^p/(p Δp)`. A channel with Δ = ∞ is switched off.
 */

/** One observation channel: a rank-one order-`order` tensor seen with noise variance `delta`. */
export interface Channel {
  /** Tensor order k ≥ 2 (2 is the matrix channel). */
  readonly order: number;
  /** Noise variance Δk > 0; `Infinity` switches the channel off. */
  readonly delta: number;
}

/** Parameters of the spiked matrix–tensor model (THEORY §1). */
export interface SpikedParams {
  /** Tensor order p, an integer ≥ 3. */
  readonly p: number;
  /** Matrix noise variance Δ2 > 0 (`Infinity`: pure tensor model). */
  readonly delta2: number;
  /** Tensor noise variance Δp > 0 (`Infinity`: pure matrix model). */
  readonly deltap: number;
}

/** A polynomial covariance `f(z) = Σ_k a_k z^k` with non-negative coefficients. */
export interface Covariance {
  /** The terms a_k z^k with a_k > 0, by increasing order. */
  readonly terms: ReadonlyArray<{ readonly order: number; readonly coefficient: number }>;
  /** f(z). */
  f(z: number): number;
  /** f'(z). */
  df(z: number): number;
  /** f''(z). */
  d2f(z: number): number;
  /** f'''(z). */
  d3f(z: number): number;
}

/** Integer power by repeated multiplication (exact for the small orders used here, and fast). */
function ipow(z: number, k: number): number {
  let r = 1;
  for (let i = 0; i < k; i++) r *= z;
  return r;
}

/**
 * A covariance from explicit terms `a_k z^k`.
 * @example
 * const f = polynomialCovariance([{ order: 2, coefficient: 1 }, { order: 3, coefficient: 0.5 }]);
 * f.df(1); // 2 + 1.5 = 3.5
 */
export function polynomialCovariance(
  terms: ReadonlyArray<{ readonly order: number; readonly coefficient: number }>,
): Covariance {
  const kept = terms
    .filter((t) => t.coefficient !== 0)
    .map((t) => {
      if (!Number.isInteger(t.order) || t.order < 1)
        throw new RangeError(`covariance order must be an integer ≥ 1, got ${t.order}`);
      if (!(t.coefficient > 0) || !Number.isFinite(t.coefficient)) {
        throw new RangeError(`covariance coefficients must be finite and ≥ 0, got ${t.coefficient}`);
      }
      return { order: t.order, coefficient: t.coefficient };
    })
    .sort((a, b) => a.order - b.order);
  if (kept.length === 0) throw new RangeError('covariance has no terms: every channel is switched off');
  const orders = Float64Array.from(kept, (t) => t.order);
  const coeffs = Float64Array.from(kept, (t) => t.coefficient);
  const n = kept.length;
  const derivative = (z: number, d: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const k = orders[i];
      if (k < d) continue;
      let c = coeffs[i];
      for (let j = 0; j < d; j++) c *= k - j;
      s += c * ipow(z, k - d);
    }
    return s;
  };
  return {
    terms: kept,
    f: (z) => derivative(z, 0),
    df: (z) => derivative(z, 1),
    d2f: (z) => derivative(z, 2),
    d3f: (z) => derivative(z, 3),
  };
}

/** The covariance of a planted model with the given channels: `Σ_k z^k / (k Δk)`. */
export function channelCovariance(channels: ReadonlyArray<Channel>): Covariance {
  for (const c of channels) {
    if (!(c.delta > 0))
      throw new RangeError(`noise variance of the order-${c.order} channel must be > 0, got ${c.delta}`);
  }
  return polynomialCovariance(
    channels
      .filter((c) => c.delta !== Number.POSITIVE_INFINITY)
      .map((c) => ({ order: c.order, coefficient: 1 / (c.order * c.delta) })),
  );
}

/**
 * A model as the 2+p parameters plus further tensor channels (issue 15): the matrix channel
 * Δ2, the lowest-order tensor channel (p, Δp) and every other tensor channel in `extraTensors`,
 * by increasing order > p, each with finite Δ. Without extras it is the spiked matrix–tensor
 * model itself, so the 2+p code paths (and their random streams) are unchanged.
 */
export interface ModelParams extends SpikedParams {
  /** Tensor channels of order > p, increasing, finite Δ (absent or empty: the 2+p model). */
  readonly extraTensors?: ReadonlyArray<Channel>;
}

/**
 * Throws a RangeError when a channel set is not valid: orders integers ≥ 2, no order twice,
 * each Δ > 0 (`Infinity` switches a channel off), at least one channel on.
 */
export function validateChannels(channels: ReadonlyArray<Channel>): void {
  const seen = new Set<number>();
  for (const c of channels) {
    if (!Number.isInteger(c.order) || c.order < 2)
      throw new RangeError(`channel order must be an integer ≥ 2, got ${c.order}`);
    if (seen.has(c.order)) throw new RangeError(`channel order ${c.order} given twice`);
    seen.add(c.order);
    if (!(c.delta > 0))
      throw new RangeError(`Δ of the order-${c.order} channel must be > 0 (or Infinity), got ${c.delta}`);
  }
  if (!channels.some((c) => c.delta !== Number.POSITIVE_INFINITY))
    throw new RangeError('every channel is switched off (Δ = Infinity): no observation is left');
}

/**
 * The {@link ModelParams} of a channel set (validated): Δ2 from the order-2 channel (∞ when
 * absent), p and Δp from the lowest-order tensor channel that is on, the other tensor channels
 * that are on as `extraTensors`; without any tensor channel p = 3, Δp = ∞ (pure matrix model).
 * A 2+p set gives exactly the 2+p parameters.
 * @example
 * modelFromChannels([{ order: 4, delta: 4 }, { order: 2, delta: 0.5 }, { order: 3, delta: 2 }]);
 * // { p: 3, delta2: 0.5, deltap: 2, extraTensors: [{ order: 4, delta: 4 }] }
 */
export function modelFromChannels(channels: ReadonlyArray<Channel>): ModelParams {
  validateChannels(channels);
  const matrix = channels.find((c) => c.order === 2);
  const tensors = channels
    .filter((c) => c.order >= 3 && c.delta !== Number.POSITIVE_INFINITY)
    .map((c) => ({ order: c.order, delta: c.delta }))
    .sort((a, b) => a.order - b.order);
  const delta2 = matrix?.delta ?? Number.POSITIVE_INFINITY;
  if (tensors.length === 0) return { p: 3, delta2, deltap: Number.POSITIVE_INFINITY, extraTensors: [] };
  const [first, ...extraTensors] = tensors;
  return { p: first.order, delta2, deltap: first.delta, extraTensors };
}

/** Every channel of a model (matrix, order-p tensor, extra tensors), switched-off ones included. */
export function modelChannels(m: ModelParams): Channel[] {
  return [...spikedChannels(m), ...(m.extraTensors ?? []).map((c) => ({ order: c.order, delta: c.delta }))];
}

/**
 * THEORY §1.1 for a model with any channels: `f(z) = Σ_k z^k/(k Δk)`.
 * @example
 * modelCovariance({ p: 3, delta2: 0.5, deltap: 2, extraTensors: [{ order: 4, delta: 4 }] }).d2f(1); // 2 + 1 + 0.75
 */
export function modelCovariance(m: ModelParams): Covariance {
  const extras = m.extraTensors ?? [];
  if (extras.length === 0) return spikedCovariance(m);
  validateModelParams(m);
  return channelCovariance(modelChannels(m));
}

/** {@link validateSpikedParams} plus the extra tensor channels: orders > p increasing, Δ finite > 0. */
export function validateModelParams(m: ModelParams): void {
  validateSpikedParams(m);
  let previous = m.p;
  for (const c of m.extraTensors ?? []) {
    if (!Number.isInteger(c.order) || c.order <= previous)
      throw new RangeError(
        `extra tensor channels must have integer orders > p, increasing; got ${c.order} after ${previous}`,
      );
    if (!(c.delta > 0 && Number.isFinite(c.delta)))
      throw new RangeError(`Δ of the extra order-${c.order} channel must be finite and > 0, got ${c.delta}`);
    previous = c.order;
  }
  if ((m.extraTensors?.length ?? 0) > 0 && m.deltap === Number.POSITIVE_INFINITY)
    throw new RangeError(
      'extra tensor channels need the order-p channel on (Δp finite): p is the lowest order',
    );
}

/** The channels of the spiked matrix–tensor model: matrix (Δ2) and order-p tensor (Δp). */
export function spikedChannels(params: SpikedParams): Channel[] {
  validateSpikedParams(params);
  return [
    { order: 2, delta: params.delta2 },
    { order: params.p, delta: params.deltap },
  ];
}

/**
 * THEORY §1.1: `f(z) = z²/(2Δ2) + z^p/(p Δp)`.
 * @example
 * const f = spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 });
 * f.d2f(1); // 1/Δ2 + (p−1)/Δp = 4
 */
export function spikedCovariance(params: SpikedParams): Covariance {
  return channelCovariance(spikedChannels(params));
}

/** Throws a RangeError naming the parameter when the model parameters are out of range. */
export function validateSpikedParams(params: SpikedParams): void {
  if (!Number.isInteger(params.p) || params.p < 3)
    throw new RangeError(`p must be an integer ≥ 3, got ${params.p}`);
  if (!(params.delta2 > 0)) throw new RangeError(`delta2 must be > 0 (or Infinity), got ${params.delta2}`);
  if (!(params.deltap > 0)) throw new RangeError(`deltap must be > 0 (or Infinity), got ${params.deltap}`);
  if (params.delta2 === Number.POSITIVE_INFINITY && params.deltap === Number.POSITIVE_INFINITY) {
    throw new RangeError('delta2 and deltap cannot both be Infinity: no channel is left');
  }
}
