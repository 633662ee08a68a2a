/**
 * A large-N run continued from a checkpoint (encoded and decoded as the CLI writes it) ends bit
 * for bit as the uninterrupted run: fixed grid (both schemes, T > 0, annealing) from random steps,
 * adaptive grid (also annealed) from random cycle boundaries (with doublings, window growth and, in the hard case,
 * step rejections), correlations included.
 */
import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.ts';
import { spikedCovariance } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import type { DynamicsCheckpoint } from './checkpoint.ts';
import { solveDynamics } from './solve.ts';
import type { DynamicsOptions, DynamicsResult } from './types.ts';

const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });

const cases: Record<string, DynamicsOptions> = {
  'fixed heun, T = 0': { covariance, temperature: 0, m0: 0.05, tmax: 6, grid: { kind: 'fixed', h: 0.05 } },
  'fixed euler, T = 0.5, annealed': {
    covariance,
    temperature: 0.5,
    m0: 0.05,
    tmax: 4,
    grid: { kind: 'fixed', h: 0.05, scheme: 'euler' },
    anneal: { c: 3, tau: 2 },
  },
  'adaptive, T = 0': {
    covariance,
    temperature: 0,
    m0: 1e-3,
    tmax: 40,
    grid: { kind: 'adaptive', window: 32 },
  },
  'adaptive, T = 1, annealed': {
    covariance,
    temperature: 1,
    m0: 0.05,
    tmax: 20,
    grid: { kind: 'adaptive', window: 32 },
    anneal: { c: 3, tau: 4 },
  },
  // A tolerance so loose that the step doubles until rows fail: rejections and thinnings (at T > 0:
  // at T = 0 the band carried along the diagonal keeps every row of this case stable).
  'adaptive, T = 0.3, tol 0.9 (rejections)': {
    covariance,
    temperature: 0.3,
    m0: 1e-3,
    tmax: 300,
    grid: { kind: 'adaptive', window: 32, tol: 0.9, maxWindow: 32 },
  },
};

/** The whole result as one string of bits. */
const bits = (r: DynamicsResult) => {
  const c = r.correlations;
  const arrays = [r.t, r.m, r.mu, r.energy, ...(c ? [c.times, c.C, c.R, c.chi] : [])];
  return JSON.stringify([
    arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')),
    r.stats,
  ]);
};

describe('dmft checkpoints', () => {
  for (const [name, options] of Object.entries(cases)) {
    it(`${name}: resumed from random boundaries, bit-identical to the uninterrupted run`, () => {
      const o = { ...options, saveCorrelations: true };
      const whole = solveDynamics(o);
      let boundaries = 0;
      solveDynamics({ ...o, onCheckpoint: () => void boundaries++ });
      expect(boundaries).toBeGreaterThan(3);
      const rng = Rng.fromSeed(23);
      for (let trial = 0; trial < 3; trial++) {
        const at = [1, Math.ceil(boundaries / 3), 1 + rng.integer(boundaries)][trial];
        let seen = 0;
        let saved: Uint8Array | undefined;
        solveDynamics({
          ...o,
          checkpointDue: () => ++seen === at,
          onCheckpoint: (state) => {
            saved = encodeCheckpoint(null, state);
          },
        });
        const resume = decodeCheckpoint(saved!).tree as unknown as DynamicsCheckpoint;
        expect(bits(solveDynamics({ ...o, resume }))).toBe(bits(whole));
      }
      if (name.includes('rejections'))
        expect(whole.stats.rejections! * whole.stats.thinnings!).toBeGreaterThan(0);
    });
  }
});
