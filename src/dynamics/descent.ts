/**
 * Descent dynamics on the sphere |x|² = N (THEORY §2): gradient flow (adaptive
 * embedded Runge–Kutta with projection), gradient descent with step η, and Langevin
 * dynamics at temperature T (Euler–Maruyama with projection). One driver records the
 * observables m, e = H/N, μ, |grad| and, on demand, the Hessian probe of
 * `hessianProbe.ts` at chosen times.
 */

import { runInSlices, runToEnd } from '../numerics/timeSlice.ts';
import { Rng } from '../random/index.ts';
import { captureIntegrator, type DescentCheckpoint, restoreIntegrator } from './checkpoint.ts';
import { type HessianProbeOptions, probeHessian } from './hessianProbe.ts';
import type { DescentMethod, Observation } from './observation.ts';
import { AdaptiveSphereIntegrator, type EmbeddedTableau, type IntegratorStats } from './rungeKutta.ts';
import { type ObservationSchedule, observationSteps, observationTimes } from './schedule.ts';
import { dot, projectToSphere, type SphereObjective } from './sphere.ts';

export type { DescentMethod, Observation } from './observation.ts';

/** Options of {@link runDescent}. */
export interface DescentOptions {
  readonly method: DescentMethod;
  /** Final time (> 0). gd and langevin run `round(tmax/dt)` steps. */
  readonly tmax: number;
  /**
   * gd: the step η; langevin: the Euler–Maruyama step; gf: the largest step the
   * adaptive integrator may take (Infinity for no limit).
   */
  readonly dt: number;
  /** Langevin temperature T ≥ 0 (ignored by gf and gd; default 1 for langevin). */
  readonly temperature?: number;
  /** gf: relative tolerance (default 1e-6). */
  readonly rtol?: number;
  /** gf: absolute tolerance per coordinate (default 1e-8). */
  readonly atol?: number;
  /** gf: embedded Runge–Kutta pair (default Dormand–Prince 5(4)). */
  readonly tableau?: EmbeddedTableau;
  /** Observation times (default: 100 linearly spaced). gf lands on them exactly; gd/langevin round to steps. */
  readonly schedule?: ObservationSchedule;
  /** Signal x* for the overlap m and the Hessian probe's signal direction. */
  readonly signal?: Float64Array;
  /**
   * Hessian probe every K-th observation (K ≥ 1) and at the end; 0: only at the
   * end; undefined: never.
   */
  readonly hessianEvery?: number;
  readonly hessianProbe?: HessianProbeOptions;
  /**
   * End the run at the first observation where gradNorm (|g|/√N) is below this value
   * (default 0: run to tmax). That observation is then the last one, and is probed
   * when `hessianEvery` is set. Meant for gf/gd (Langevin's gradient never vanishes).
   */
  readonly gradientTolerance?: number;
  /** Noise source of langevin (required for it). */
  readonly rng?: Rng;
  /** Called with the current time after every observation and about every 1% of tmax. */
  readonly onProgress?: (t: number, tmax: number) => void;
  /** Called with every observation as soon as it is recorded (e.g. to stream a run to a plot). */
  readonly onObservation?: (observation: Observation) => void;
  /** Polled after every step; returning true ends the run early (no Hessian probe at the stop). */
  readonly shouldStop?: () => boolean;
  /** A state given to `onCheckpoint` by a run with the same objective, x0 and options: continue from it. */
  readonly resume?: DescentCheckpoint;
  /** Polled after every step and observation (default: always); when true, `onCheckpoint` is called. */
  readonly checkpointDue?: () => boolean;
  /** The run's state at a step boundary (views of live arrays: encode it before returning). */
  readonly onCheckpoint?: (state: DescentCheckpoint) => void;
}

/** Outcome of {@link runDescent}. */
export interface DescentResult {
  readonly observations: Observation[];
  /** Final configuration. */
  readonly x: Float64Array;
  /** True when `shouldStop` ended the run before tmax. */
  readonly stopped: boolean;
  /** True when the run ended early because gradNorm fell below `gradientTolerance`. */
  readonly converged: boolean;
  /** Steps taken and gradient evaluations (gf also counts rejected steps). */
  readonly stats: IntegratorStats;
}

/**
 * Run a descent method from `x0` (which must lie on the sphere |x|² = N).
 * Synchronous; see {@link runDescentAsync} for a version that lets the event loop run
 * between observations (signal handlers, UI messages).
 * @example
 * // H = ½ Σ a_i x_i²: gradient flow relaxes to the smallest a_i direction
 * const a = Float64Array.of(1, 2, 3);
 * const objective = {
 *   n: 3,
 *   gradient: (x: Float64Array, g: Float64Array) => { let h = 0; for (let i = 0; i < 3; i++) { g[i] = a[i] * x[i]; h += 0.5 * a[i] * x[i] * x[i]; } return h; },
 *   hessianVectorProduct: (_x: Float64Array, v: Float64Array, out: Float64Array) => { for (let i = 0; i < 3; i++) out[i] = a[i] * v[i]; },
 * };
 * const run = runDescent(objective, Float64Array.of(1, 1, 1), { method: 'gf', tmax: 20, dt: Infinity });
 * run.observations.at(-1)!.energy; // → 0.5 (x → ±√3 e_1)
 */
export function runDescent(
  objective: SphereObjective,
  x0: Float64Array,
  options: DescentOptions,
): DescentResult {
  return runToEnd(descentGenerator(objective, x0, options));
}

/**
 * {@link runDescent} that returns to the event loop (a zero-delay timer) about every
 * `yieldEveryMs` of work (checked after every gf step, every gd/langevin step and every
 * observation), so that a `shouldStop` flag set by a signal handler or a message can take
 * effect within that time. Same arithmetic, same result.
 * @example
 * let cancel = false;
 * const run = await runDescentAsync(objective, x0, { method: 'gf', tmax: 1e4, dt: 1, shouldStop: () => cancel });
 */
export async function runDescentAsync(
  objective: SphereObjective,
  x0: Float64Array,
  options: DescentOptions,
  yieldEveryMs = 50,
): Promise<DescentResult> {
  return runInSlices(descentGenerator(objective, x0, options), yieldEveryMs);
}

/** The run as a generator that yields after every observation and between steps. */
function* descentGenerator(
  objective: SphereObjective,
  x0: Float64Array,
  options: DescentOptions,
): Generator<void, DescentResult> {
  const n = objective.n;
  validate(objective, x0, options);
  const temperature = options.method === 'langevin' ? (options.temperature ?? 1) : 0;
  const times = observationTimes(options.tmax, options.schedule ?? { spacing: 'linear', count: 100 });
  const grad = new Float64Array(n);
  const observations: Observation[] = options.resume ? [...options.resume.observations] : [];
  const probeEvery = options.hessianEvery;

  const gradientTolerance = options.gradientTolerance ?? 0;
  /**
   * Record the observables at x (one extra gradient evaluation, cheap next to a run);
   * returns true when the run has converged (gradNorm < gradientTolerance).
   */
  const observe = (t: number, x: Float64Array, probe: boolean): boolean => {
    const h = objective.gradient(x, grad);
    const xg = dot(x, grad);
    const c = xg / n;
    let g2 = 0;
    for (let i = 0; i < n; i++) {
      const gi = grad[i] - c * x[i];
      g2 += gi * gi;
    }
    const muLandscape = -c;
    const gradNorm = Math.sqrt(g2 / n);
    const converged = gradNorm < gradientTolerance;
    // A converged run ends here: probe it like the last observation.
    if (converged && probeEvery !== undefined) probe = true;
    let lambdaMin = Number.NaN;
    let lambdaMinOverlap = Number.NaN;
    if (probe) {
      const r = probeHessian(objective, x, muLandscape, options.signal, options.hessianProbe);
      lambdaMin = r.lambdaMin;
      lambdaMinOverlap = r.signalOverlap;
    }
    const observation: Observation = {
      t,
      m: options.signal ? dot(x, options.signal) / n : Number.NaN,
      energy: h / n,
      mu: (temperature * (n - 1)) / n + muLandscape,
      gradNorm,
      lambdaMin,
      lambdaMinOverlap,
    };
    observations.push(observation);
    options.onObservation?.(observation);
    return converged;
  };
  /** Probe at observation j (of `last`+1): every K-th, and always the last. */
  const probeAt = (j: number, last: number): boolean =>
    probeEvery !== undefined && (j === last || (probeEvery > 0 && j % probeEvery === 0));

  const progress = makeProgress(options);
  const save: Save = (state) => {
    if (options.onCheckpoint && (options.checkpointDue?.() ?? true))
      options.onCheckpoint({ method: options.method, observations, ...state() });
  };
  const run =
    options.method === 'gf'
      ? yield* runFlow(objective, x0, options, times, observe, probeAt, progress, save)
      : yield* runFixedStep(objective, x0, options, temperature, times, observe, probeAt, progress, save);
  return { observations, ...run };
}

type RunOutcome = Omit<DescentResult, 'observations'>;

type Observe = (t: number, x: Float64Array, probe: boolean) => boolean;
type ProbeAt = (j: number, last: number) => boolean;
type Save = (state: () => Omit<DescentCheckpoint, 'method' | 'observations'>) => void;

function* runFlow(
  objective: SphereObjective,
  x0: Float64Array,
  options: DescentOptions,
  times: Float64Array,
  observe: Observe,
  probeAt: ProbeAt,
  progress: (t: number, force: boolean) => void,
  save: Save,
): Generator<void, RunOutcome> {
  const n = objective.n;
  // THEORY §2: dx/dt = −∇H − μx with μ = −x·∇H/N, i.e. minus the Riemannian gradient.
  const rhs = (x: Float64Array, out: Float64Array): void => {
    objective.gradient(x, out);
    const c = dot(x, out) / n;
    for (let i = 0; i < n; i++) out[i] = c * x[i] - out[i];
  };
  const integrator = new AdaptiveSphereIntegrator(rhs, x0, {
    rtol: options.rtol,
    atol: options.atol,
    maxStep: options.dt,
    tableau: options.tableau,
  });
  const last = times.length - 1;
  let stopped = false;
  const resume = options.resume;
  if (resume) restoreIntegrator(integrator, resume.integrator);
  const state = (next: number) => () => ({
    t: integrator.t,
    next,
    integrator: captureIntegrator(integrator),
  });
  let converged = resume ? false : observe(0, integrator.x, probeAt(0, last));
  for (let j = resume?.next ?? 1; j <= last && !converged; j++) {
    // Pause after every step (the caller may return to the event loop), resume where it was:
    // the integrator keeps its state, so the arithmetic is that of one uninterrupted call.
    for (;;) {
      const done = integrator.advanceTo(times[j], () => {
        progress(integrator.t, false);
        stopped = options.shouldStop?.() ?? false;
        return true;
      });
      if (done || stopped) break;
      save(state(j));
      yield;
    }
    if (stopped) {
      observe(integrator.t, integrator.x, false);
      break;
    }
    converged = observe(times[j], integrator.x, probeAt(j, last));
    progress(times[j], true);
    if (!converged) save(state(j + 1));
    yield;
  }
  return { x: Float64Array.from(integrator.x), stopped, converged, stats: { ...integrator.stats } };
}

function* runFixedStep(
  objective: SphereObjective,
  x0: Float64Array,
  options: DescentOptions,
  temperature: number,
  times: Float64Array,
  observe: Observe,
  probeAt: ProbeAt,
  progress: (t: number, force: boolean) => void,
  save: Save,
): Generator<void, RunOutcome> {
  const n = objective.n;
  const dt = options.dt;
  const steps = observationSteps(times, dt);
  const last = steps.length - 1;
  const resume = options.resume;
  const x = Float64Array.from(resume?.x ?? x0);
  const grad = new Float64Array(n);
  const langevin = options.method === 'langevin';
  const noise = langevin ? Math.sqrt(2 * temperature * dt) : 0;
  const rng = resume?.rng ? Rng.fromState(resume.rng) : options.rng;
  if (langevin && temperature > 0 && !rng) throw new RangeError('langevin needs an rng for its noise');
  const stats: IntegratorStats = { accepted: 0, rejected: 0, evaluations: 0, ...resume?.stats };
  let stopped = false;
  let step = resume?.step ?? 0;
  let converged = resume ? false : observe(0, x, probeAt(0, last));
  let next = resume ? resume.next : steps[0] === 0 ? 1 : 0;
  const state = () => ({ t: step * dt, next, step, x, stats, rng: rng?.getState() ?? null });
  while (next <= last && !converged) {
    const target = steps[next];
    while (step < target) {
      objective.gradient(x, grad);
      stats.evaluations++;
      const c = dot(x, grad) / n;
      if (langevin) {
        // Euler–Maruyama (THEORY §2): dx = (−∇H − μx) dt + √(2T) dW, μ = T(N−1)/N − x·∇H/N.
        const mu = (temperature * (n - 1)) / n - c;
        for (let i = 0; i < n; i++)
          x[i] += dt * (-grad[i] - mu * x[i]) + (noise > 0 ? noise * rng!.normal() : 0);
      } else {
        // x ← √N (x − η g)/|x − η g| with g the Riemannian gradient ∇H − (x·∇H/N) x.
        for (let i = 0; i < n; i++) x[i] -= dt * (grad[i] - c * x[i]);
      }
      projectToSphere(x);
      step++;
      stats.accepted++;
      progress(step * dt, false);
      if (options.shouldStop?.()) {
        stopped = true;
        break;
      }
      save(state);
      yield;
    }
    if (stopped) {
      observe(step * dt, x, false);
      break;
    }
    converged = observe(target * dt, x, probeAt(next, last));
    progress(target * dt, true);
    next++;
    if (!converged) save(state);
    yield;
  }
  return { x, stopped, converged, stats };
}

/** Throttle progress reports to every observation and about every 1% of tmax. */
function makeProgress(options: DescentOptions): (t: number, force: boolean) => void {
  const cb = options.onProgress;
  if (!cb) return () => {};
  const tmax = options.tmax;
  let nextReport = 0;
  return (t, force) => {
    if (force || t >= nextReport) {
      cb(t, tmax);
      nextReport = t + tmax / 100;
    }
  };
}

function validate(objective: SphereObjective, x0: Float64Array, o: DescentOptions): void {
  const n = objective.n;
  if (x0.length !== n) throw new RangeError(`x0 has length ${x0.length}, the objective has n = ${n}`);
  const r2 = dot(x0, x0);
  if (!(Math.abs(r2 - n) <= 1e-8 * n)) throw new RangeError(`x0 must lie on the sphere |x|² = N (got ${r2})`);
  if (o.method !== 'gf' && o.method !== 'gd' && o.method !== 'langevin')
    throw new RangeError(`method must be gf, gd or langevin, got ${String(o.method)}`);
  if (!(o.tmax > 0) || !Number.isFinite(o.tmax))
    throw new RangeError(`tmax must be finite and > 0, got ${o.tmax}`);
  if (!(o.dt > 0)) throw new RangeError(`dt must be > 0, got ${o.dt}`);
  if (o.method !== 'gf' && !Number.isFinite(o.dt))
    throw new RangeError('dt must be finite for gd and langevin');
  if (o.method !== 'gf' && o.tmax / o.dt > 1e9) throw new RangeError('tmax/dt exceeds 10⁹ steps');
  if (o.method === 'langevin') {
    const T = o.temperature ?? 1;
    if (!(T >= 0) || !Number.isFinite(T))
      throw new RangeError(`temperature must be finite and ≥ 0, got ${T}`);
  }
  if (o.hessianEvery !== undefined && (!Number.isInteger(o.hessianEvery) || o.hessianEvery < 0))
    throw new RangeError(`hessianEvery must be an integer ≥ 0, got ${o.hessianEvery}`);
  if (o.gradientTolerance !== undefined && !(o.gradientTolerance >= 0))
    throw new RangeError(`gradientTolerance must be ≥ 0, got ${o.gradientTolerance}`);
  if (o.signal && o.signal.length !== n) throw new RangeError('signal length differs from n');
}
