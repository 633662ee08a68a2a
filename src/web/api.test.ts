import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { runDescent } from '../dynamics/index.ts';
import { pointAtOverlap, sampleInstance, sphereObjective } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { landscape, phaseDiagramData, SNR_SWEEP } from './api.ts';
import { FINITE_N_OBSERVATIONS, finiteN, largeN } from './dynamicsApi.ts';
import { jobErrorText } from './jobs.ts';
import { bulkCurve, spectrumCsv } from './spectrumData.ts';

describe('worker landscape', () => {
  it('puts the threshold states at the bulk edge with the BBP outlier at −(θ−σ)²/θ (THEORY §4.1)', async () => {
    // p = 3, Δp = 1, 1/Δ2 = 3: σ = √(3 + 2) = √5, θ = 3 (independent closed forms).
    const r = await landscape({ p: 3, delta2: 1 / 3, deltap: 1 });
    const sigma = Math.sqrt(5);
    // Tolerances: closed forms evaluated in double precision, a few ulps apart.
    expect(r.spectrum.sigma).toBeCloseTo(sigma, 14);
    expect(r.threshold.mu).toBeCloseTo(2 * sigma, 13);
    expect(r.spectrum.bulkLower).toBeCloseTo(0, 13);
    expect(r.spectrum.outlier!).toBeCloseTo(-((3 - sigma) ** 2) / 3, 13);
    expect(r.spectrum.outlierOverlap!).toBeCloseTo(1 - 5 / 9, 13);
    // Σ_th = ½ ln(q2/q1) − (q2 − q1)/(q2 + q1) with q1 = f'(1) = 4, q2 = f''(1) = 5.
    expect(r.threshold.complexity).toBeCloseTo(0.5 * Math.log(5 / 4) - 1 / 9, 13);
  });

  it('has no outlier below the GF threshold and Σ_min(0) equal to Σ_th there', async () => {
    // 1/Δ2 = 1.5 < 2 = 1/Δ2^GF at p = 3, Δp = 1.
    const r = await landscape({ p: 3, delta2: 1 / 1.5, deltap: 1 });
    expect(r.spectrum.outlier).toBeNull();
    // m = 0 is the middle grid point; there μ_min = 2σ is the maximiser, so Σ_min(0) = Σ_th
    // (two independent code paths of THEORY §4.2; agreement to rounding).
    const mid = (r.m.length - 1) / 2;
    // The grid's middle point is m = 0 up to rounding of −0.995 + 0.995.
    expect(Math.abs(r.m[mid])).toBeLessThan(1e-15);
    expect(r.complexity[mid]).toBeCloseTo(r.threshold.complexity, 12);
    // The signal minimum has Σ = 0 (THEORY §4.2 check) and lies on the grid's range.
    expect(r.signal).not.toBeNull();
    expect(r.signal!.m).toBeGreaterThan(0);
    expect(r.signal!.m).toBeLessThan(1);
  });

  it('samples a normalised semicircle for the bulk', async () => {
    const s = (await landscape({ p: 4, delta2: 0.5, deltap: 2 })).spectrum;
    const bulk = bulkCurve(s);
    let area = 0;
    for (let i = 1; i < bulk.length; i++)
      area += 0.5 * (bulk[i].density + bulk[i - 1].density) * (bulk[i].lambda - bulk[i - 1].lambda);
    // Trapezoid on a semicircle: the square-root edges cost O(h^{3/2}) ≈ (1/200)^{1.5} ≈ 4e-4
    // (measured 3.7e-4), and the rule underestimates a concave density.
    expect(1 - area).toBeGreaterThan(0);
    expect(1 - area).toBeLessThan(6e-4);
    expect(bulk[0].lambda).toBeCloseTo(0, 12);
    const r = await landscape({ p: 4, delta2: 0.5, deltap: 2 });
    const csv = spectrumCsv(r).trim().split('\n');
    expect(csv[0]).toBe('part,lambda,density,outlier_overlap_sq,p,deltap,inv_delta2,version,command');
    expect(csv).toHaveLength(1 + bulk.length + (s.outlier === null ? 0 : 1) + SNR_SWEEP.length);
  });

  it('follows the lowest eigenvalue along 1/Δ2: zero up to the GF threshold, −(θ−σ)²/θ above', async () => {
    // p = 3, Δp = 1: σ² = 1/Δ2 + 2, θ = 1/Δ2; BBP (θ = σ) at 1/Δ2 = 2 = the GF line (THEORY §5).
    const r = await landscape({ p: 3, delta2: 1, deltap: 1 });
    r.lowestVsSnr.invDelta2.forEach((a, i) => {
      const sigma = Math.sqrt(a + 2);
      const expected = a > sigma ? -((a - sigma) ** 2) / a : 0;
      // μ_th − 2σ = 0 up to rounding of 2σ − 2σ; the outlier formula to rounding.
      expect(r.lowestVsSnr.lowest[i]).toBeCloseTo(expected, 12);
    });
  });
});

describe('worker dynamics', () => {
  it('starts large-N gradient flow at μ(0) = m0 f′(m0), e(0) = −f(m0) and ends at the signal minimum (THEORY §3)', async () => {
    const progress: number[] = [];
    const r = await largeN(
      { p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 30 },
      (_, v) => v && progress.push(v.t!),
    );
    expect(r.status).toBe('ok');
    // f(z) = 3z²/2 + z³/3 at Δ2 = 1/3, Δp = 1: closed forms, evaluated to rounding.
    const m0 = 0.05;
    expect(r.mu[0]).toBeCloseTo(m0 * (3 * m0 + m0 * m0), 12);
    expect(r.energy[0]).toBeCloseTo(-(1.5 * m0 * m0 + m0 ** 3 / 3), 12);
    // The GF end state from the landscape (a different code path: Kac–Rice, THEORY §4.2) —
    // agreement limited by EXPLORER_GRID's tolerance 1e-6 and t = 30 (measured 1.2e-5 at t = 100).
    const star = (await landscape({ p: 3, delta2: 1 / 3, deltap: 1 })).signal!;
    expect(r.m.at(-1)!).toBeCloseTo(star.m, 3);
    expect(r.mu.at(-1)!).toBeCloseTo(star.mu, 3);
    expect(r.energy.at(-1)!).toBeCloseTo(star.energy, 3);
    // Plateau values: μ_th = 2σ = 2√5.
    expect(r.muTh).toBeCloseTo(2 * Math.sqrt(5), 13);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.at(-1)).toBeLessThanOrEqual(30);
  });

  const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-web-dmft-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is `saddlesurf dmft` with the explorer grid: same document, same params.json, same dynamics.csv', async () => {
    const out = join(dir, 'run');
    const ctx = memoryContext();
    const args = ['--p', '4', '--delta2', '0.5', '--deltap', '1', '--m0', '0.05', '--tmax', '20'];
    const grid = ['--grid', 'adaptive', '--window', '64', '--tol', '1e-6'];
    expect(await main(['node', 'saddlesurf', 'dmft', ...args, ...grid, '--out', out, '--json'], ctx)).toBe(0);
    const r = await largeN({ p: 4, delta2: 0.5, deltap: 1, m0: 0.05, tmax: 20 });
    const { out: _, ...cliDocument } = JSON.parse(ctx.out) as Record<string, unknown>;
    expect(JSON.parse(JSON.stringify(r.document))).toEqual(cliDocument);
    // The provenance the explorer exports is the file the CLI writes, version included.
    expect(JSON.parse(JSON.stringify(r.provenance.document))).toEqual(
      JSON.parse(readFileSync(join(out, 'params.json'), 'utf8')),
    );
    expect(r.provenance.document.saddlesurf).toMatch(/^\d+\.\d+\.\d+/);
    // The trajectory is the CLI's, to the digits its CSV prints.
    const rows = readFileSync(join(out, 'dynamics.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(r.t.length);
    const last = rows.at(-1)!.split(',').map(Number);
    expect(last[0]).toBe(r.t.at(-1));
    expect(last[1]).toBe(r.m.at(-1));
  });

  it('refuses what the CLI refuses, with its message, and stops on the signal', async () => {
    const point = { p: 3, delta2: 1 / 3, deltap: 1 };
    for (const [m0, tmax] of [
      [1, 10],
      [0.05, 1e9],
    ]) {
      const ctx = memoryContext();
      const argv = [
        'dmft',
        '--p',
        '3',
        '--delta2',
        '1/3',
        '--m0',
        String(m0),
        '--tmax',
        String(tmax),
        '--json',
      ];
      expect(await main(['node', 'saddlesurf', ...argv], ctx)).toBe(2);
      const message = ctx.err.split('\n')[0].replace(/^saddlesurf dmft: /, '');
      expect(message).toMatch(/^--(m0|delta2): /); // the stiffness bound names the Δ
      await expect(largeN({ ...point, m0, tmax })).rejects.toThrow(message);
    }
    const controller = new AbortController();
    const run = largeN(
      { ...point, m0: 0.05, tmax: 1e4 },
      (_, v) => v !== undefined && v.t! > 1 && controller.abort(),
      controller.signal,
    );
    await expect(run).rejects.toMatchObject({ name: 'TaskCancelledError' });
  });

  it('runs finite-N gradient flow from the prescribed overlap on a seeded instance', async () => {
    const req = { p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 20, n: 40, seed: 1 };
    const a = await finiteN(req);
    // Starts exactly at m0 (pointAtOverlap), energies follow the run, reproducible by seed.
    expect(a.t[0]).toBe(0);
    expect(a.m[0]).toBeCloseTo(0.05, 14);
    expect(a.t).toHaveLength(FINITE_N_OBSERVATIONS + 1);
    expect((await finiteN(req)).m).toEqual(a.m);
    expect((await finiteN({ ...req, seed: 2 })).m).not.toEqual(a.m);
    // Gradient flow never increases the energy (up to the integrator's tolerance).
    for (let i = 1; i < a.energy.length; i++) expect(a.energy[i]).toBeLessThanOrEqual(a.energy[i - 1] + 1e-6);
  });

  it('its float32 tensor gives the float64 run of `flow` to far below the integrator tolerance', async () => {
    const req = { p: 3, delta2: 1 / 3, deltap: 1, m0: 0.05, tmax: 20, n: 60, seed: 3 };
    const a = await finiteN(req);
    // The same run with the float64 instance, as `saddlesurf flow` does it.
    const inst = sampleInstance({ ...req, precision: 'float64' });
    const root = Rng.fromSeed(req.seed);
    const run = runDescent(sphereObjective(inst), pointAtOverlap(inst.signal, req.m0, root.stream(1)), {
      method: 'gf',
      tmax: req.tmax,
      dt: Number.POSITIVE_INFINITY,
      rtol: 1e-6,
      atol: 1e-8,
      schedule: { spacing: 'log', count: FINITE_N_OBSERVATIONS, tmin: req.tmax * 1e-4 },
      signal: inst.signal,
      rng: root.stream(2),
    });
    const m64 = run.observations.map((o) => o.m);
    // Entries rounded to float32 and float32 sums move ∇H by ≲ (N + 4)·u32 ≈ 4e-6 relative;
    // the flow passes that on to m(t) without growth here (measured: 3e-9 at N = 250); 1e-5
    // is below the integrator's tolerance times the O(1) values of m, and far below the
    // O(N^{−1/2}) ≈ 0.13 between instances.
    expect(m64).toHaveLength(a.m.length);
    for (let i = 0; i < a.m.length; i++) expect(Math.abs(a.m[i] - m64[i])).toBeLessThan(1e-5);
    expect(Math.max(...a.m)).toBeGreaterThan(0.5);
  });
});

describe('worker tasks: validation and cancellation', () => {
  it("refuses a bad value with the task's message naming the flag, shown on the page with its field", async () => {
    const error = await landscape({ p: 3, delta2: -1, deltap: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UsageError' });
    expect((error as Error).message).toMatch(/^--delta2: must be a real number > 0/);
    expect(jobErrorText(error)).toMatch(
      /^1\/Δ2 \(Δ2 = 1\/\(1\/Δ2\)\) \(--delta2\): must be a real number > 0/,
    );
    // Other errors pass through as they are.
    expect(jobErrorText(new Error('worker error: x'))).toBe('worker error: x');
  });

  it('stops the landscape and the phase diagram when the signal is aborted mid-run', async () => {
    for (const start of [
      (c: AbortController) => landscape({ p: 3, delta2: 0.37, deltap: 0.9 }, () => c.abort(), c.signal),
      (c: AbortController) => phaseDiagramData(4, () => c.abort(), c.signal),
    ]) {
      const controller = new AbortController();
      await expect(start(controller)).rejects.toMatchObject({ name: 'TaskCancelledError' });
      expect(controller.signal.aborted).toBe(true);
    }
  });
});
