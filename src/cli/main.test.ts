import { describe, expect, it } from 'vitest';
import { memoryContext } from './context.ts';
import { main } from './main.ts';
import { createProgress } from './progress.ts';

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
