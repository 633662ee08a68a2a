import { describe, expect, it } from 'vitest';
import { solveFixedGrid } from '../dmft/fixedGrid.ts';
import { energy, pointAtOverlap, sampleInstance, sphereObjective, spikedCovariance } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { annealedInstance, runAnnealedLangevin, runAnnealedLangevinAsync } from './annealedLangevin.ts';
import type { DescentCheckpoint } from './checkpoint.ts';
import { type Observation, runDescent } from './descent.ts';

// Finite-N Langevin under the annealing protocol (issue 15), against plain Langevin (C = 0, bit for
// bit) and against the large-N annealed fixed grid of src/dmft/anneal.ts (independent: a finite-N
// simulation against the DMFT).

describe('annealed Langevin at finite N', () => {
  it('anneals every tensor channel with its own factor Δk/(Δk + C e^{−t/τ}), the matrix channel not at all', () => {
    // Independent of annealedInstance's code: H is linear in each channel's prefactor 1/Δk
    // (THEORY §1), so the channel parts of H are read off by switching channels off one at a time.
    const inst = sampleInstance({
      n: 14,
      p: 3,
      delta2: 0.5,
      deltap: 2,
      extraTensors: [{ order: 4, delta: 3 }],
      seed: 8,
    });
    const x = pointAtOverlap(inst.signal, 0.3, Rng.fromSeed(9));
    const eMatrix = energy({ ...inst, deltap: Number.POSITIVE_INFINITY, tensor: null, extraTensors: [] }, x);
    const e3 = energy({ ...inst, extraTensors: [] }, x) - eMatrix;
    const e4 = energy(inst, x) - eMatrix - e3;
    const anneal = { c: 5, tau: 2 };
    const t = 1.5;
    const excess = 5 * Math.exp(-t / 2);
    const expected = eMatrix + (2 / (2 + excess)) * e3 + (3 / (3 + excess)) * e4;
    // Rounding only: a few sums of O(N) terms of size O(1).
    expect(energy(annealedInstance(inst, anneal, t), x)).toBeCloseTo(expected, 12);
  });

  it('C = 0 is runDescent’s Langevin bit for bit (same seed, same noise draws, same Hessian probes)', async () => {
    const inst = sampleInstance({ n: 40, p: 3, delta2: 0.5, deltap: 1, seed: 3 });
    const x0 = pointAtOverlap(inst.signal, 0.1, Rng.fromSeed(4));
    const schedule = { spacing: 'log', count: 7, tmin: 0.05 } as const;
    const common = { tmax: 2, dt: 0.01, temperature: 0.7, schedule, hessianEvery: 3 };
    const a = await runAnnealedLangevinAsync(inst, x0, {
      ...common,
      anneal: { c: 0, tau: 3 },
      rng: Rng.fromSeed(5),
    });
    const b = runDescent(sphereObjective(inst), x0, {
      ...common,
      method: 'langevin',
      rng: Rng.fromSeed(5),
      signal: inst.signal,
    });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    const row = (o: Observation) => [o.t, o.m, o.energy, o.mu, o.gradNorm, o.lambdaMin, o.lambdaMinOverlap];
    expect(a.observations.map(row)).toEqual(b.observations.map(row));
    // 8 observations (t = 0 and 7 more), probed at 0, 3, 6 and the last (7): the same pattern as runDescent.
    expect(a.observations.map((o) => Number.isNaN(o.lambdaMin))).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7].map((k) => !(k % 3 === 0 || k === 7)),
    );
    expect(a.stats).toEqual(b.stats);
    expect(a.observations.every((o) => o.energyPlain === o.energy && o.deltapEff === 1)).toBe(true);
  });

  it('C > 0: e_plain is the true loss, Δp_eff relaxes, the run stops at the level and on request', () => {
    const inst = sampleInstance({ n: 30, p: 3, delta2: 0.3, deltap: 1, seed: 2 });
    const x0 = pointAtOverlap(inst.signal, 0.5, Rng.fromSeed(1));
    const anneal = { c: 5, tau: 0.5 };
    const run = runAnnealedLangevin(inst, x0, { tmax: 1, dt: 0.01, anneal, rng: Rng.fromSeed(2) });
    for (const o of run.observations.filter((_, k) => k % 25 === 0)) {
      expect(o.deltapEff).toBe(1 + 5 * Math.exp(-o.t / 0.5));
    }
    // The last observation is at the final x: e_plain = H(x)/N, e = H_t(x)/N (rounding only).
    const last = run.observations.at(-1)!;
    expect(last.energyPlain).toBeCloseTo(energy(inst, run.x) / 30, 12);
    expect(last.energy).toBeCloseTo(energy(annealedInstance(inst, anneal, last.t), run.x) / 30, 12);
    const high = runAnnealedLangevin(inst, x0, {
      tmax: 5,
      dt: 0.01,
      anneal,
      rng: Rng.fromSeed(2),
      stopAtOverlap: 0.7,
    });
    expect(high.reached).toBe(true);
    expect(high.observations.at(-1)!.m).toBeGreaterThanOrEqual(0.7);
    let calls = 0;
    const stopped = runAnnealedLangevin(inst, x0, {
      tmax: 5,
      dt: 0.01,
      anneal,
      rng: Rng.fromSeed(2),
      shouldStop: () => ++calls >= 7,
    });
    expect(stopped.stopped).toBe(true);
    expect(stopped.stats.accepted).toBe(7);
  });

  it('the loss at t weights the tensor term by 1/Δp_eff(t) on the same data', () => {
    const inst = sampleInstance({ n: 20, p: 3, delta2: 0.5, deltap: 2, seed: 1 });
    const x = pointAtOverlap(inst.signal, 0.4, Rng.fromSeed(2));
    const matrixOnly = energy({ ...inst, tensor: null, deltap: Number.POSITIVE_INFINITY }, x);
    const tensorPart = energy(inst, x) - matrixOnly;
    const at = annealedInstance(inst, { c: 3, tau: 2 }, 1);
    const deltapEff = 2 + 3 * Math.exp(-0.5);
    expect(at.deltap).toBe(deltapEff);
    // H_t = H_matrix + (Δp/Δp_eff) H_tensor: rounding only.
    expect(energy(at, x)).toBeCloseTo(matrixOnly + (2 / deltapEff) * tensorPart, 12);
  });

  /** Measured finite-N bias [value, standard error] at N = 100, t = 1.5 and 3 (see below). */
  const BIAS_N100 = {
    energy: [
      [0.1, 0.02],
      [0.135, 0.023],
    ],
    mu: [
      [-0.256, 0.045],
      [-0.365, 0.055],
    ],
  } as const;

  it('the mean over seeds at N = 100 follows the large-N annealed curve, not the plain one', () => {
    // p = 3, Δ2 = Δp = 0.25, T = 1, m0 = 0.3, C = 1, τ = 1 (tensor seen at Δp_eff = 1.25 → 0.25).
    const [p, delta2, deltap, m0, tmax, dt] = [3, 0.25, 0.25, 0.3, 3, 0.01];
    const anneal = { c: 1, tau: 1 };
    const seeds = [1, 2, 3, 4, 5, 6];
    const runs = seeds.map((s) => {
      const inst = sampleInstance({ n: 100, p, delta2, deltap, seed: s });
      const x0 = pointAtOverlap(inst.signal, m0, Rng.fromSeed(100 + s));
      const rng = Rng.fromSeed(200 + s);
      return runAnnealedLangevin(inst, x0, {
        tmax,
        dt,
        anneal,
        rng,
        schedule: { spacing: 'linear', count: 2 },
      });
    });
    const covariance = spikedCovariance({ p, delta2, deltap });
    // The large-N limit of the same Euler map (euler, h = dt), annealed and plain.
    const base = {
      covariance,
      temperature: 1,
      m0,
      tmax,
      grid: { kind: 'fixed', h: dt, scheme: 'euler' },
    } as const;
    const annealed = solveFixedGrid({ ...base, anneal });
    const plain = solveFixedGrid(base);
    for (const [k, t] of [
      [1, 1.5],
      [2, 3],
    ] as const) {
      const i = Math.round(t / dt);
      for (const key of ['energy', 'mu'] as const) {
        const v = runs.map((r) => r.observations[k][key]);
        const mean = v.reduce((a, b) => a + b) / v.length;
        const se = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) / v.length);
        // The finite-N bias at N = 100, measured on 60 other instances (seeds 7–36, each
        // sampler; x0 and noise seeded as here): mean − large N = e +0.100 ± 0.020 (t = 1.5),
        // +0.135 ± 0.023 (t = 3); μ −0.256 ± 0.045, −0.365 ± 0.055 (O(1/N)-like, e above and
        // μ below the limit). The 6-seed mean must match large N + bias within 4 standard
        // errors of both. (Formerly 4 standard errors around large N alone, with the bias
        // inside them: the polar instances of seeds 1–6 sat at 1.6–1.9, the ziggurat ones
        // at 4.0.) The plain curve (e = −3.33, μ = 9.0) is 5–15 standard errors away.
        const [bias, biasSe] = BIAS_N100[key][k - 1];
        expect(Math.abs(mean - annealed[key][i] - bias)).toBeLessThan(4 * Math.hypot(se, biasSe));
        expect(Math.abs(mean - plain[key][i])).toBeGreaterThan(4 * se);
      }
    }
  }, 30_000);

  it('resumes from any checkpoint bit for bit (the state after a step, after an observation)', () => {
    const inst = sampleInstance({ n: 25, p: 3, delta2: 0.5, deltap: 1, seed: 6 });
    const x0 = pointAtOverlap(inst.signal, 0.3, Rng.fromSeed(7));
    const options = {
      tmax: 1,
      dt: 0.01,
      anneal: { c: 3, tau: 0.4 },
      schedule: { spacing: 'linear', count: 10 } as const,
      hessianEvery: 4,
    };
    const whole = runAnnealedLangevin(inst, x0, { ...options, rng: Rng.fromSeed(8) });
    for (const at of [1, 10, 11, 57]) {
      // Keep a deep copy of the at-th state (the runner hands out views of live arrays).
      let saved: DescentCheckpoint | undefined;
      let calls = 0;
      runAnnealedLangevin(inst, x0, {
        ...options,
        rng: Rng.fromSeed(8),
        onCheckpoint: (state) => {
          if (++calls === at) saved = structuredClone(state);
        },
      });
      const resumed = runAnnealedLangevin(inst, x0, { ...options, rng: Rng.fromSeed(99), resume: saved! });
      expect(Array.from(resumed.x)).toEqual(Array.from(whole.x));
      expect(resumed.observations).toEqual(whole.observations);
      expect(resumed.stats).toEqual(whole.stats);
    }
  });
});
