/**
 * Langevin dynamics at finite N under the annealing protocol (issue 15; the large-N side is
 * `src/dmft/anneal.ts`): the loss at time t is the loss of THEORY §1 with the tensor channel seen
 * with noise Δp_eff(t) = Δp + C e^{−t/τ}, i.e. the tensor term weighted by 1/Δp_eff(t) while the
 * data keep their true noise Δp, and the step is THEORY §2's Euler–Maruyama with projection:
 *
 *   x ← P_sphere( x + dt (−∇H_{t_k}(x) − μ x) + √(2T dt) ξ ),   μ = T(N−1)/N − x·∇H_{t_k}(x)/N,
 *
 * the protocol evaluated at the start of the step t_k = k dt (as the published large-N program
 * does). With C = 0 every number, the noise draws included, is that of `runDescent`'s Langevin.
 */
import { type AnnealProtocol, annealExcess, validateAnnealProtocol } from '../dmft/anneal.ts';
import { gradient, type Instance } from '../model/index.ts';
import type { Rng } from '../random/index.ts';
import { type ObservationSchedule, observationSteps, observationTimes } from './schedule.ts';
import { dot, projectToSphere } from './sphere.ts';

/** Options of {@link runAnnealedLangevin}. */
export interface AnnealedLangevinOptions {
  readonly tmax: number;
  /** Euler–Maruyama step. */
  readonly dt: number;
  /** Temperature T ≥ 0 (default 1: the posterior once the protocol has relaxed). */
  readonly temperature?: number;
  readonly anneal: AnnealProtocol;
  readonly rng: Rng;
  /** Observation times (default: 100 linearly spaced), rounded to steps as in `runDescent`. */
  readonly schedule?: ObservationSchedule;
  /** End the run at the first observation with m ≥ this level (escape times). */
  readonly stopAtOverlap?: number;
  /** Polled after every step; true ends the run (the current state is recorded). */
  readonly shouldStop?: () => boolean;
}

/** One row of an annealed run. */
export interface AnnealedObservation {
  readonly t: number;
  /** m = x·x* / N. */
  readonly m: number;
  /** H_t(x)/N: the annealed loss being descended at t. */
  readonly energy: number;
  /** H(x)/N with the true Δp. */
  readonly energyPlain: number;
  /** μ = T(N−1)/N − x·∇H_t/N. */
  readonly mu: number;
  /** Δp_eff(t). */
  readonly deltapEff: number;
}

export interface AnnealedLangevinResult {
  readonly observations: AnnealedObservation[];
  readonly x: Float64Array;
  readonly stopped: boolean;
  /** True when the run ended at `stopAtOverlap`. */
  readonly reached: boolean;
}

/**
 * The instance seen through the protocol at time t (same data, tensor prefactor 1/Δp_eff(t)); every
 * further tensor channel (issue 15) likewise with Δk + C e^{−t/τ}, as on the large-N side (anneal.ts).
 */
export function annealedInstance(inst: Instance, anneal: AnnealProtocol, t: number): Instance {
  const excess = anneal.c * annealExcess(anneal, t);
  const seen = { ...inst, deltap: inst.deltap + excess };
  if (inst.extraTensors === undefined) return seen;
  return { ...seen, extraTensors: inst.extraTensors.map((c) => ({ ...c, delta: c.delta + excess })) };
}

/**
 * Annealed Langevin from `x0` (on the sphere |x|² = N).
 * @example
 * const inst = sampleInstance({ n: 60, p: 3, delta2: 0.25, deltap: 1, seed: 1 });
 * const x0 = pointAtOverlap(inst.signal, 0.1, Rng.fromSeed(2));
 * const run = runAnnealedLangevin(inst, x0, { tmax: 5, dt: 0.01, anneal: { c: 4, tau: 2 }, rng: Rng.fromSeed(3) });
 * run.observations.at(-1)!.deltapEff; // 1 + 4 e^{−5/2}
 */
export function runAnnealedLangevin(
  inst: Instance,
  x0: Float64Array,
  o: AnnealedLangevinOptions,
): AnnealedLangevinResult {
  const n = inst.n;
  validateAnnealProtocol(o.anneal);
  if (x0.length !== n) throw new RangeError(`x0 has length ${x0.length}, the instance has n = ${n}`);
  if (!(Math.abs(dot(x0, x0) - n) <= 1e-8 * n)) throw new RangeError('x0 must lie on the sphere |x|² = N');
  if (!(o.tmax > 0) || !Number.isFinite(o.tmax))
    throw new RangeError(`tmax must be finite and > 0, got ${o.tmax}`);
  if (!(o.dt > 0) || !Number.isFinite(o.dt)) throw new RangeError(`dt must be finite and > 0, got ${o.dt}`);
  const T = o.temperature ?? 1;
  if (!(T >= 0) || !Number.isFinite(T)) throw new RangeError(`temperature must be finite and ≥ 0, got ${T}`);
  const dt = o.dt;
  const steps = observationSteps(
    observationTimes(o.tmax, o.schedule ?? { spacing: 'linear', count: 100 }),
    dt,
  );
  const x = Float64Array.from(x0);
  const grad = new Float64Array(n);
  const noise = Math.sqrt(2 * T * dt);
  const observations: AnnealedObservation[] = [];
  const observe = (t: number): boolean => {
    const at = annealedInstance(inst, o.anneal, t);
    const h = gradient(at, x, grad);
    const c = dot(x, grad) / n;
    const m = dot(x, inst.signal) / n;
    observations.push({
      t,
      m,
      energy: h / n,
      energyPlain: (o.anneal.c === 0 ? h : gradient(inst, x, grad)) / n,
      mu: (T * (n - 1)) / n - c,
      deltapEff: at.deltap,
    });
    return o.stopAtOverlap !== undefined && m >= o.stopAtOverlap;
  };
  let step = 0;
  let stopped = false;
  let reached = observe(0);
  for (let next = steps[0] === 0 ? 1 : 0; next < steps.length && !reached && !stopped; next++) {
    while (step < steps[next]) {
      // THEORY §2's Euler–Maruyama on H_{t_k}, operation for operation as runDescent's Langevin.
      gradient(annealedInstance(inst, o.anneal, step * dt), x, grad);
      const mu = (T * (n - 1)) / n - dot(x, grad) / n;
      for (let i = 0; i < n; i++)
        x[i] += dt * (-grad[i] - mu * x[i]) + (noise > 0 ? noise * o.rng.normal() : 0);
      projectToSphere(x);
      step++;
      if (o.shouldStop?.()) {
        stopped = true;
        break;
      }
    }
    reached = observe(step * dt);
  }
  return { observations, x, stopped, reached };
}
