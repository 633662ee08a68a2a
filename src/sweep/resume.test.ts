/**
 * Resume after the coordinator is killed: SIGKILL mid-run (plus a torn ledger line, as if
 * killed while writing), then SIGTERM mid-run, then a plain rerun gives byte for byte the
 * results.csv of an uninterrupted run, every task recorded exactly once, none run again.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { readLedger } from './ledger.ts';

const BIN = fileURLToPath(new URL('../../bin/saddlesurf', import.meta.url));

const ledgerLines = (dir: string) => {
  const path = join(dir, 'ledger.jsonl');
  return existsSync(path) ? readLedger(path).entries.size : 0;
};

/** Start a sweep in a child process; resolve once `lines` tasks are recorded, then send `signal`. */
async function interrupt(spec: string, out: string, lines: number, signal: NodeJS.Signals) {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'sweep', spec, '--out', out, '--workers', '2'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  while (ledgerLines(out) < lines && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 20));
  child.kill(signal);
  return { code: await exited, err };
}

describe('sweep resume', () => {
  it('after SIGKILL and SIGTERM of the coordinator, the rerun equals an uninterrupted run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-resume-'));
    const spec = join(dir, 'spec.json');
    const tasks = 16; // ~0.1 s each: a kill after the first record lands mid-run
    writeFileSync(
      spec,
      JSON.stringify({ command: 'thresholds', grid: { p: [3, 4, 5, 6], deltap: [0.5, 1, 2, 4] } }),
    );
    const reference = join(dir, 'reference');
    expect(
      await main(
        ['node', 'saddlesurf', 'sweep', spec, '--out', reference, '--workers', '2'],
        memoryContext(),
      ),
    ).toBe(0);

    const out = join(dir, 'out');
    const killed = await interrupt(spec, out, 1, 'SIGKILL');
    expect(killed.code).toBe(null); // killed, not finished
    const afterKill = ledgerLines(out);
    expect(afterKill).toBeGreaterThanOrEqual(1);
    expect(afterKill).toBeLessThan(tasks);
    appendFileSync(join(out, 'ledger.jsonl'), '{"task":"0123456789abcdef","status":"o'); // torn write

    const terminated = await interrupt(spec, out, afterKill + 1, 'SIGTERM');
    expect(terminated.err).toContain(`continuing: ${afterKill} tasks already recorded`);
    const afterTerm = ledgerLines(out);
    if (afterTerm < tasks) {
      expect(terminated.code).toBe(143);
      expect(terminated.err).toContain('rerun the same command to continue');
      expect(terminated.err).not.toContain('no output written');
    }

    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', 'sweep', spec, '--out', out, '--workers', '2'], ctx)).toBe(0);
    expect(ctx.err).toContain(`continuing: ${afterTerm} tasks already recorded`);
    expect(readFileSync(join(out, 'results.csv'), 'utf8')).toBe(
      readFileSync(join(reference, 'results.csv'), 'utf8'),
    );
    const lines = readFileSync(join(out, 'ledger.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(tasks); // the torn line was cut off, no task recorded twice
    expect(new Set(lines.map((l) => JSON.parse(l).task)).size).toBe(tasks);
  }, 180_000);
});
