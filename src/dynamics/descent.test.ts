import { describe, expect, it } from 'vitest';
import { diagonalQuadratic, quadraticFlowExact } from '../../test/helpers/objectives.ts';
import { Rng } from '../random/index.ts';
import { type DescentOptions, type Observation, runDescent, runDescentAsync } from './descent.ts';
import { observationSteps, observationTimes } from './schedule.ts';
import { projectToSphere } from './sphere.ts';

/** A quadratic H = ½ Σ a_i x_i² with a spread spectrum, its signal √N e_0 (the minimum). */
function setup(n: number, seed: number) {
  const a = Float64Array.from({ length: n }, (_, i) => (2 * i) / (n - 1));
  const signal = new Float64Array(n);
  signal[0] = Math.sqrt(n);
  const x0 = projectToSphere(Rng.fromSeed(seed).fillNormal(new Float64Array(n)));
  // Start with a visible overlap so that m(t) is O(1) along the run.
  x0[0] = Math.abs(x0[0]) + 3;
  projectToSphere(x0);
  return { a, signal, x0, objective: diagonalQuadratic(a) };
}

describe('runDescent: gradient flow', () => {
  it('matches the closed-form projected flow at every observation time', () => {
    const { a, signal, x0, objective } = setup(30, 1);
    const run = runDescent(objective, x0, {
      method: 'gf',
      tmax: 10,
      dt: Number.POSITIVE_INFINITY,
      rtol: 1e-9,
      atol: 1e-11,
      signal,
      schedule: { spacing: 'log', count: 12, tmin: 0.01 },
    });
    const times = observationTimes(10, { spacing: 'log', count: 12, tmin: 0.01 });
    expect(run.observations.map((o) => o.t)).toEqual(Array.from(times));
    for (const o of run.observations) {
      const x = quadraticFlowExact(a, x0, o.t);
      const m = x[0] / Math.sqrt(30);
      let h = 0;
      for (let i = 0; i < 30; i++) h += 0.5 * a[i] * x[i] * x[i];
      // Tolerance 1e-9 per step on a contracting flow: global error ≲ 1e-7.
      expect(Math.abs(o.m - m)).toBeLessThan(1e-7);
      expect(Math.abs(o.energy - h / 30)).toBeLessThan(1e-7);
      // μ = −x·∇H/N = −2H/N for a quadratic form.
      expect(o.mu).toBeCloseTo(-2 * o.energy, 12);
      expect(Number.isNaN(o.lambdaMin)).toBe(true);
    }
    const end = run.observations.at(-1)!;
    // By t = 10 the flow has converged to the minimum √N e_0 (gap a_1 − a_0 = 2/29 → e^{−0.69·…}):
    // the gradient norm decays like e^{−(a_1 − a_0) t}, far from zero yet, but decreasing.
    expect(end.gradNorm).toBeLessThan(run.observations[0].gradNorm);
  });

  it('halving the tolerance changes the trajectory by less than the tolerance-driven error', () => {
    const { signal, x0, objective } = setup(40, 2);
    const base: DescentOptions = { method: 'gf', tmax: 20, dt: 1, signal, atol: 1e-9 };
    const r1 = runDescent(objective, x0, { ...base, rtol: 1e-6 });
    const r2 = runDescent(objective, x0, { ...base, rtol: 5e-7 });
    let diff = 0;
    for (let j = 0; j < r1.observations.length; j++) {
      diff = Math.max(diff, Math.abs(r1.observations[j].m - r2.observations[j].m));
    }
    // Local tolerance 1e-6 per step; a few dozen steps on a contracting flow stay within 1e-5.
    expect(diff).toBeLessThan(1e-5);
  });
});

describe('runDescent: gradient descent', () => {
  it('agrees with gradient flow at small η with an error of first order in η', () => {
    const { a, signal, x0, objective } = setup(30, 3);
    const errorFor = (eta: number): number => {
      const run = runDescent(objective, x0, {
        method: 'gd',
        tmax: 5,
        dt: eta,
        signal,
        schedule: { spacing: 'linear', count: 10 },
      });
      let err = 0;
      for (const o of run.observations) {
        const x = quadraticFlowExact(a, x0, o.t);
        err = Math.max(err, Math.abs(o.m - x[0] / Math.sqrt(30)));
      }
      return err;
    };
    const e1 = errorFor(0.01);
    const e2 = errorFor(0.005);
    // GD is the explicit Euler scheme of the flow (plus an O(η²) projection): error ∝ η.
    expect(e1).toBeLessThan(0.01);
    expect(e1 / e2).toBeGreaterThan(1.8);
    expect(e1 / e2).toBeLessThan(2.2);
  });

  it('records at the steps nearest to the requested times', () => {
    const { x0, objective } = setup(10, 4);
    const times = observationTimes(1, { spacing: 'log', count: 5, tmin: 0.01 });
    const run = runDescent(objective, x0, {
      method: 'gd',
      tmax: 1,
      dt: 0.03,
      schedule: { spacing: 'log', count: 5, tmin: 0.01 },
    });
    expect(run.observations.map((o) => o.t)).toEqual(observationSteps(times, 0.03).map((k) => k * 0.03));
    expect(run.stats.evaluations).toBe(Math.round(1 / 0.03));
  });
});

describe('runDescent: Langevin', () => {
  it('equilibrates to the spherical-model Gibbs measure of a quadratic form', () => {
    // For H = ½ Σ a_i x_i² on |x|² = N at temperature T the Gibbs measure is, for large N,
    // Gaussian with ⟨x_i²⟩ = T/(a_i + λ), λ fixed by Σ_i T/(a_i + λ) = N; then
    // e = (1/2N) Σ a_i T/(a_i + λ) and ⟨μ⟩ = T − 2e = λ. Finite-N corrections are O(1/N).
    const n = 1000;
    const T = 1;
    const a = Float64Array.from({ length: n }, (_, i) => (2 * i) / (n - 1));
    const constraint = (lambda: number): number => {
      let s = 0;
      for (const ai of a) s += T / (ai + lambda);
      return s / n - 1;
    };
    let lo = 1e-6;
    let hi = 10;
    for (let k = 0; k < 200; k++) {
      const mid = 0.5 * (lo + hi);
      if (constraint(mid) > 0) lo = mid;
      else hi = mid;
    }
    const lambda = 0.5 * (lo + hi);
    let ePredicted = 0;
    for (const ai of a) ePredicted += (0.5 * ai * T) / (ai + lambda);
    ePredicted /= n;
    const rng = Rng.fromSeed(11);
    const x0 = projectToSphere(rng.split().fillNormal(new Float64Array(n)));
    const run = runDescent(diagonalQuadratic(a), x0, {
      method: 'langevin',
      temperature: T,
      tmax: 80,
      dt: 0.005,
      rng,
      schedule: { spacing: 'linear', count: 160 },
    });
    // Discard t < 20 (relaxation time 1/λ ≈ 3) and average the rest.
    const late = run.observations.filter((o) => o.t >= 20);
    const eMean = late.reduce((s, o) => s + o.energy, 0) / late.length;
    const muMean = late.reduce((s, o) => s + o.mu, 0) / late.length;
    // Statistical error ≈ 0.02/√(60/3) ≈ 0.005 (per-sample sd of e ~ √(Σa²)/N ~ 0.02, correlation
    // time ~ 3; measured spread over seeds and dt ∈ {0.005, 0.0025}: 0.003), Euler–Maruyama bias
    // O(dt), finite N O(1/N): tolerance 0.01.
    expect(Math.abs(eMean - ePredicted)).toBeLessThan(0.01);
    // μ = T(N−1)/N − 2e exactly at every sample, so ⟨μ⟩ follows the same tolerance (×2).
    expect(Math.abs(muMean - lambda)).toBeLessThan(0.02);
  });

  it('is deterministic for a fixed seed and differs for another seed', () => {
    const { x0, objective } = setup(50, 5);
    const go = (seed: number) =>
      runDescent(objective, x0, {
        method: 'langevin',
        temperature: 0.5,
        tmax: 2,
        dt: 0.01,
        rng: Rng.fromSeed(seed),
      }).x;
    expect(go(7)).toEqual(go(7));
    expect(go(7)).not.toEqual(go(8));
  });

  it('at T = 0 is gradient descent', () => {
    const { x0, objective } = setup(20, 6);
    const o = { tmax: 1, dt: 0.01 };
    const lang = runDescent(objective, x0, { method: 'langevin', temperature: 0, ...o });
    const gd = runDescent(objective, x0, { method: 'gd', ...o });
    // Same arithmetic up to the order of floating-point operations.
    for (let i = 0; i < 20; i++) expect(lang.x[i]).toBeCloseTo(gd.x[i], 12);
  });
});

describe('runDescent: control', () => {
  it('reports progress monotonically up to tmax and stops on request', () => {
    const { x0, objective } = setup(20, 7);
    const seen: number[] = [];
    const streamed: Observation[] = [];
    const full = runDescent(objective, x0, {
      method: 'gf',
      tmax: 5,
      dt: 0.05,
      onProgress: (t) => seen.push(t),
      onObservation: (o) => streamed.push(o),
    });
    expect(full.stopped).toBe(false);
    expect(streamed).toEqual(full.observations);
    expect(seen.at(-1)).toBe(5);
    for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]);
    for (const method of ['gf', 'gd'] as const) {
      let polls = 0;
      const run = runDescent(objective, x0, { method, tmax: 5, dt: 0.05, shouldStop: () => ++polls > 10 });
      expect(run.stopped).toBe(true);
      expect(run.observations.at(-1)!.t).toBeLessThan(5);
    }
  });

  it('runDescentAsync gives the same run and lets timers fire between observations', async () => {
    const { signal, x0, objective } = setup(20, 10);
    const options: DescentOptions = { method: 'gf', tmax: 5, dt: 0.5, signal, hessianEvery: 3 };
    const sync = runDescent(objective, x0, options);
    expect(await runDescentAsync(objective, x0, options)).toEqual(sync);
    // A flag set by a timer (as a SIGINT handler or a worker message would) stops the run.
    let cancel = false;
    setTimeout(() => {
      cancel = true;
    }, 0);
    // yieldEveryMs = 0: return to the event loop at every check (the default, 50 ms of work, is
    // longer than this whole small run).
    const stopped = await runDescentAsync(objective, x0, { ...options, shouldStop: () => cancel }, 0);
    expect(stopped.stopped).toBe(true);
    expect(stopped.observations.length).toBeLessThan(sync.observations.length);
  });

  it('ends at the first observation below gradientTolerance and probes it', () => {
    const { signal, x0, objective } = setup(20, 9);
    const run = runDescent(objective, x0, {
      method: 'gf',
      tmax: 200,
      dt: 1,
      signal,
      hessianEvery: 0,
      gradientTolerance: 1e-3,
      schedule: { spacing: 'linear', count: 200 },
    });
    expect(run.converged).toBe(true);
    const end = run.observations.at(-1)!;
    expect(end.t).toBeLessThan(200);
    expect(end.gradNorm).toBeLessThan(1e-3);
    expect(run.observations.at(-2)!.gradNorm).toBeGreaterThanOrEqual(1e-3);
    // Near the minimum √N e_0 the lowest tangent eigenvalue is a_1 − a_0 = 2/19 (up to O(|g|)).
    expect(end.lambdaMin).toBeCloseTo(2 / 19, 2);
  });

  it('rejects bad options with a message naming them', () => {
    const { x0, objective } = setup(10, 8);
    expect(() => runDescent(objective, x0, { method: 'gf', tmax: 0, dt: 1 })).toThrow(/tmax/);
    expect(() => runDescent(objective, x0, { method: 'gd', tmax: 1, dt: 0 })).toThrow(/dt/);
    expect(() =>
      runDescent(objective, x0, {
        method: 'langevin',
        tmax: 1,
        dt: 0.1,
        temperature: -1,
        rng: Rng.fromSeed(1),
      }),
    ).toThrow(/temperature/);
    expect(() => runDescent(objective, x0, { method: 'sgd' as 'gd', tmax: 1, dt: 0.1 })).toThrow(/method/);
    expect(() =>
      runDescent(
        objective,
        Float64Array.from(x0, (v) => 2 * v),
        { method: 'gf', tmax: 1, dt: 1 },
      ),
    ).toThrow(/sphere/);
  });
});
