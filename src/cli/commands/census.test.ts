import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kacRiceMinima, mirrorOverlap } from '../../census/index.ts';
import { gradientFlowEndState } from '../../dmft/index.ts';
import { channelCovariance } from '../../model/index.ts';
import { tasks } from '../../tasks/index.ts';
import { TaskCancelledError } from '../../tasks/task.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-census-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'census', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const small = ['--n', '12', '--p', '4', '--delta2', '2', '--deltap', '1', '--seed', '3'];
const plan = ['--descents', '10', '--signal-starts', '1', '--instances', '2'];

describe('saddlesurf census', () => {
  it('writes params.json, census.csv (a row per descent) and minima.csv; --json prints the document', async () => {
    const out = join(dir, 'a');
    const r = await run(...small, ...plan, '--out', out, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.parameters).toMatchObject({ n: 12, p: 4, delta2: 2, deltap: 1, instances: 2, descents: 10 });
    expect(doc.seed).toBe(3);
    expect(doc.instances.map((s: { seed: number }) => s.seed)).toEqual([3, 4]);
    const total = Object.values(doc.summary.counts as Record<string, number>).reduce((a, b) => a + b, 0);
    expect(total).toBe(2 * (10 + 2));
    const params = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(params).toMatchObject({ command: 'census', seed: 3, parameters: { n: 12, epsilon: 0.001 } });
    const rows = readFileSync(join(out, 'census.csv'), 'utf8').trim().split('\n');
    expect(rows[0]).toBe(
      'instance_seed,descent,start,m0,t,m,energy,mu,grad_norm,index,lambda_min,newton_steps,class,cluster',
    );
    expect(rows).toHaveLength(1 + total);
    const starts = rows.slice(1).map((l) => l.split(',')[2]);
    expect(starts.filter((s) => s === 'signal')).toHaveLength(2);
    const minima = readFileSync(join(out, 'minima.csv'), 'utf8').trim().split('\n');
    const distinct = doc.instances.reduce(
      (a: number, s: { distinctMinima: number }) => a + s.distinctMinima,
      0,
    );
    expect(minima).toHaveLength(1 + distinct);
    // Same seed, same document (starts come from the seed's stream 1).
    const again = await run(...small, ...plan, '--json');
    expect(JSON.parse(again.out).instances).toEqual(doc.instances);
  });

  it('--instance: the census of a sample file equals that of the same seed sampled in place', async () => {
    const ctx = memoryContext();
    const file = join(dir, 'inst.npz');
    expect(await main(['node', 'saddlesurf', 'sample', ...small, '--out', file], ctx)).toBe(0);
    const fromFile = await run('--instance', file, '--seed', '3', '--descents', '6', '--json');
    const sampled = await run(...small, '--descents', '6', '--json');
    expect(fromFile.status).toBe(0);
    expect(JSON.parse(fromFile.out).instances).toEqual(JSON.parse(sampled.out).instances);
    expect(JSON.parse(fromFile.out).parameters).toMatchObject({
      instance: file,
      instanceSeed: 3,
      n: 12,
      p: 4,
    });
    const two = await run('--instance', file, '--instances', '2', '--json');
    expect(two.status).toBe(2);
    expect(two.err).toContain('--instances');
  });

  it('exit 2 naming the flag on bad input', async () => {
    for (const [args, flag] of [
      [['--n', '2'], '--n'],
      [['--epsilon', '1'], '--epsilon'],
      [['--descents', '0', '--signal-starts', '0'], '--descents'],
      [['--method', 'gd', '--dt', 'inf'], '--dt'],
      [['--delta2', 'inf', '--deltap', 'inf'], '--delta2'],
      [['--gtol', '-1'], '--gtol'],
    ] as const) {
      const r = await run(...args, '--json');
      expect(r.status).toBe(2);
      expect(r.err).toContain(flag);
    }
  });

  it('--channels: 2+p as a channel set is the plain census bit for bit; three channels run end to end', async () => {
    const plain = await run(...small, '--descents', '6', '--json');
    const asSet = await run('--n', '12', '--seed', '3', '--channels', '2:2,4:1', '--descents', '6', '--json');
    expect(asSet.status).toBe(0);
    const a = JSON.parse(plain.out);
    const b = JSON.parse(asSet.out);
    expect(b.instances).toEqual(a.instances);
    expect(b.theory).toEqual(a.theory);
    expect(b.parameters.channels).toEqual([
      { order: 2, delta: 2 },
      { order: 4, delta: 1 },
    ]);
    // Three channels (matrix, order 3, order 4): the references use the whole covariance.
    const out = join(dir, 'channels');
    const three = await run(
      ...[
        '--n',
        '10',
        '--seed',
        '2',
        '--channels',
        '2:0.5,3:2,4:4',
        '--descents',
        '8',
        '--signal-starts',
        '1',
      ],
      ...['--out', out, '--json'],
    );
    expect(three.status).toBe(0);
    const doc = JSON.parse(three.out);
    const cov = channelCovariance([
      { order: 2, delta: 0.5 },
      { order: 3, delta: 2 },
      { order: 4, delta: 4 },
    ]);
    expect(doc.theory.gradientFlowEndState.m).toBe(gradientFlowEndState(cov)!.m);
    expect(doc.theory.kacRice.complexity).toBe(kacRiceMinima(cov).complexity);
    // Mixed parity: no H(−x) = H(x) symmetry, so not −m* but the odd-branch root, of which this
    // model has none (src/census/README.md); with even orders only it is −m*.
    expect(doc.theory.mirrorOverlap).toBeNull();
    expect(mirrorOverlap(cov, false)).toBeNull();
    const params = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(params.parameters.channels).toHaveLength(3);
    const total = Object.values(doc.summary.counts as Record<string, number>).reduce((x, y) => x + y, 0);
    expect(total).toBe(10);
    const excl = await run('--channels', '2:0.5,3:2', '--p', '3', '--json');
    expect(excl.status).toBe(2);
    expect(excl.err).toContain('--p');
  });

  it('an aborted signal cancels the run with TaskCancelledError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 100);
    const params = tasks.census.validate({ n: 40, p: 3, descents: 100000 });
    await expect(tasks.census.run(params, { signal: controller.signal })).rejects.toThrow(TaskCancelledError);
  });
});
