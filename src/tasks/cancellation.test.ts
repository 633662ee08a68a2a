/**
 * The cancellable (async) variants of the long library loops: the same arithmetic as their
 * synchronous versions (bit-identical results), and a stop requested from a timer — i.e. from
 * the event loop, like a signal handler — takes effect inside a long stretch without any
 * observation (gf's step loop, gd's step loop, the tensor draw, AMP iterations), within a bound.
 */
import { describe, expect, it } from 'vitest';
import { runAmp, runAmpAsync } from '../amp/index.ts';
import { runDescent, runDescentAsync } from '../dynamics/index.ts';
import { randomPointOnSphere, sampleInstance, sampleInstanceAsync, sphereObjective } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { getTask, TaskCancelledError, tasks } from './index.ts';

const inst = sampleInstance({ n: 60, p: 3, delta2: 0.5, deltap: 1, seed: 4 });
const x0 = randomPointOnSphere(60, Rng.fromSeed(4).stream(1));

/** Set a flag from a timer after `ms`; report how long after that the run noticed. */
function stopAfter(ms: number) {
  let stop = false;
  let at = Number.POSITIVE_INFINITY;
  setTimeout(() => {
    stop = true;
    at = performance.now();
  }, ms);
  return { shouldStop: () => stop, lag: () => performance.now() - at };
}

describe('async library loops', () => {
  it('runDescentAsync equals runDescent bit for bit (gf and gd)', async () => {
    for (const method of ['gf', 'gd'] as const) {
      const options = {
        method,
        tmax: 5,
        dt: method === 'gf' ? Number.POSITIVE_INFINITY : 0.01,
        signal: inst.signal,
      };
      const a = runDescent(sphereObjective(inst), x0, options);
      const b = await runDescentAsync(sphereObjective(inst), x0, options, 0);
      expect(b.observations).toEqual(a.observations);
      expect(b.stats).toEqual(a.stats);
    }
  });

  it('a stop from the event loop ends a gf/gd run between steps, not only at observations', async () => {
    for (const method of ['gf', 'gd'] as const) {
      const timer = stopAfter(100);
      // One observation after t = 0 at tmax = 1e7: without checks inside the step loop this runs for hours.
      const run = await runDescentAsync(sphereObjective(inst), x0, {
        method,
        tmax: 1e7,
        dt: method === 'gf' ? 1 : 0.01,
        schedule: { spacing: 'linear', count: 1 },
        shouldStop: timer.shouldStop,
      });
      expect(run.stopped).toBe(true);
      // 50 ms slices; 400 ms leaves room for a loaded machine.
      expect(timer.lag()).toBeLessThan(400);
    }
  });

  it('sampleInstanceAsync draws the same instance, and stops between chunks', async () => {
    const o = { n: 60, p: 3, delta2: 0.5, deltap: 1, seed: 4 };
    const again = await sampleInstanceAsync(o, 0);
    expect(again).toEqual(inst);
    const timer = stopAfter(30);
    // C(1000, 3) ≈ 1.7e8 entries take seconds: the stop must come first (untouched pages cost no memory).
    const big = await sampleInstanceAsync({
      n: 1000,
      p: 3,
      delta2: Number.POSITIVE_INFINITY,
      deltap: 1,
      seed: 1,
      precision: 'float32',
      maxBytes: 2 ** 33,
      shouldStop: timer.shouldStop,
    });
    expect(big).toBeNull();
    expect(timer.lag()).toBeLessThan(400);
  });

  it('runAmpAsync equals runAmp bit for bit, and stops between iterations', async () => {
    const options = { variant: 'ml' as const, m0: 0.2, maxIters: 30, rng: Rng.fromSeed(3).stream(1) };
    const a = runAmp(inst, options);
    const b = await runAmpAsync(inst, { ...options, rng: Rng.fromSeed(3).stream(1) }, 0);
    expect(b).toEqual(a);
    const timer = stopAfter(100);
    const stopped = await runAmpAsync(inst, {
      ...options,
      maxIters: 1e9,
      tol: 0,
      rng: Rng.fromSeed(3).stream(1),
      shouldStop: timer.shouldStop,
    });
    expect(stopped).toBeNull();
    expect(timer.lag()).toBeLessThan(400);
  });
});

describe('tasks', () => {
  it('the registry has every computing command, each validating with its own messages', () => {
    expect(Object.keys(tasks).sort()).toEqual([
      'amp',
      'census',
      'dmft',
      'flow',
      'landscape',
      'phase-diagram',
      'sample',
      'thresholds',
    ]);
    expect(getTask('nope')).toBeUndefined();
    // A sweep spec's numbers and the typed flag names both work; errors name the flag.
    expect(getTask('dmft')?.validate({ delta2: 0.5, 'save-correlations': true })).toMatchObject({
      delta2: 0.5,
      saveCorrelations: true,
    });
    expect(() => tasks.dmft.validate({ delta2: -1 })).toThrow(
      /--delta2: must be a real number > 0 or inf, got '-1'/,
    );
    expect(() => tasks.dmft.validate({ delta2: 'inf', deltap: Number.POSITIVE_INFINITY })).toThrow(
      /--delta2/,
    );
    expect(() => tasks.flow.validate({ hessianEvery: true })).toThrow(/--hessian-every/);
    expect(() => tasks.landscape.validate({ seed: 1 })).toThrow(/--seed: is not a parameter of landscape/);
  });

  it('an aborted signal cancels a task run with TaskCancelledError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 50);
    const params = tasks.landscape.validate({ points: 100001 });
    await expect(tasks.landscape.run(params, { signal: controller.signal })).rejects.toThrow(
      TaskCancelledError,
    );
  });
});
