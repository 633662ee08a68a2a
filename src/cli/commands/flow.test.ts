import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDescent } from '../../dynamics/index.ts';
import { pointAtOverlap, sampleInstance, sphereObjective } from '../../model/index.ts';
import { Rng } from '../../random/index.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-flow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'flow', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const small = ['--n', '30', '--p', '3', '--delta2', '0.5', '--deltap', '1', '--seed', '5'];

describe('saddlesurf flow', () => {
  it('writes params.json and trajectory.csv equal to the library run; --json prints one document', async () => {
    const out = join(dir, 'a');
    const r = await run(
      ...small,
      '--m0',
      '0.3',
      '--tmax',
      '5',
      '--observations',
      '10',
      '--hessian-every',
      '5',
      '--out',
      out,
      '--json',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    const params = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(params).toMatchObject({
      command: 'flow',
      seed: 5,
      parameters: { n: 30, p: 3, delta2: 0.5, deltap: 1, method: 'gf', tmax: 5, m0: 0.3, hessianEvery: 5 },
    });
    expect(params.saddlesurf).toMatch(/^\d+\.\d+\.\d+/);
    const lines = readFileSync(join(out, 'trajectory.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('t,m,energy,mu,grad_norm,lambda_min,lambda_min_overlap');
    expect(lines.length).toBe(1 + 11);
    // Hessian probed at observations 0, 5, 10 only: the other rows have the last two cells empty.
    const cells = lines.slice(1).map((l) => l.split(','));
    cells.forEach((c, j) => {
      expect(c.length).toBe(7);
      expect(c[5] === '').toBe(j % 5 !== 0);
      expect(c[6] === '').toBe(j % 5 !== 0);
    });
    // The same run through the library (instance seed 5, start from stream 1 of seed 5).
    const inst = sampleInstance({ n: 30, p: 3, delta2: 0.5, deltap: 1, seed: 5 });
    const x0 = pointAtOverlap(inst.signal, 0.3, Rng.fromSeed(5).stream(1));
    const lib = runDescent(sphereObjective(inst), x0, {
      method: 'gf',
      tmax: 5,
      dt: Number.POSITIVE_INFINITY,
      rtol: 1e-6,
      atol: 1e-8,
      signal: inst.signal,
      hessianEvery: 5,
      schedule: { spacing: 'log', count: 10, tmin: 5e-4 },
    });
    const end = lib.observations.at(-1)!;
    expect(doc.final).toEqual({
      t: end.t,
      m: end.m,
      energy: end.energy,
      mu: end.mu,
      gradNorm: end.gradNorm,
      lambdaMin: end.lambdaMin,
      lambdaMinOverlap: end.lambdaMinOverlap,
    });
    expect(Number(cells[10][1])).toBe(end.m);
    // The large-N reference printed next to the run: the GF end state of THEORY §3 at Δ2 = 0.5,
    // Δp = 1, p = 3, i.e. the root of m²(f'(m)² + f'(1)) = f'(m)² with f'(m) = 2m + m².
    const m = doc.largeN.m as number;
    const fp = 2 * m + m * m;
    expect(doc.largeN.kind).toBe('gradient-flow end state');
    expect(m * m * (fp * fp + 3)).toBeCloseTo(fp * fp, 10);
  });

  it('--gtol ends a converged run early and --json says so', async () => {
    const r = await run(
      ...small,
      '--m0',
      '0.9',
      '--tmax',
      '500',
      '--gtol',
      '1e-4',
      '--out',
      join(dir, 'g'),
      '--json',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.converged).toBe(true);
    expect(doc.final.t).toBeLessThan(500);
    expect(doc.final.gradNorm).toBeLessThan(1e-4);
    // Probed at the end (default --hessian-every 0): a minimum has λmin > 0.
    expect(doc.final.lambdaMin).toBeGreaterThan(0);
    expect(doc.parameters).toMatchObject({ gtol: 1e-4, dt: 'inf' });
    // --out is optional with --json: the same document (out: null), no files anywhere.
    const before = readdirSync(dir);
    const bare = await run(...small, '--m0', '0.9', '--tmax', '500', '--gtol', '1e-4', '--json');
    expect(bare.status).toBe(0);
    expect(JSON.parse(bare.out)).toEqual({ ...doc, out: null });
    expect(readdirSync(dir)).toEqual(before);
  });

  it('is byte-for-byte reproducible for every method', async () => {
    for (const method of ['gf', 'gd', 'langevin']) {
      const args = [
        ...small,
        '--method',
        method,
        '--tmax',
        '2',
        '--observations',
        '8',
        '--spacing',
        'linear',
      ];
      await run(...args, '--out', join(dir, `${method}1`));
      await run(...args, '--out', join(dir, `${method}2`));
      for (const file of ['params.json', 'trajectory.csv']) {
        const a = readFileSync(join(dir, `${method}1`, file));
        const b = readFileSync(join(dir, `${method}2`, file));
        expect(a.length).toBeGreaterThan(0);
        expect(Buffer.compare(a, b)).toBe(0);
      }
    }
    // Another seed gives another Langevin trajectory.
    await run(
      ...small.slice(0, -1),
      '6',
      '--method',
      'langevin',
      '--tmax',
      '2',
      '--observations',
      '8',
      '--spacing',
      'linear',
      '--out',
      join(dir, 'langevin3'),
    );
    expect(readFileSync(join(dir, 'langevin3', 'trajectory.csv'), 'utf8')).not.toBe(
      readFileSync(join(dir, 'langevin1', 'trajectory.csv'), 'utf8'),
    );
  });

  it('runs on an instance file like on the sampled instance with the same seed', async () => {
    const file = join(dir, 'inst.npz');
    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', 'sample', ...small, '--out', file], ctx)).toBe(0);
    const common = ['--seed', '5', '--tmax', '1', '--observations', '4', '--method', 'gd', '--dt', '0.05'];
    await run(...small, ...common.slice(2), '--out', join(dir, 'sampled'));
    expect((await run('--instance', file, ...common, '--out', join(dir, 'loaded'))).status).toBe(0);
    expect(readFileSync(join(dir, 'loaded', 'trajectory.csv'), 'utf8')).toBe(
      readFileSync(join(dir, 'sampled', 'trajectory.csv'), 'utf8'),
    );
    // A model flag contradicting the file is a usage error.
    const bad = await run('--instance', file, '--n', '31', ...common, '--out', join(dir, 'x-conflict'));
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(/--n/);
  });

  it('Ctrl-C (SIGINT) stops a long run with exit status 130 and leaves no output behind', async () => {
    const bin = resolve(import.meta.dirname, '../../../bin/saddlesurf');
    const target = join(dir, 'sigint');
    const child = spawn(
      process.execPath,
      [
        bin,
        'flow',
        '--n',
        '40',
        '--tmax',
        '1e7',
        '--spacing',
        'linear',
        '--observations',
        '1000000',
        '--out',
        target,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    const status = await new Promise<number | null>((done) => {
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        // Interrupt once the run is under way (first progress line).
        if (err.includes('flow gf:') && !child.killed) child.kill('SIGINT');
      });
      child.on('exit', (code) => done(code));
    });
    expect(status).toBe(130);
    // The first progress line (50 %) is printed when the instance is sampled, so the signal may
    // land just before the descent starts or inside it: both say where they were stopped.
    expect(err).toMatch(/interrupted (at t = |while sampling the instance)/);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('sigint'))).toEqual([]);
  });

  it('exits 2 with one message naming the flag and its range on bad input, leaving nothing behind', async () => {
    const o = (name: string) => ['--out', join(dir, `x-${name}`)];
    const cases: Array<[string[], RegExp]> = [
      [['--p', '2', ...o('p2')], /--p: must be an integer in \[3, 12\]/],
      [['--p', '3.5', ...o('p35')], /--p: must be an integer/],
      [['--delta2', '0', ...o('d2')], /--delta2: must be a real number > 0 or inf/],
      [['--deltap', '-1', ...o('dp')], /--deltap: must be a real number > 0/],
      [['--n', '1', ...o('n1')], /--n: must be an integer in \[3, 100000\]/],
      [
        ['--method', 'langevin', '--temperature', '-1', ...o('t')],
        /--temperature: must be a real number in \[0, 1000000\]/,
      ],
      [['--tmax', '0', ...o('tmax')], /--tmax: must be a real number > 0 and ≤ 1000000000/],
      [['--method', 'sgd', ...o('m')], /--method: must be one of gf, gd, langevin/],
      [['--instance', join(dir, 'missing.npz'), ...o('inst')], /--instance: cannot read/],
      [['--method', 'gd', '--dt', 'inf', ...o('dt')], /--dt: must be a finite real > 0 for --method gd/],
      [['--temperature', '0.5', ...o('tgf')], /--temperature: applies to --method langevin only/],
      [['--m0', '1.5', ...o('m0')], /--m0: must be a real number in \[-1, 1\]/],
      // Runs that would never end (issue 11 item 7): refused up front, naming the flag.
      [
        ['--dt', '1e-300', ...o('gfdt')],
        /--dt: gives 1\.00e\+302 steps at the largest step; tmax\/dt must be ≤ 1e9/,
      ],
      [['--delta2', '1e-300', ...o('stiff2')], /--delta2: 1e-300 makes the flow too stiff/],
      [['--deltap', '1e-300', ...o('stiffp')], /--deltap: 1e-300 makes the flow too stiff/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(message);
      // One message line, plus the CLI's pointer to --help.
      const errLines = r.err.trim().split('\n');
      expect(errLines.length).toBeLessThanOrEqual(2);
      expect(errLines[0]).toMatch(message);
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('x-') || f.includes('partial'))).toEqual([]);
    expect(existsSync(join(dir, 'x-p2'))).toBe(false);
  });
});
