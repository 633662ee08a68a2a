/**
 * A descent run continued from a checkpoint (encoded and decoded as the CLI writes it) ends bit
 * for bit as the uninterrupted run, for gf, gd and langevin, from checkpoints taken at random step
 * boundaries (mid-way between observations and right after one).
 */
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.ts';
import { pointAtOverlap, sampleInstance, sphereObjective } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import type { DescentCheckpoint } from './checkpoint.ts';
import { type DescentOptions, type DescentResult, runDescent } from './descent.ts';

const inst = sampleInstance({ n: 40, p: 3, delta2: 1 / 3, deltap: 1, seed: 5 });
const objective = sphereObjective(inst);
const x0 = pointAtOverlap(inst.signal, 0.2, Rng.fromSeed(9));

const cases: Record<string, () => DescentOptions> = {
  gf: () => ({
    method: 'gf',
    tmax: 8,
    dt: Number.POSITIVE_INFINITY,
    rtol: 1e-7,
    schedule: { spacing: 'log', count: 12, tmin: 0.01 },
  }),
  gd: () => ({ method: 'gd', tmax: 3, dt: 0.01, schedule: { spacing: 'linear', count: 7 } }),
  langevin: () => ({
    method: 'langevin',
    tmax: 2,
    dt: 0.01,
    temperature: 0.7,
    rng: Rng.fromSeed(3).stream(2),
    schedule: { spacing: 'linear', count: 9 },
    hessianEvery: 3,
  }),
};

/** The whole result as bytes: every observation and the final x and counters. */
const bits = (r: DescentResult) =>
  Buffer.from(
    Float64Array.from([
      ...r.observations.flatMap((o) => [
        o.t,
        o.m,
        o.energy,
        o.mu,
        o.gradNorm,
        o.lambdaMin,
        o.lambdaMinOverlap,
      ]),
      ...r.x,
      r.stats.accepted,
      r.stats.rejected,
      r.stats.evaluations,
      Number(r.converged),
    ]).buffer,
  ).toString('base64');

describe('descent checkpoints', () => {
  for (const [method, options] of Object.entries(cases)) {
    it(`${method}: resumed from random step boundaries, bit-identical to the uninterrupted run`, () => {
      const whole = runDescent(objective, x0, { ...options(), signal: inst.signal });
      let boundaries = 0;
      runDescent(objective, x0, { ...options(), signal: inst.signal, onCheckpoint: () => void boundaries++ });
      expect(boundaries).toBeGreaterThan(10);
      const rng = Rng.fromSeed(17);
      for (let trial = 0; trial < 4; trial++) {
        const at = trial === 0 ? 1 : 1 + rng.integer(boundaries);
        let seen = 0;
        let saved: Uint8Array | undefined;
        // The first run goes on after the checkpoint (as a run killed later would have).
        runDescent(objective, x0, {
          ...options(),
          signal: inst.signal,
          checkpointDue: () => ++seen === at,
          onCheckpoint: (state) => {
            saved = encodeCheckpoint(null, state);
          },
        });
        expect(saved).toBeDefined();
        const resume = decodeCheckpoint(saved!).tree as unknown as DescentCheckpoint;
        // A fresh x0 and a fresh noise stream: everything must come from the checkpoint.
        const resumed = runDescent(objective, x0, { ...options(), signal: inst.signal, resume });
        expect(bits(resumed)).toBe(bits(whole));
      }
    });
  }
});
