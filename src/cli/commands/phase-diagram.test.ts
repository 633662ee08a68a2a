import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bayesRegions } from '../../amp/index.ts';
import { LINE_NAMES, thresholdLines } from '../../phase/index.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-phase-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'phase-diagram', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

function readCsv(path: string): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('saddlesurf phase-diagram', () => {
  it('writes lines.csv and regions.csv equal to the library', async () => {
    const out = join(dir, 'a');
    const grid = ['--deltap-min', '0.5', '--deltap-max', '2', '--points', '4', '--spacing', 'linear'];
    const r = await run('--p', '4', ...grid, '--out', out, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.deltap).toEqual([0.5, 1, 1.5, 2]);
    const lines = readCsv(join(out, 'lines.csv'));
    expect(lines.header).toEqual(['deltap', 'line', 'inv_delta2']);
    expect(lines.rows).toHaveLength(4 * LINE_NAMES.length);
    const lib = thresholdLines(4, [0.5, 1, 1.5, 2]);
    for (const [deltap, line, value] of lines.rows) {
      const i = doc.deltap.indexOf(Number(deltap));
      const expected = lib[line as (typeof LINE_NAMES)[number]][i];
      if (expected === null) expect(value).toBe('');
      else expect(Number(value)).toBe(expected);
    }
    const regions = readCsv(join(out, 'regions.csv'));
    expect(regions.header).toEqual(['deltap', 'region', 'segment', 'inv_delta2_from', 'inv_delta2_to']);
    const at = regions.rows.filter((x) => Number(x[0]) === 0.5);
    const libRegions = bayesRegions(4, 0.5);
    expect(at).toHaveLength(libRegions.length);
    expect(at[at.length - 1][4]).toBe('inf');
    expect(at.map((x) => x[1])).toEqual(libRegions.map((x) => x.region));
  });

  it('bad input exits with status 2, names the flag and leaves no output behind', async () => {
    for (const [args, flag] of [
      [['--deltap-min', '2', '--deltap-max', '1'], '--deltap-max'],
      [['--deltap-min', '0'], '--deltap-min'],
      [['--points', '1'], '--points'],
      [['--spacing', 'cubic'], '--spacing'],
      [['--p', '13'], '--p'],
    ] as const) {
      const out = join(dir, `bad${flag}`);
      const r = await run(...args, '--out', out);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err).toContain(flag);
      expect(existsSync(out)).toBe(false);
    }
  });
});
