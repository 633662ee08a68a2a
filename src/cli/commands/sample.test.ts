import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpz } from '../../io/index.ts';
import { energy, sampleInstance } from '../../model/index.ts';
import { memoryContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import { loadInstanceFile } from '../instanceFile.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-sample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'sample', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;

describe('saddlesurf sample', () => {
  it('writes the instance the library samples, with provenance, and --json prints one document', async () => {
    const file = join(dir, 'a.npz');
    const r = await run(
      '--n',
      '14',
      '--p',
      '4',
      '--delta2',
      '0.5',
      '--deltap',
      '2',
      '--seed',
      '9',
      '--out',
      file,
      '--json',
    );
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.out);
    expect(summary).toMatchObject({
      n: 14,
      p: 4,
      delta2: 0.5,
      deltap: 2,
      seed: 9,
      precision: 'float64',
      tensorEntries: 1001,
    });
    const expected = sampleInstance({ n: 14, p: 4, delta2: 0.5, deltap: 2, seed: 9 });
    const loaded = loadInstanceFile(file);
    expect(Array.from(loaded.tensor!)).toEqual(Array.from(expected.tensor!));
    expect(Array.from(loaded.matrix!)).toEqual(Array.from(expected.matrix!));
    expect(summary.energyAtSignalPerN).toBe(energy(expected, expected.signal) / 14);
    const params = JSON.parse(
      new TextDecoder().decode(decodeNpz(readFileSync(file)).params.data as Uint8Array),
    );
    expect(params).toMatchObject({
      command: 'sample',
      seed: 9,
      parameters: { n: 14, p: 4, delta2: 0.5, deltap: 2 },
    });
    expect(params.saddlesurf).toMatch(/^\d+\.\d+\.\d+/);
    // Reruns are byte-identical (no timestamps anywhere).
    const again = join(dir, 'a2.npz');
    await run('--n', '14', '--p', '4', '--delta2', '0.5', '--deltap', '2', '--seed', '9', '--out', again);
    expect(Buffer.compare(readFileSync(file), readFileSync(again))).toBe(0);
  });

  it('--json without --out prints the summary (file null) and writes nothing', async () => {
    const before = readdirSync(dir);
    const r = await run('--n', '14', '--p', '4', '--delta2', '0.5', '--deltap', '2', '--seed', '9', '--json');
    expect(r.status).toBe(0);
    const expected = sampleInstance({ n: 14, p: 4, delta2: 0.5, deltap: 2, seed: 9 });
    expect(JSON.parse(r.out)).toMatchObject({ file: null, n: 14, tensorEntries: 1001 });
    expect(JSON.parse(r.out).energyAtSignalPerN).toBe(energy(expected, expected.signal) / 14);
    expect(readdirSync(dir)).toEqual(before);
    const noOut = await run('--n', '14');
    expect(noOut.status).toBe(2);
    expect(noOut.err).toMatch(/--out: is required unless --json is given/);
  });

  it('stores Δ = inf as a switched-off channel and float32 on request', async () => {
    const file = join(dir, 'b.npz');
    const r = await run(
      '--n',
      '10',
      '--delta2',
      'inf',
      '--deltap',
      '1',
      '--precision',
      'float32',
      '--out',
      file,
    );
    expect(r.status).toBe(0);
    expect(r.out).toContain('wrote');
    const loaded = loadInstanceFile(file);
    expect(loaded.delta2).toBe(Number.POSITIVE_INFINITY);
    expect(loaded.matrix).toBeNull();
    expect(loaded.tensor).toBeInstanceOf(Float32Array);
  });

  it('exits 2 naming the flag on bad input, leaving no file behind', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--n', '2', '--out', join(dir, 'x.npz')], /--n/],
      [['--n', '10', '--precision', 'float16', '--out', join(dir, 'x.npz')], /--precision/],
      [['--n', '10', '--delta2', 'inf', '--deltap', 'inf', '--out', join(dir, 'x.npz')], /--delta2/],
      [['--n', '10', '--out', join(dir, 'x.txt')], /--out/],
      [['--n', '100000', '--p', '4', '--out', join(dir, 'x.npz')], /--n: instance too large/],
      // C(1900,3)·4 B = 4.25 GiB: within the budget of a machine with ≥ 17 GiB, never within one .npz.
      [
        ['--n', '1900', '--precision', 'float32', '--out', join(dir, 'x.npz')],
        /--n: .*(does not fit in one \.npz|instance too large)/,
      ],
      [['--n', '10', '--out', join(dir, 'no', 'such', 'x.npz')], /--out/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.status).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('x') || f.includes('partial'))).toEqual([]);
    // An existing file needs --force.
    const file = join(dir, 'c.npz');
    expect((await run('--n', '8', '--out', file)).status).toBe(0);
    expect((await run('--n', '8', '--out', file)).status).toBe(2);
    expect((await run('--n', '8', '--seed', '2', '--out', file, '--force')).status).toBe(0);
    expect(loadInstanceFile(file).seed).toBe(2);
  });

  it('loadInstanceFile turns missing or invalid files into a UsageError naming the flag', () => {
    expect(() => loadInstanceFile(join(dir, 'missing.npz'))).toThrow(UsageError);
    expect(() => loadInstanceFile(join(dir, 'missing.npz'))).toThrow(/--instance: cannot read/);
    const junk = join(dir, 'junk.npz');
    writeFileSync(junk, 'not a zip');
    expect(() => loadInstanceFile(junk, '--from')).toThrow(/--from: .* not a valid saddlesurf instance file/);
    expect(() => loadInstanceFile(dir)).toThrow(/not a regular file/);
  });

  it('numpy loads the file and recomputes H(x*) from the documented packing', async () => {
    const file = join(dir, 'np.npz');
    expect(
      (await run('--n', '11', '--p', '3', '--delta2', '0.7', '--deltap', '1.3', '--seed', '4', '--out', file))
        .status,
    ).toBe(0);
    const inst = loadInstanceFile(file);
    if (!hasNumpy) {
      // python3/numpy absent on this machine: only the in-process checks above apply.
      expect(hasNumpy).toBe(false);
      return;
    }
    // Independent implementation of THEORY §1 in numpy, using itertools.combinations
    // for the packed order documented in src/model/instanceEntries.ts.
    const script = `
import sys, itertools, math, numpy as np
f = np.load(sys.argv[1])
n, p = int(f['n']), int(f['p']); d2, dp = float(f['delta2']), float(f['deltap'])
x, Y, T = f['signal'], f['matrix'], f['tensor']
# Integers as integers (issue 13): n, p, seed are int64 scalars.
assert all(f[k].dtype == np.int64 and f[k].shape == () for k in ('n', 'p', 'seed')), [f[k].dtype for k in ('n', 'p', 'seed')]
assert int(f['seed']) == 4 and f['delta2'].dtype == np.float64
assert Y.shape == (n, n) and T.shape == (math.comb(n, p),) and T.dtype == np.float64
h = -sum(Y[i, j] * x[i] * x[j] for i in range(n) for j in range(i + 1, n)) / (d2 * math.sqrt(n))
h -= math.sqrt(math.factorial(p - 1)) / (dp * n ** ((p - 1) / 2)) * sum(
    T[r] * np.prod(x[list(c)]) for r, c in enumerate(itertools.combinations(range(n), p)))
print(repr(float(h)))
`;
    const py = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const h = Number(py.stdout.trim());
    // Same sums in a different order and summation precision: 1e-12 relative.
    expect(Math.abs(h - energy(inst, inst.signal))).toBeLessThan(1e-12 * (1 + Math.abs(h)));
  });

  it('a large instance drawn on the isolated worker thread is the same file byte for byte', async () => {
    // SADDLESURF_ISOLATE_ENTRIES=0 isolates any size (src/cli/isolated.ts): the thread runs the same
    // task, so the NPZ must not differ from the in-process one.
    const plain = join(dir, 'plain.npz');
    const thread = join(dir, 'thread.npz');
    expect((await run('--n', '25', '--seed', '4', '--out', plain)).status).toBe(0);
    process.env.SADDLESURF_ISOLATE_ENTRIES = '0';
    try {
      expect((await run('--n', '25', '--seed', '4', '--out', thread)).status).toBe(0);
    } finally {
      delete process.env.SADDLESURF_ISOLATE_ENTRIES;
    }
    expect(Buffer.compare(readFileSync(plain), readFileSync(thread))).toBe(0);
  });
});
