import { describe, expect, it } from 'vitest';
import { LINE_NAMES, thresholds } from '../../phase/index.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'thresholds', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

describe('saddlesurf thresholds', () => {
  it('--json prints one document with every line, equal to the library', async () => {
    const r = await run('--p', '3', '--deltap', '0.7', '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(['p', 'deltap', 'invDelta2']);
    expect(Object.keys(doc.invDelta2)).toEqual([...LINE_NAMES]);
    expect(doc).toEqual({ p: 3, deltap: 0.7, invDelta2: thresholds(3, 0.7) });
    // Closed form of the GF line at p = 3, Δp = 0.7.
    expect(doc.invDelta2.gf).toBeCloseTo((1 + Math.sqrt(1 + 8 / 0.7)) / 2, 14);
  });

  it('writes null for a missing line and "inf" for Δp = ∞; the table labels the conjecture', async () => {
    const r = await run('--p', '4', '--deltap', '5', '--json');
    expect(JSON.parse(r.out).invDelta2.bayesSpinodal).toBeNull();
    const inf = await run('--p', '4', '--deltap', 'inf', '--json');
    expect(JSON.parse(inf.out).deltap).toBe('inf');
    expect(JSON.parse(inf.out).invDelta2.gf).toBe(1);
    const table = await run('--p', '3', '--deltap', '1');
    expect(table.status).toBe(0);
    expect(table.out).toMatch(/langevinConjecture .*CONJECTURE/);
    expect(table.out).toMatch(/gf\s+2\.000000000/);
  });

  it('bad input exits with status 2 and names the flag', async () => {
    for (const [args, flag] of [
      [['--p', '2'], '--p'],
      [['--p', '3.5'], '--p'],
      [['--deltap', '0'], '--deltap'],
      [['--deltap', 'abc'], '--deltap'],
      [['--deltap', '-1'], '--deltap'],
    ] as const) {
      const r = await run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.err).toContain(flag);
      expect(r.out).toBe('');
    }
  });
});
