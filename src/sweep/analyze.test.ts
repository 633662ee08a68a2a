/**
 * `sweep analyze --escape-threshold` on a sweep directory written by the engine, whose escape
 * times come from an exact power law t = A (1/Δ2 − a_c)^(−θ) with a_c the closed-form GF
 * threshold (THEORY §5) instead of from dmft: the analysis must return a_c per Δp. The fit
 * itself is tested against the dynamics in src/phase/ and src/reproduce/.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { parseCsv } from '../io/csv.ts';
import { gfThreshold } from '../phase/index.ts';
import { getTask } from '../tasks/index.ts';
import { VERSION } from '../version.ts';
import type { Executor } from './engine.ts';
import { runSweep } from './engine.ts';
import { expandSpec } from './spec.ts';
import { prepareSweepDir } from './sweepDir.ts';

/** An executor answering each dmft task with the power-law escape time at its (Δ2, Δp). */
const powerLawExecutor: Executor = {
  running: 0,
  async execute(jobs, onOutcome) {
    for (const job of jobs) {
      const parameters = getTask('dmft')?.validate(job.raw) as { p: number; delta2: number; deltap: number };
      const x = 1 / parameters.delta2;
      const escapeTime = 7 * (x - gfThreshold(parameters.p, parameters.deltap)) ** -1.3;
      onOutcome({ task: job.task, status: 'ok', result: { escapeTime, parameters }, files: {}, seconds: 0 });
    }
  },
  close: async () => {},
};

describe('sweep analyze --escape-threshold', () => {
  it('extrapolates the threshold per Δp with error bars, CSV and figure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sweep-analyze-'));
    const out = join(dir, 'sweep');
    const invDelta2 = [2.3, 2.5, 2.8, 3.2, 4];
    const sweep = expandSpec(
      {
        command: 'dmft',
        parameters: { tmax: 300 },
        grid: { deltap: [1, 2], delta2: invDelta2.map((x) => 1 / x) },
      },
      getTask,
      VERSION,
    );
    prepareSweepDir(out, sweep, false);
    await runSweep({ sweep, dir: out, executor: powerLawExecutor });
    const ctx = memoryContext();
    expect(
      await main(['node', 'saddlesurf', 'sweep', 'analyze', out, '--escape-threshold', '--json'], ctx),
    ).toBe(0);
    const { thresholds } = JSON.parse(ctx.out);
    expect(thresholds).toHaveLength(2);
    for (const row of thresholds) {
      // an exact power law: the profile fit recovers a_c to the optimiser's tolerance (~1e-6 relative)
      expect(row.fit.threshold).toBeCloseTo(gfThreshold(3, row.deltap), 5);
      expect(row.fit.exponent).toBeCloseTo(1.3, 4);
      expect(row.reference).toBe(gfThreshold(3, row.deltap));
      expect(row.group).toEqual({ deltap: row.deltap });
    }
    const csv = parseCsv(readFileSync(join(out, 'analysis', 'escape-threshold.csv'), 'utf8'));
    expect(csv.columns.slice(0, 6)).toEqual(['p', 'deltap', 'temperature', 'runs', 'escaped', 'threshold']);
    expect(csv.rows.map((r) => r.slice(0, 5))).toEqual([
      ['3', '1', '0', '5', '5'],
      ['3', '2', '0', '5', '5'],
    ]);
    expect(readFileSync(join(out, 'analysis', 'escape-threshold.svg'), 'utf8')).toContain('<svg');
    expect(existsSync(join(out, 'analysis', 'escape-threshold.png'))).toBe(true);

    // Not a dmft sweep over Δ2: exit 2 naming the flag.
    const spec = join(dir, 'spec.json');
    writeFileSync(
      spec,
      JSON.stringify({ command: 'dmft', grid: { deltap: [1, 2] }, parameters: { tmax: 1 } }),
    );
    const other = expandSpec(JSON.parse(readFileSync(spec, 'utf8')), getTask, VERSION);
    const otherDir = join(dir, 'other');
    prepareSweepDir(otherDir, other, false);
    await runSweep({ sweep: other, dir: otherDir, executor: powerLawExecutor });
    const bad = memoryContext();
    expect(await main(['node', 'saddlesurf', 'sweep', 'analyze', otherDir, '--escape-threshold'], bad)).toBe(
      2,
    );
    expect(bad.err).toContain('--escape-threshold: needs delta2 among the swept parameters');
  }, 60_000);
});
