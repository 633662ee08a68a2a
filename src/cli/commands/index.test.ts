import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';
import { commands } from './index.ts';

describe('command registry (lazy)', () => {
  it('each summary is the description its module registers, under the same name', async () => {
    for (const entry of commands) {
      const program = new Command('saddlesurf');
      const module = await entry.load();
      module.register(program, memoryContext());
      const registered = program.commands.find((c) => c.name() === entry.name);
      expect(module.name).toBe(entry.name);
      expect(registered?.description()).toBe(entry.summary);
    }
  });

  it('the top-level help lists every command; a command’s help (or `help COMMAND`) lists its flags', async () => {
    const top = memoryContext();
    expect(await main(['node', 'saddlesurf', '--help'], top)).toBe(0);
    for (const entry of commands) expect(top.out).toMatch(new RegExp(`\\n  ${entry.name} \\[options\\]`));
    for (const argv of [
      ['thresholds', '--help'],
      ['help', 'thresholds'],
    ]) {
      const ctx = memoryContext();
      expect(await main(['node', 'saddlesurf', ...argv], ctx)).toBe(0);
      expect(ctx.out).toContain('--deltap');
    }
  });

  it('a misspelt command still gets a suggestion', async () => {
    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', 'thresholdz'], ctx)).toBe(2);
    expect(ctx.err).toContain('thresholds');
  });
});
