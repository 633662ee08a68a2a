/**
 * A local sweep end to end through the CLI (worker threads): rows equal the single command's
 * --json document, per-task files equal the single command's files, a failed task keeps its
 * error and exit status, rerunning continues without rerunning anything, and a different
 * SPEC into the same directory is refused unless --force.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { parseCsv } from '../io/csv.ts';

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const readJsonl = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('saddlesurf sweep (local pool)', () => {
  it('runs every point; rows and files equal the single commands; failures are rows; reruns continue', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-local-'));
    const spec = join(dir, 'spec.json');
    const out = join(dir, 'out');
    writeFileSync(
      spec,
      JSON.stringify({
        command: 'dmft',
        parameters: { m0: 0.01 },
        points: [
          { delta2: 0.3, tmax: 2 },
          { delta2: 'inf', deltap: 0.5, tmax: 2 },
          // explicit Heun at h = 2 is unstable (h (μ + 2√f''(1)) > 2): found while running, the
          // command refuses --h (exit 2) and the sweep records the failure as a row
          { grid: 'fixed', h: 2, tmax: 40 },
        ],
      }),
    );
    const first = await run('sweep', spec, '--out', out, '--workers', '2', '--json');
    expect(first.err).toContain('1 of 3 tasks failed');
    expect(first.status).toBe(1);
    const jsonl = readJsonl(join(out, 'results.jsonl'));
    expect(jsonl.map((r) => r.status)).toEqual(['ok', 'ok', 'failed']);
    expect(jsonl[2].exitCode).toBe(2);
    expect(jsonl[2].error).toContain("|C(t,t')| > 1");
    const { columns, rows } = parseCsv(readFileSync(join(out, 'results.csv'), 'utf8'));
    expect(columns.slice(0, 7)).toEqual(['task', 'status', 'delta2', 'tmax', 'deltap', 'grid', 'h']);
    expect(columns).toContain('final.m');
    expect(columns).toContain('escapeTime');
    expect(rows[1].slice(0, 5)).toEqual([jsonl[1].task, 'ok', 'inf', '2', '0.5']);
    expect(rows[2][columns.indexOf('exitCode')]).toBe('2');

    // Each ok row is the single command's --json document, and its files are the command's files.
    const singles = [
      ['--delta2', '0.3', '--tmax', '2', '--m0', '0.01'],
      ['--delta2', 'inf', '--deltap', '0.5', '--tmax', '2', '--m0', '0.01'],
    ];
    for (const [i, flags] of singles.entries()) {
      const single = join(dir, `single${i}`);
      const alone = await run('dmft', ...flags, '--out', single, '--json');
      expect(alone.status).toBe(0);
      const { out: _out, ...document } = JSON.parse(alone.out) as Record<string, unknown>;
      expect(jsonl[i].result).toEqual(document);
      const files = readdirSync(join(out, 'tasks', String(jsonl[i].task))).sort();
      expect(files).toEqual(
        readdirSync(single)
          .filter((f) => !f.startsWith('.'))
          .sort(),
      );
      for (const f of files)
        expect(readFileSync(join(out, 'tasks', String(jsonl[i].task), f))).toEqual(
          readFileSync(join(single, f)),
        );
      // the CSV row holds the same numbers (shortest round-trip text)
      const row = rows[i];
      const final = (document.final as Record<string, number>).m;
      expect(Number(row[columns.indexOf('final.m')])).toBe(final);
    }
    const sweepJson = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8'));
    expect(sweepJson.counts).toEqual({ total: 3, ok: 2, failed: 1, pending: 0 });
    expect(sweepJson.failed[0].exitCode).toBe(2);

    // Rerun: nothing runs again (the ledger keeps its three lines), same tables.
    const csv = readFileSync(join(out, 'results.csv'), 'utf8');
    const again = await run('sweep', spec, '--out', out, '--workers', '2');
    expect(again.status).toBe(1);
    expect(again.err).toContain('continuing: 3 tasks already recorded');
    expect(readFileSync(join(out, 'ledger.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe(csv);

    // A different SPEC into the same directory: exit 2, unless --force.
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ command: 'thresholds', grid: { deltap: [1, 2] } }));
    const refused = await run('sweep', other, '--out', out);
    expect(refused.status).toBe(2);
    expect(refused.err).toContain('holds a different sweep (dmft');
    const forced = await run('sweep', other, '--out', out, '--force', '--workers', '1');
    expect(forced.status).toBe(0);
    expect(readJsonl(join(out, 'results.jsonl')).map((r) => r.status)).toEqual(['ok', 'ok']);

    // --force never replaces a directory saddlesurf did not write.
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    const kept = await run('sweep', other, '--out', foreign, '--force');
    expect(kept.status).toBe(2);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
  }, 120_000);
});
