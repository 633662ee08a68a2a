import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bayesStateEvolution, mlStateEvolution, runAmp } from '../../amp/index.ts';
import { sampleInstance } from '../../model/index.ts';
import { Rng } from '../../random/index.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-amp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'amp', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('saddlesurf amp', () => {
  it('runs the library AMP and its state evolution, writes params.json and iterations.csv, --json is one document', async () => {
    const out = join(dir, 'ml');
    const args = ['--variant', 'ml', '--n', '60', '--p', '3', '--delta2', '0.5', '--deltap', '1'];
    const r = await run(...args, '--seed', '4', '--iters', '8', '--m0', '0.3', '--out', out, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    // The same run through the library (instance from the seed, initial point from stream 1).
    const inst = sampleInstance({ n: 60, p: 3, delta2: 0.5, deltap: 1, seed: 4 });
    const lib = runAmp(inst, { variant: 'ml', m0: 0.3, maxIters: 8, rng: Rng.fromSeed(4).stream(1) });
    expect(doc.final).toEqual({ m: lib.m[lib.iters], iters: lib.iters, converged: lib.converged });
    const spec = { p: 3, delta2: 0.5, deltap: 1 };
    expect(doc.stateEvolution.m).toBe(mlStateEvolution(spec, 0.3, 1_000_000, 1e-14).fixedPoint);
    const csv = readCsv(join(out, 'iterations.csv'));
    expect(csv.header).toEqual(['iteration', 'm', 'm_state_evolution']);
    expect(csv.rows).toHaveLength(lib.iters + 1);
    const se = mlStateEvolution(spec, 0.3, lib.iters, 0).m;
    csv.rows.forEach(([t, m, mse], k) => {
      expect(Number(t)).toBe(k);
      expect(Number(m)).toBe(lib.m[k]);
      expect(Number(mse)).toBe(se[k]);
    });
    const params = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(params).toMatchObject({
      command: 'amp',
      seed: 4,
      parameters: { variant: 'ml', n: 60, p: 3, delta2: 0.5, deltap: 1, iters: 8, m0: 0.3, damping: 0 },
    });
    expect(params.saddlesurf).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--instance FILE with the same seed reproduces the sampled run; conflicting model flags are refused', async () => {
    const file = join(dir, 'inst.npz');
    const ctx = memoryContext();
    const model = ['--n', '40', '--p', '3', '--delta2', '0.6', '--deltap', '2', '--seed', '11'];
    expect(await main(['node', 'saddlesurf', 'sample', ...model, '--out', file], ctx)).toBe(0);
    const common = ['--variant', 'bayes', '--iters', '6', '--m0', '0.2', '--json'];
    const sampled = await run(...model, ...common, '--out', join(dir, 'b1'));
    const loaded = await run('--instance', file, '--seed', '11', ...common, '--out', join(dir, 'b2'));
    expect(sampled.status).toBe(0);
    expect(loaded.status).toBe(0);
    expect(JSON.parse(loaded.out).final).toEqual(JSON.parse(sampled.out).final);
    const conflict = await run('--instance', file, '--deltap', '3', ...common, '--out', join(dir, 'b3'));
    expect(conflict.status).toBe(2);
    expect(conflict.err).toMatch(/--deltap/);
  });

  it('--se-only: no instance, any N; Δ = inf is accepted and printed as "inf"', async () => {
    const out = join(dir, 'se');
    const r = await run(
      '--variant',
      'bayes',
      '--n',
      '100000',
      '--delta2',
      '0.8',
      '--deltap',
      'inf',
      '--iters',
      '20',
      '--m0',
      '0.05',
      '--se-only',
      '--out',
      out,
      '--json',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.final).toBeNull();
    // Pure matrix Bayes fixed point m = 1 − Δ2 (closed form).
    expect(doc.stateEvolution.m).toBeCloseTo(0.2, 12);
    expect(doc.parameters.deltap).toBe('inf');
    const csv = readCsv(join(out, 'iterations.csv'));
    expect(csv.rows).toHaveLength(21);
    const se = bayesStateEvolution({ p: 3, delta2: 0.8, deltap: Number.POSITIVE_INFINITY }, 0.05, 20, 0).m;
    csv.rows.forEach(([, m, mse], k) => {
      expect(m).toBe('');
      expect(Number(mse)).toBe(se[k]);
    });
  });

  it('bad input exits with status 2, names the flag, and leaves no output directory', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--variant', 'vamp'], /--variant/],
      [['--variant', 'bayes', '--m0', '-0.2'], /--m0/],
      [['--m0', '1.5'], /--m0/],
      [['--damping', '1'], /--damping/],
      [['--iters', '0'], /--iters/],
      [['--delta2', '-1'], /--delta2/],
      [['--delta2', 'inf', '--deltap', 'inf'], /--delta2/],
      [['--p', '2'], /--p/],
      [['--n', '3', '--p', '4'], /--p/],
      [['--instance', join(dir, 'missing.npz')], /--instance/],
      [['--se-only', '--damping', '0.5'], /--damping/],
      [['--se-only', '--tol', '1e-6'], /--tol/],
    ];
    for (const [args, flag] of cases) {
      const out = join(dir, 'bad');
      const r = await run(...args, '--out', out);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(flag);
      expect(existsSync(out)).toBe(false);
    }
    expect(readdirSync(dir).some((f) => f.includes('partial'))).toBe(false);
  });
});
