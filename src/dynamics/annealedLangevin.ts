/**
 * Langevin dynamics at finite N under the annealing protocol (issue 15; the large-N side is
 * `src/dmft/anneal.ts`): the loss at time t is the loss of THEORY §1 with the tensor channel seen
 * with noise Δp_eff(t) = Δp + C e^{−t/τ}, i.e. the tensor term weighted by 1/Δp_eff(t) while the
 * data keep their true noise Δp, and the step is THEORY §2's Euler–Maruyama with projection:
 *
 *   x ← P_sphere( x + dt (−∇H_{t_k}(x) − μ x) + √(2T dt) ξ ),   μ = T(N−1)/N − x·∇H_{t_k}(x)/N,
 *
 * the protocol evaluated at the start of the step t_k = k dt (as the published large-N program
 * does). The observables are those of `runDescent` (m, e, μ, |grad|, the Hessian probe), all of the
 * annealed loss H_t being descended, plus e_plain = H(x)/N with the true Δp and Δp_eff(t). With
 * C = 0 every number, the noise draws and the Hessian probes included, is that of `runDescent`'s
 * Langevin with the same options.
 */
import { type AnnealProtocol, annealExcess, validateAnnealProtocol } from '../dmft/anneal.ts';
import { gradient, type Instance, sphereObjective } from '../model/index.ts';
import { runInSlices, runToEnd } from '../numerics/timeSlice.ts';
import { Rng } from '../random/index.ts';
import type { DescentCheckpoint } from './checkpoint.ts';
import type { Observation } from './descent.ts';
import { type HessianProbeOptions, probeHessian } from './hessianProbe.ts';
import type { IntegratorStats } from './rungeKutta.ts';
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
  /** Hessian probe of H_t every K-th observation and at the end; 0: only at the end; undefined: never. */
  readonly hessianEvery?: number;
  readonly hessianProbe?: HessianProbeOptions;
  /** End the run at the first observation with |grad H_t|/√N below this value (default 0: never). */
  readonly gradientTolerance?: number;
  /** End the run at the first observation with m ≥ this level (escape times). */
  readonly stopAtOverlap?: number;
  /** Polled after every step; true ends the run (the current state is recorded, not probed). */
  readonly shouldStop?: () => boolean;
  /** Called with the current time after every observation and about every 1 % of tmax. */
  readonly onProgress?: (t: number, tmax: number) => void;
  /** A state given to `onCheckpoint` by a run with the same instance, x0 and options: continue from it. */
  readonly resume?: DescentCheckpoint;
  /** Polled after every step and observation (default: always); when true, `onCheckpoint` is called. */
  readonly checkpointDue?: () => boolean;
  /**
   * The run's state at a step boundary, as `runDescent`'s Langevin gives it (views of live arrays:
   * encode it before returning); resumed, the run ends bit for bit as the uninterrupted one.
   */
  readonly onCheckpoint?: (state: DescentCheckpoint) => void;
}

/** One row of an annealed run: `runDescent`'s observables of H_t, and two more. */
export interface AnnealedObservation extends Observation {
  /** H(x)/N with the true Δp (`energy` is H_t(x)/N, the annealed loss being descended at t). */
  readonly energyPlain: number;
  /** Δp_eff(t). */
  readonly deltapEff: number;
}

export interface AnnealedLangevinResult {
  readonly observations: AnnealedObservation[];
  readonly x: Float64Array;
  readonly stopped: boolean;
  /** True when the run ended early because |grad|/√N fell below `gradientTolerance`. */
  readonly converged: boolean;
  /** True when the run ended at `stopAtOverlap`. */
  readonly reached: boolean;
  /** Steps taken and gradient evaluations of the steps (as `runDescent` counts them). */
  readonly stats: IntegratorStats;
}

/**
 * The instance seen through the protocol at time t (same data; every tensor channel's prefactor
 * 1/Δk_eff(t) with Δk_eff = Δk + C e^{−t/τ}, as the large-N side anneals every order ≥ 3).
 */
export function annealedInstance(inst: Instance, anneal: AnnealProtocol, t: number): Instance {
  const excess = anneal.c * annealExcess(anneal, t);
  const extra = inst.extraTensors;
  return {
    ...inst,
    deltap: inst.deltap + excess,
    ...(extra === undefined ? {} : { extraTensors: extra.map((c) => ({ ...c, delta: c.delta + excess })) }),
  };
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
  return runToEnd(annealedSteps(inst, x0, o));
}

/**
 * {@link runAnnealedLangevin} that returns to the event loop about every `yieldEveryMs` of work
 * (so that a signal handler's `shouldStop` takes effect). Same arithmetic, same result.
 */
export async function runAnnealedLangevinAsync(
  inst: Instance,
  x0: Float64Array,
  o: AnnealedLangevinOptions,
  yieldEveryMs = 50,
): Promise<AnnealedLangevinResult> {
  return runInSlices(annealedSteps(inst, x0, o), yieldEveryMs);
}

function validate(inst: Instance, x0: Float64Array, o: AnnealedLangevinOptions): number {
  const n = inst.n;
  validateAnnealProtocol(o.anneal);
  if (x0.length !== n) throw new RangeError(`x0 has length ${x0.length}, the instance has n = ${n}`);
  if (!(Math.abs(dot(x0, x0) - n) <= 1e-8 * n)) throw new RangeError('x0 must lie on the sphere |x|² = N');
  if (!(o.tmax > 0) || !Number.isFinite(o.tmax))
    throw new RangeError(`tmax must be finite and > 0, got ${o.tmax}`);
  if (!(o.dt > 0) || !Number.isFinite(o.dt)) throw new RangeError(`dt must be finite and > 0, got ${o.dt}`);
  if (o.hessianEvery !== undefined && (!Number.isInteger(o.hessianEvery) || o.hessianEvery < 0))
    throw new RangeError(`hessianEvery must be an integer ≥ 0, got ${o.hessianEvery}`);
  const T = o.temperature ?? 1;
  if (!(T >= 0) || !Number.isFinite(T)) throw new RangeError(`temperature must be finite and ≥ 0, got ${T}`);
  return T;
}

/** The run as a generator that yields after every step (see `runDescent`'s fixed-step loop). */
function* annealedSteps(
  inst: Instance,
  x0: Float64Array,
  o: AnnealedLangevinOptions,
): Generator<void, AnnealedLangevinResult> {
  const T = validate(inst, x0, o);
  const n = inst.n;
  const dt = o.dt;
  const steps = observationSteps(
    observationTimes(o.tmax, o.schedule ?? { spacing: 'linear', count: 100 }),
    dt,
  );
  const last = steps.length - 1;
  const resume = o.resume;
  const x = Float64Array.from(resume?.x ?? x0);
  const grad = new Float64Array(n);
  const noise = Math.sqrt(2 * T * dt);
  const rng = resume?.rng ? Rng.fromState(resume.rng) : o.rng;
  const observations = (resume ? [...resume.observations] : []) as AnnealedObservation[];
  const gtol = o.gradientTolerance ?? 0;
  let reached = false;
  /** Record the observables at t; true when the run ends here (converged or reached). */
  const observe = (t: number, probe: boolean): boolean => {
    const at = annealedInstance(inst, o.anneal, t);
    const h = gradient(at, x, grad);
    const c = dot(x, grad) / n;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const gi = grad[i] - c * x[i];
      g2 += gi * gi;
    }
    const gradNorm = Math.sqrt(g2 / n);
    const converged = gradNorm < gtol;
    const m = dot(x, inst.signal) / n;
    reached = o.stopAtOverlap !== undefined && m >= o.stopAtOverlap;
    let lambdaMin = Number.NaN;
    let lambdaMinOverlap = Number.NaN;
    if (probe || ((converged || reached) && o.hessianEvery !== undefined)) {
      const r = probeHessian(sphereObjective(at), x, -c, inst.signal, o.hessianProbe);
      lambdaMin = r.lambdaMin;
      lambdaMinOverlap = r.signalOverlap;
    }
    observations.push({
      t,
      m,
      energy: h / n,
      mu: (T * (n - 1)) / n - c,
      gradNorm,
      lambdaMin,
      lambdaMinOverlap,
      energyPlain: o.anneal.c === 0 ? h / n : gradient(inst, x, grad) / n,
      deltapEff: at.deltap,
    });
    return converged || reached;
  };
  const probeAt = (j: number): boolean =>
    o.hessianEvery !== undefined && (j === last || (o.hessianEvery > 0 && j % o.hessianEvery === 0));
  let nextReport = 0;
  const progress = (t: number, force: boolean): void => {
    if (o.onProgress && (force || t >= nextReport)) {
      o.onProgress(t, o.tmax);
      nextReport = t + o.tmax / 100;
    }
  };
  const stats: IntegratorStats = { accepted: 0, rejected: 0, evaluations: 0, ...resume?.stats };
  let step = resume?.step ?? 0;
  let stopped = false;
  let ended = resume ? false : observe(0, probeAt(0));
  const converged = () => ended && !reached;
  let next = resume ? resume.next : steps[0] === 0 ? 1 : 0;
  const save = () => {
    if (o.onCheckpoint && (o.checkpointDue?.() ?? true))
      o.onCheckpoint({
        method: 'langevin',
        observations,
        t: step * dt,
        next,
        step,
        x,
        stats,
        rng: rng.getState(),
      });
  };
  while (next <= last && !ended) {
    while (step < steps[next]) {
      // THEORY §2's Euler–Maruyama on H_{t_k}, operation for operation as runDescent's Langevin.
      gradient(annealedInstance(inst, o.anneal, step * dt), x, grad);
      stats.evaluations++;
      const mu = (T * (n - 1)) / n - dot(x, grad) / n;
      for (let i = 0; i < n; i++)
        x[i] += dt * (-grad[i] - mu * x[i]) + (noise > 0 ? noise * rng.normal() : 0);
      projectToSphere(x);
      step++;
      stats.accepted++;
      progress(step * dt, false);
      if (o.shouldStop?.()) {
        stopped = true;
        break;
      }
      save();
      yield;
    }
    if (stopped) {
      observe(step * dt, false);
      break;
    }
    ended = observe(steps[next] * dt, probeAt(next));
    progress(steps[next] * dt, true);
    next++;
    if (!ended) save();
    yield;
  }
  return { observations, x, stopped, converged: converged(), reached, stats };
}
