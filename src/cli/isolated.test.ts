/**
 * An isolated run (on a worker thread, src/cli/isolated.ts) writes the same bytes as the same run
 * in process: every file, the --json document, the figure; errors keep their exit status.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { memoryContext } from './context.ts';
import { tensorEntries } from './isolated.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-isolated-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.SADDLESURF_ISOLATE_ENTRIES;
});

async function run(args: string[], isolated: boolean) {
  if (isolated) process.env.SADDLESURF_ISOLATE_ENTRIES = '0';
  else delete process.env.SADDLESURF_ISOLATE_ENTRIES;
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
}

describe('isolated runs', () => {
  it('C(N, p)', () => {
    expect(tensorEntries(1000, 3)).toBe(166167000);
    expect(tensorEntries(10, 4)).toBe(210);
  });

  it('flow langevin with --plot and amp: the same files, byte for byte, and the same document', {
    timeout: 60_000,
  }, async () => {
    for (const args of [
      ['flow', '--n', '40', '--method', 'langevin', '--tmax', '2', '--hessian-every', '5', '--plot'],
      ['amp', '--n', '40', '--iters', '20'],
    ]) {
      const a = await run([...args, '--out', join(dir, `${args[0]}-in`), '--json'], false);
      const b = await run([...args, '--out', join(dir, `${args[0]}-iso`), '--json'], true);
      expect([a.status, b.status], a.err + b.err).toEqual([0, 0]);
      expect({ ...JSON.parse(b.out), out: null }).toEqual({ ...JSON.parse(a.out), out: null });
      const files = readdirSync(join(dir, `${args[0]}-in`)).sort();
      expect(readdirSync(join(dir, `${args[0]}-iso`)).sort()).toEqual(files);
      for (const f of files)
        expect(
          readFileSync(join(dir, `${args[0]}-iso`, f)).equals(readFileSync(join(dir, `${args[0]}-in`, f))),
          f,
        ).toBe(true);
    }
  });

  it('Ctrl-C terminates the thread: exit 130, nothing left', async () => {
    const ctx = memoryContext();
    process.env.SADDLESURF_ISOLATE_ENTRIES = '0';
    const pending = main(
      ['node', 'saddlesurf', 'flow', '--n', '60', '--tmax', '1e6', '--out', join(dir, 'c')],
      ctx,
    );
    setTimeout(() => ctx.controller.abort('SIGINT'), 1500);
    expect(await pending).toBe(130);
    expect(ctx.err).toContain('no output written');
    expect(readdirSync(dir).filter((f) => f.startsWith('.c.'))).toEqual([]);
  });
});
