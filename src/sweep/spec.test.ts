import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { UsageError } from '../cli/errors.ts';
import { main } from '../cli/main.ts';
import { getTask } from '../tasks/index.ts';
import { expandSpec } from './spec.ts';

const expand = (spec: unknown, version = '0.1.0') =>
  expandSpec(spec, getTask, version, ['dmft', 'thresholds']);

/** The UsageError message of expanding `spec` (fails the test if it expands). */
function usageMessage(spec: unknown): string {
  try {
    expand(spec);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(spec)}`);
}

describe('expandSpec', () => {
  it('expands grid (first key slowest) × zip × points × seeds in order', () => {
    const sweep = expand({
      command: 'dmft',
      parameters: { tmax: 5 },
      grid: { delta2: [0.3, 0.4], deltap: [1, 2] },
      zip: { m0: [0.01, 0.02], tol: [1e-7, 1e-8] },
      points: [{ window: 64 }, { window: 128 }],
    });
    expect(sweep.tasks).toHaveLength(2 * 2 * 2 * 2);
    expect(sweep.varying).toEqual(['delta2', 'deltap', 'm0', 'tol', 'window']);
    expect(sweep.tasks.slice(0, 3).map((t) => t.point)).toEqual([
      { delta2: 0.3, deltap: 1, m0: 0.01, tol: 1e-7, window: 64 },
      { delta2: 0.3, deltap: 1, m0: 0.01, tol: 1e-7, window: 128 },
      { delta2: 0.3, deltap: 1, m0: 0.02, tol: 1e-8, window: 64 },
    ]);
    expect(sweep.tasks[0].raw).toEqual({ tmax: 5, delta2: 0.3, deltap: 1, m0: 0.01, tol: 1e-7, window: 64 });
    expect(new Set(sweep.tasks.map((t) => t.id)).size).toBe(16);
  });

  it('gives a task the same id however its parameters are written, and a new one per version', () => {
    const a = expand({ command: 'thresholds', parameters: { p: 3, deltap: 2 } }).tasks[0].id;
    const b = expand({ command: 'thresholds', grid: { deltap: ['2'] } }).tasks[0].id; // p = 3 is the default
    const c = expand({ command: 'thresholds', parameters: { deltap: 2 } }, '0.2.0').tasks[0].id;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
  });

  it('expands seeds from a list or {from, count}', () => {
    const spec = { command: 'thresholds', grid: { deltap: [1, 2] } };
    // thresholds has no --seed: the seed key is refused by the command's own validation
    expect(usageMessage({ ...spec, seeds: [1, 2] })).toMatch(
      /seeds\[0\].*--seed.*not a parameter of thresholds/,
    );
    expect(usageMessage({ ...spec, seeds: { from: 1, count: 0 } })).toMatch(/^seeds\.count: /);
    expect(usageMessage({ ...spec, seeds: { start: 1 } })).toMatch(/^seeds\.start: unknown key/);
  });

  it.each([
    [
      { command: 'dmft', grid: { delta2: [0.3, -1] } },
      /^grid\.delta2\[1\]: --delta2: must be a real number > 0/,
    ],
    [{ command: 'dmft', parameters: { tmax: 0 } }, /^parameters\.tmax: --tmax: must be/],
    [
      { command: 'dmft', parameters: { tmaxx: 1 } },
      /^parameters\.tmaxx: --tmaxx: is not a parameter of dmft/,
    ],
    [
      { command: 'dmft', zip: { delta2: [0.3], deltap: [1, 2] } },
      /^zip\.deltap: has 2 values, zip\.delta2 has 1/,
    ],
    [
      { command: 'dmft', points: [{ grid: 'fixd' }] },
      /^points\[0\]\.grid: --grid: must be one of fixed, adaptive/,
    ],
    [{ command: 'dmft', grid: { delta2: [] } }, /^grid\.delta2: must be a non-empty list/],
    [{ command: 'dmft', grid: { delta2: [[1]] } }, /^grid\.delta2\[0\]: must be a number, string or boolean/],
    [
      { command: 'dmft', grid: { delta2: [0.3] }, parameters: { delta2: 0.4 } },
      /^grid\.delta2\[0\]: delta2 is already set by parameters\.delta2/,
    ],
    [
      { command: 'dmft', grid: { delta2: [0.3, 0.3] } },
      /^grid\.delta2\[1\]: is the same task as grid\.delta2\[0\]/,
    ],
    [{ command: 'dmft', parameters: { out: 'x' } }, /^parameters\.out: --out is set by the sweep/],
    [{ command: 'nope' }, /^command: 'nope' is not a computing command \(one of dmft, thresholds\)/],
    [{ grid: {} }, /^command: must be a command name/],
    [{ command: 'dmft', extra: 1 }, /^extra: unknown key/],
    [[1, 2], /^SPEC: must be a JSON object/],
  ])('refuses %j naming the key', (spec, message) => {
    expect(usageMessage(spec)).toMatch(message);
  });
});

describe('saddlesurf sweep: validation before anything runs', () => {
  it('exits 2 naming the SPEC key, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-spec-'));
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify({ command: 'dmft', grid: { delta2: [0.3, 'x'] } }));
    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', 'sweep', spec, '--out', join(dir, 'out')], ctx)).toBe(2);
    expect(ctx.err).toContain("grid.delta2[1]: --delta2: must be a real number > 0 or inf, got 'x'");
    const bad = memoryContext();
    writeFileSync(spec, '{ "command": ');
    expect(await main(['node', 'saddlesurf', 'sweep', spec, '--out', join(dir, 'out')], bad)).toBe(2);
    expect(bad.err).toContain('not valid JSON');
    const url = memoryContext();
    expect(
      await main(
        ['node', 'saddlesurf', 'sweep', spec, '--out', join(dir, 'out'), '--redis', 'localhost'],
        url,
      ),
    ).toBe(2);
    expect(url.err).toContain('--redis: must be a redis:// or rediss:// URL');
  });
});
