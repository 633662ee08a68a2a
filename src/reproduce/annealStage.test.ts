import { describe, expect, it } from 'vitest';
import { crossingTime, solveDynamics } from '../dmft/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { langevinConjecture } from '../phase/index.ts';
import type { AnnealData } from '../plot/index.ts';
import { annealStage } from './annealStage.ts';
import { QUICK } from './config.ts';

describe('anneal stage (issue 15)', () => {
  it('quick preset: annealed ahead of plain Langevin at the line; plain escape time against the adaptive grid', () => {
    const config = QUICK.anneal!;
    const r = annealStage(config, () => {});
    expect(r.id).toBe('anneal');
    expect(r.figure.kind).toBe('anneal');
    const runs = r.keyNumbers.runs as {
      ratio: number;
      protocol: string;
      m: number;
      escapeTime: number | null;
    }[];
    expect(runs).toHaveLength(2 * config.ratios.length);
    const at = (ratio: number, protocol: string) =>
      runs.find((q) => q.ratio === ratio && q.protocol === protocol)!;
    // The figure's claim at the line: with the tensor softened early, m grows faster (measured
    // m(20) = 0.231 against 0.131).
    expect(at(1, 'annealed').m).toBeGreaterThan(1.5 * at(1, 'plain').m);
    // Independent solver for the plain run above the line: the adaptive grid (defaults) from the same
    // m0: 12.86 against 12.49 (heun, h = 0.05): the second-order scheme's −3 % at this step (it is
    // −12 % at h = 0.1 and converges at order 2), so 5 %.
    const invDelta2 = Number((langevinConjecture(3, 1) * 1.2).toFixed(4));
    const ref = solveDynamics({
      covariance: spikedCovariance({ p: 3, delta2: 1 / invDelta2, deltap: 1 }),
      temperature: 1,
      m0: config.m0,
      tmax: config.tmax,
      grid: { kind: 'adaptive' },
    });
    const tRef = crossingTime(ref, config.level)!;
    expect(Math.abs(at(1.2, 'plain').escapeTime! - tRef) / tRef).toBeLessThan(0.05);
  }, 30_000);
});

describe('anneal stage on the adaptive grid (full preset: no h)', () => {
  it('annealed and plain escape times against the Richardson-extrapolated fixed grid', () => {
    const config = { ...QUICK.anneal!, ratios: [1.2], h: undefined };
    const r = annealStage(config, () => {});
    expect(r.params.grid).toBe('adaptive');
    const runs = r.keyNumbers.runs as { protocol: string; escapeTime: number | null }[];
    const invDelta2 = Number((langevinConjecture(3, 1) * 1.2).toFixed(4));
    const covariance = spikedCovariance({ p: 3, delta2: 1 / invDelta2, deltap: 1 });
    for (const protocol of ['plain', 'annealed']) {
      const fixed = (h: number) =>
        crossingTime(
          solveDynamics({
            covariance,
            temperature: 1,
            m0: config.m0,
            tmax: config.tmax,
            grid: { kind: 'fixed', h, scheme: 'heun' },
            ...(protocol === 'annealed' ? { anneal: { c: config.c, tau: config.tau } } : {}),
          }),
          config.level,
        )!;
      // Heun is second order: (4 t(h/2) − t(h))/3. Measured: plain 12.8720 against 12.8713 (5e-5),
      // annealed 9.8287 against 9.8260 (2.7e-4); the Richardson correction itself is 0.7 % and
      // 0.5 %, so the reference is good to ~1e-3 (its next order): 2e-3.
      const ref = (4 * fixed(0.025) - fixed(0.05)) / 3;
      const t = runs.find((q) => q.protocol === protocol)!.escapeTime!;
      expect(Math.abs(t - ref) / ref, protocol).toBeLessThan(2e-3);
    }
    // The figure starts at t = 0.05, not at the adaptive grid's t ~ 1e-8.
    const rows = (r.figure.data as AnnealData).rows;
    expect(Math.min(...rows.map((q) => q.t))).toBeGreaterThanOrEqual(0.05);
  }, 30_000);
});
