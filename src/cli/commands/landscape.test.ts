import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  complexityAll,
  complexityMinima,
  signalMinimum,
  thresholdMultiplier,
} from '../../landscape/index.ts';
import { spikedCovariance } from '../../model/index.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-landscape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'landscape', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('saddlesurf landscape', () => {
  it('writes complexity.csv and spectrum.csv from the library, --json is one document', async () => {
    const out = join(dir, 'a');
    const model = ['--p', '3', '--delta2', '0.4', '--deltap', '1'];
    const r = await run(...model, '--points', '21', '--spectrum-points', '101', '--out', out, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    const f = spikedCovariance({ p: 3, delta2: 0.4, deltap: 1 });
    expect(doc.zeroOverlap.muThreshold).toBe(thresholdMultiplier(f));
    expect(doc.zeroOverlap.complexityMinima).toBe(complexityMinima(f, 0).complexity);
    // 1/Δ2 = 2.5 is above the GF line 2: the threshold states have a negative BBP outlier.
    expect(doc.zeroOverlap.outlier).toBeLessThan(0);
    const s = signalMinimum(f)!;
    expect(doc.signalMinimum).toMatchObject({ m: s.m, mu: s.mu, energy: s.energy });
    // THEORY §4.2 check through the CLI: zero complexity at the signal minimum.
    expect(Math.abs(doc.signalMinimum.complexity)).toBeLessThan(1e-10);
    expect(doc.spuriousMinima.all.m).toBeLessThan(0);

    const c = readCsv(join(out, 'complexity.csv'));
    expect(c.header).toEqual(['m', 'complexity_minima', 'complexity_all', 'mu_argmax', 'energy_argmax']);
    expect(c.rows).toHaveLength(21);
    const mid = c.rows[10].map(Number);
    expect(mid[0]).toBeCloseTo(0, 15);
    expect(mid[1]).toBe(complexityMinima(f, mid[0]).complexity);
    expect(mid[2]).toBe(complexityAll(f, mid[0]).complexity);
    for (const row of c.rows) expect(Number(row[1])).toBeLessThanOrEqual(Number(row[2]));

    const sp = readCsv(join(out, 'spectrum.csv'));
    expect(sp.header).toEqual(['state', 'kind', 'lambda', 'density', 'overlap']);
    const bulk = sp.rows
      .filter((x) => x[0] === 'threshold' && x[1] === 'bulk')
      .map((x) => x.slice(2, 4).map(Number));
    expect(bulk).toHaveLength(101);
    // The sampled density integrates to 1: trapezoid on 101 points of a square-root-edged law
    // has error O(h^{3/2}) ≈ 1e-3; 5e-3 margin.
    let mass = 0;
    for (let i = 1; i < bulk.length; i++)
      mass += 0.5 * (bulk[i][1] + bulk[i - 1][1]) * (bulk[i][0] - bulk[i - 1][0]);
    expect(mass).toBeCloseTo(1, 2);
    const outlier = sp.rows.find((x) => x[0] === 'threshold' && x[1] === 'outlier')!;
    expect(Number(outlier[2])).toBe(doc.zeroOverlap.outlier);
    expect(sp.rows.some((x) => x[0] === 'signal')).toBe(true);
    const params = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(params).toMatchObject({
      command: 'landscape',
      parameters: { p: 3, delta2: 0.4, deltap: 1, points: 21 },
    });
  });

  it('pure tensor model: no signal minimum, threshold energy of the pure 3-spin', async () => {
    const r = await run(
      '--p',
      '3',
      '--delta2',
      'inf',
      '--deltap',
      '1',
      '--points',
      '5',
      '--out',
      join(dir, 'b'),
      '--json',
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.delta2).toBe('inf');
    expect(doc.signalMinimum).toBeNull();
    // Closed form e_th = −2√2/3 (THEORY §3).
    expect(doc.zeroOverlap.energyThreshold).toBeCloseTo((-2 * Math.SQRT2) / 3, 14);
  });

  it('bad input exits with status 2, names the flag and leaves no output behind', async () => {
    for (const [args, flag] of [
      [['--delta2', 'inf', '--deltap', 'inf'], '--delta2'],
      [['--delta2', '0'], '--delta2'],
      [['--points', '2'], '--points'],
      [['--p', '1'], '--p'],
    ] as const) {
      const out = join(dir, `bad${flag}${args.length}`);
      const r = await run(...args, '--out', out);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err).toContain(flag);
      expect(existsSync(out)).toBe(false);
    }
    const missing = await run('--p', '3');
    expect(missing.status).toBe(2);
    expect(missing.err).toContain('--out');
    expect(readdirSync(dir).some((n) => n.includes('partial'))).toBe(false);
  });
});
