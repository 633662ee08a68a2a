/**
 * `--plot`: the command's own figure as SVG and PNG next to its data, drawn by the builders
 * `reproduce` uses; without `--out` it is a usage error (the figure is a file).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from './context.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];

describe('--plot', () => {
  const cases: Array<[string, string[], string]> = [
    ['phase-diagram', ['--points', '8'], 'phase-diagram'],
    ['landscape', ['--points', '41'], 'complexity'],
    ['dmft', ['--tmax', '5', '--m0', '0.1', '--window', '32'], 'dynamics'],
    ['amp', ['--n', '30', '--variant', 'bayes', '--iters', '10'], 'iterations'],
    ['flow', ['--n', '20', '--tmax', '2', '--m0', '0.3', '--observations', '10'], 'trajectory'],
  ];
  for (const [command, args, figure] of cases) {
    it(`${command} writes ${figure}.svg and ${figure}.png beside its data`, async () => {
      const out = join(dir, command);
      const r = await run(command, ...args, '--out', out, '--plot');
      expect(r.status, r.err).toBe(0);
      const files = readdirSync(out);
      expect(files).toEqual(expect.arrayContaining([`${figure}.svg`, `${figure}.png`, 'params.json']));
      const svg = readFileSync(join(out, `${figure}.svg`), 'utf8');
      expect(svg.startsWith('<?xml')).toBe(true);
      expect(svg).toContain('<svg');
      expect([...readFileSync(join(out, `${figure}.png`)).subarray(0, 4)]).toEqual(PNG_MAGIC);
    });
  }

  it('needs --out', async () => {
    const r = await run('landscape', '--json', '--plot');
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/--plot: needs --out/);
  });
});
