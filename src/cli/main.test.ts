import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from './context.ts';
import { UsageError } from './errors.ts';
import { main } from './main.ts';
import { withOutputDir } from './output.ts';
import { createProgress } from './progress.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('main', () => {
  it('prints help listing the commands, and version', async () => {
    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', '--help'], ctx)).toBe(0);
    expect(ctx.out).toContain('version');
    const v = memoryContext();
    expect(await main(['node', 'saddlesurf', 'version', '--json'], v)).toBe(0);
    expect(JSON.parse(v.out).saddlesurf).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 on unknown commands and flags', async () => {
    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', 'nope'], ctx)).toBe(2);
    expect(ctx.err).toContain("unknown command 'nope'");
    expect(await main(['node', 'saddlesurf', 'version', '--bogus'], memoryContext())).toBe(2);
  });
});

describe('withOutputDir', () => {
  it('renames into place on success and leaves nothing on failure', async () => {
    const target = join(dir, 'run');
    await withOutputDir(target, false, (out) => out.text('a.txt', 'x'));
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('x');
    await expect(withOutputDir(target, false, () => undefined)).rejects.toThrow(UsageError);
    const failing = join(dir, 'failing');
    await expect(
      withOutputDir(failing, false, (out) => {
        out.text('half.txt', 'half');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(failing)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
    await withOutputDir(target, true, (out) => out.text('b.txt', 'y'));
    expect(readdirSync(target)).toEqual(['b.txt']);
  });

  it('refuses a file as output directory and a missing parent', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(withOutputDir(join(dir, 'file'), true, () => undefined)).rejects.toThrow(/not a directory/);
    await expect(withOutputDir(join(dir, 'no', 'such'), false, () => undefined)).rejects.toThrow(
      /does not exist/,
    );
  });
});

describe('createProgress', () => {
  it('writes throttled plain lines off a terminal and JSON lines with --json', () => {
    let clock = 0;
    const ctx = memoryContext();
    ctx.now = () => clock;
    const plain = createProgress(ctx, { label: 'job', total: 10 });
    plain.update(1);
    plain.update(2); // throttled: same instant
    clock = 5000;
    plain.update(5, 't=5');
    plain.stop();
    expect(ctx.err.trim().split('\n')).toEqual(['job: 10.0%', 'job: 50.0% t=5', 'job: 100.0% (done)']);
    const jctx = memoryContext();
    const json = createProgress(jctx, { label: 'job', total: 4, json: true });
    json.stop();
    expect(JSON.parse(jctx.err).progress).toMatchObject({ label: 'job', fraction: 1, done: true });
    const actx = memoryContext();
    const aborted = createProgress(actx, { label: 'job', total: 10 });
    aborted.update(3);
    aborted.stop('aborted');
    expect(actx.err.trim().split('\n').at(-1)).toBe('job: 30.0% aborted');
  });
});
