import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { runAnnealedLangevin } from '../dynamics/index.ts';
import { pointAtOverlap, sampleInstance } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { tasks } from './index.ts';

// `flow --anneal C:TAU` through the CLI (issue 15): C = 0 is plain Langevin bit for bit, C > 0 is
// the library's annealed run with the same seeds, and misuse exits 2 naming the flag.

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-flow-anneal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'flow', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const small = [
  '--n',
  '30',
  '--p',
  '3',
  '--delta2',
  '0.5',
  '--deltap',
  '2',
  '--seed',
  '4',
  '--method',
  'langevin',
];
const schedule = ['--tmax', '3', '--observations', '12', '--hessian-every', '4', '--m0', '0.2'];
const csv = (out: string) =>
  readFileSync(join(out, 'trajectory.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

describe('saddlesurf flow --anneal', () => {
  it('C = 0 writes plain Langevin’s trajectory bit for bit, plus energy_plain = energy and deltap_eff = Δp', async () => {
    const plain = join(dir, 'plain');
    const zero = join(dir, 'zero');
    expect((await run(...small, ...schedule, '--out', plain)).status).toBe(0);
    expect((await run(...small, ...schedule, '--anneal', '0:3', '--out', zero)).status).toBe(0);
    const a = csv(plain);
    const b = csv(zero);
    expect(b[0]).toEqual([...a[0], 'energy_plain', 'deltap_eff']);
    expect(b.length).toBe(a.length);
    // The same text in every shared cell: the same Float64 numbers (Hessian probes included).
    expect(b.map((r) => r.slice(0, 7))).toEqual(a);
    for (const r of b.slice(1)) {
      expect(r[7]).toBe(r[2]);
      expect(r[8]).toBe('2');
    }
    const params = JSON.parse(readFileSync(join(zero, 'params.json'), 'utf8'));
    expect(params.parameters.anneal).toEqual({ c: 0, tau: 3 });
    expect(params.seed).toBe(4);
  });

  it('C > 0 is the library’s annealed run with the same seeds; the document adds energyPlain and deltapEff', async () => {
    const out = join(dir, 'annealed');
    const r = await run(...small, ...schedule, '--anneal', '5:1.5', '--out', out, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    const inst = sampleInstance({ n: 30, p: 3, delta2: 0.5, deltap: 2, seed: 4 });
    const root = Rng.fromSeed(4);
    const x0 = pointAtOverlap(inst.signal, 0.2, root.stream(1));
    const lib = runAnnealedLangevin(inst, x0, {
      tmax: 3,
      dt: 0.01,
      anneal: { c: 5, tau: 1.5 },
      rng: root.stream(2),
      schedule: { spacing: 'log', count: 12, tmin: 3e-4 },
      hessianEvery: 4,
      gradientTolerance: 0,
    });
    const end = lib.observations.at(-1)!;
    expect(doc.final).toMatchObject({ t: 3, m: end.m, energy: end.energy, energyPlain: end.energyPlain });
    expect(doc.final.deltapEff).toBe(2 + 5 * Math.exp(-3 / 1.5));
    // Early on the tensor channel is nearly off: e (annealed loss) and e_plain differ.
    const rows = csv(out).slice(1);
    expect(rows.length).toBe(lib.observations.length);
    expect(Number(rows[0][8])).toBe(7);
    expect(Number(rows[0][7])).not.toBe(Number(rows[0][2]));
    expect(rows.map((row) => Number(row[1]))).toEqual(lib.observations.map((o) => o.m));
  });

  it('exits 2 naming --anneal for gf, gd and malformed protocols', async () => {
    for (const args of [
      ['--anneal', '1:2'],
      ['--method', 'gd', '--anneal', '1:2'],
      ['--method', 'langevin', '--anneal', '1:0'],
      ['--method', 'langevin', '--anneal', '-1:2'],
      ['--method', 'langevin', '--anneal', '1'],
      ['--method', 'langevin', '--anneal', 'inf:2'],
      ['--method', 'langevin', '--anneal', '1:2:3'],
    ]) {
      const r = await run('--n', '10', ...args, '--out', join(dir, 'never'));
      expect(r.status).toBe(2);
      expect(r.err).toMatch(/--anneal/);
    }
  });

  it('checkpoints and resumes through the task bit for bit (the task hooks the CLI’s --checkpoint-every uses)', async () => {
    const params = tasks.flow.validate({
      n: 30,
      p: 3,
      delta2: 0.5,
      deltap: 2,
      seed: 4,
      method: 'langevin',
      tmax: 2,
      observations: 20,
      spacing: 'linear',
      anneal: '5:1',
    });
    const whole = await tasks.flow.execute(params);
    let saved: unknown;
    let polls = 0;
    await tasks.flow.execute(params, {
      checkpoint: {
        due: () => ++polls === 77,
        save: (state) => {
          saved = structuredClone(state);
        },
      },
    });
    expect((saved as { step: number }).step).toBeGreaterThan(0);
    const resumed = await tasks.flow.execute(params, {
      checkpoint: { resume: saved, due: () => false, save: () => {} },
    });
    expect(resumed.document).toEqual(whole.document);
  });
});
