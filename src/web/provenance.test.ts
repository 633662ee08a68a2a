/**
 * The explorer's provenance is the CLI's: the command line the worker records for each task
 * run, run by the CLI, writes the params.json the worker recorded and the numbers it returned.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bayesPhase } from '../amp/index.ts';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { parseCsv } from '../io/csv.ts';
import { landscape, phaseDiagramData, pointThresholds, regionAt } from './api.ts';
import { finiteN } from './dynamicsApi.ts';
import { commandLine } from './provenance.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-web-provenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run one recorded command line in-process (`--out` added when given); its stdout. */
async function run(command: string, out?: string): Promise<string> {
  const argv = command.split(' ');
  expect(argv[0]).toBe('saddlesurf');
  const ctx = memoryContext();
  const code = await main(['node', ...argv, ...(out === undefined ? [] : ['--out', out])], ctx);
  expect(code, ctx.err).toBe(0);
  return ctx.out;
}

/** A document as the CLI writes it to a file (Infinity as 'inf'), for comparing documents. */
const asJson = (v: unknown) =>
  JSON.parse(JSON.stringify(v, (_, x) => (x === Number.POSITIVE_INFINITY ? 'inf' : x)));

const params = (out: string) => JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));

describe('the command line of every explorer result', () => {
  it('spells the raw parameters as flags', () => {
    expect(commandLine('phase-diagram', { p: 3, deltapMin: 0.02, delta2: Number.POSITIVE_INFINITY })).toBe(
      'saddlesurf phase-diagram --p 3 --deltap-min 0.02 --delta2 inf',
    );
  });

  it('landscape: the CLI writes the same params.json and the same Σ_min(m)', async () => {
    const r = await landscape({ p: 3, delta2: 1 / 2.5, deltap: 0.8 });
    const out = join(dir, 'landscape');
    await run(r.provenance.command, out);
    expect(params(out)).toEqual(asJson(r.provenance.document));
    const csv = parseCsv(readFileSync(join(out, 'complexity.csv'), 'utf8'));
    expect(csv.rows.map((row) => Number(row[1]))).toEqual(Array.from(r.complexity));
    // One point of the lowest-eigenvalue sweep, by its own command.
    const k = 57;
    const json = JSON.parse(await run(`${r.lowestVsSnr.commands[k]} --json`));
    expect(json.zeroOverlap.lowestEigenvalue).toBe(r.lowestVsSnr.lowest[k]);
    expect(1 / json.delta2).toBeCloseTo(r.lowestVsSnr.invDelta2[k]!, 13);
  });

  it('phase-diagram and thresholds: the same params.json, the same lines', async () => {
    const phase = await phaseDiagramData(4);
    const out = join(dir, 'phase');
    await run(phase.provenance.command, out);
    expect(params(out)).toEqual(asJson(phase.provenance.document));
    const point = await pointThresholds({ p: 4, delta2: 0.5, deltap: 0.3 });
    const json = JSON.parse(await run(`${point.provenance.command} --json`));
    expect(json.invDelta2).toEqual(asJson(point.lines));
    expect(point.provenance.document.parameters).toEqual({ p: 4, deltap: 0.3 });
  });

  it('finite N: `sample --precision float32` then `flow --instance` give the same trajectory', async () => {
    const r = await finiteN({ p: 3, delta2: 0.4, deltap: 0.8, m0: 0.05, tmax: 10, n: 30, seed: 7 });
    const [sample, flow] = r.provenance.command.split(' && ') as [string, string];
    expect(sample).toBe(
      'saddlesurf sample --n 30 --p 3 --delta2 0.4 --deltap 0.8 --seed 7 --precision float32 --out instance.npz',
    );
    const file = join(dir, 'instance.npz');
    await run(sample.replace('--out instance.npz', `--out ${file}`));
    const out = join(dir, 'flow');
    await run(flow.replace('--instance instance.npz', `--instance ${file}`), out);
    // The file's path is where this test put it; everything else is what the worker recorded.
    expect({ ...params(out).parameters, instance: 'instance.npz' }).toEqual(
      asJson(r.provenance.document.parameters),
    );
    expect(params(out).seed).toBe(7);
    const csv = parseCsv(readFileSync(join(out, 'trajectory.csv'), 'utf8'));
    // Same code, same V8: bit for bit.
    expect(csv.rows.map((row) => Number(row[1]))).toEqual(Array.from(r.m));
  });
});

describe('the Bayes region of the selected point', () => {
  it("is bayesPhase's classification, read off the thresholds task's regions (THEORY §6.2)", async () => {
    // Points in each region, p = 4 at Δp = 0.28 included (the easy region splits there).
    for (const [p, deltap] of [
      [3, 0.5],
      [3, 2],
      [4, 0.28],
      [4, 1],
    ] as const) {
      const seen = new Set<string>();
      // Off the region edges (1/Δ2 = 1 is one: there the two sides are a matter of convention).
      for (let a = 0.07; a < 4; a += 0.1) {
        const region = (await pointThresholds({ p, delta2: 1 / a, deltap })).bayes;
        expect(region, `p = ${p}, Δp = ${deltap}, 1/Δ2 = ${a}`).toBe(bayesPhase(p, deltap, 1 / a));
        seen.add(region);
      }
      expect(seen.size).toBeGreaterThan(1);
    }
    expect(
      regionAt(
        [
          { from: 0, to: 1, region: 'impossible' },
          { from: 1, to: Infinity, region: 'easy' },
        ],
        1,
      ),
    ).toBe('easy');
  });
});
