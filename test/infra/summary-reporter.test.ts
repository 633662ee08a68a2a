/**
 * The closing line of `npm test` (scripts/summary-reporter.ts) counts every failure: failed
 * tests, test files that fail to load, hooks that throw, unhandled errors.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CountedModule, summaryLine, tally } from '../../scripts/summary-reporter.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A fake reported module: test states, module-level errors, suites with their errors. */
function fakeModule(
  id: string,
  tests: string[],
  opts: { state?: string; errors?: number; suiteErrors?: number[] } = {},
): CountedModule {
  const failed = tests.includes('failed') || (opts.errors ?? 0) > 0;
  return {
    moduleId: `/repo/${id}`,
    relativeModuleId: id,
    state: () => opts.state ?? (failed ? 'failed' : 'passed'),
    errors: () => Array.from({ length: opts.errors ?? 0 }, () => new Error(id)),
    children: {
      allTests: () => tests.map((state) => ({ result: () => ({ state }) })),
      allSuites: () =>
        (opts.suiteErrors ?? []).map((n) => ({
          state: () => (n > 0 ? 'failed' : 'passed'),
          errors: () => Array.from({ length: n }, () => new Error('hook')),
        })),
    },
  };
}

describe('tally', () => {
  it('counts tests by state', () => {
    const t = tally([fakeModule('a.test.ts', ['passed', 'passed', 'failed', 'skipped', 'pending'])], 0);
    expect(t).toEqual({ passed: 2, failed: 1, skipped: 2, brokenFiles: [] });
    expect(summaryLine(t)).toBe('2 passed, 1 failed, 2 skipped');
  });

  it('a file that failed to load is a failure even though it ran no test', () => {
    const t = tally(
      [fakeModule('ok.test.ts', ['passed']), fakeModule('broken.test.ts', [], { errors: 1 })],
      0,
    );
    expect(summaryLine(t)).toBe('1 passed, 1 failed');
    expect(t.brokenFiles).toEqual(['broken.test.ts']);
  });

  it('a beforeAll that throws is a failure although its tests only report skipped', () => {
    // The case of a missing browser: 13 tests "skipped", the file failed.
    const t = tally([fakeModule('e2e.test.ts', Array(13).fill('skipped'), { errors: 1 })], 0);
    expect(summaryLine(t)).toBe('0 passed, 1 failed, 13 skipped');
  });

  it('a suite hook error counts once per suite; a failed module without any recorded error still counts', () => {
    const t = tally(
      [
        fakeModule('s.test.ts', ['passed', 'skipped'], { state: 'failed', suiteErrors: [1, 0, 2] }),
        fakeModule('odd.test.ts', ['passed'], { state: 'failed' }),
      ],
      0,
    );
    expect(t.failed).toBe(3);
    expect(t.brokenFiles).toEqual(['s.test.ts', 'odd.test.ts']);
  });

  it('adds unhandled errors', () => {
    expect(tally([fakeModule('a.test.ts', ['passed'])], 2).failed).toBe(2);
  });
});

describe('summary reporter in a real vitest run', () => {
  it('ends with a line that counts load, hook and unhandled failures', () => {
    // test/infra/fixtures: 1 passing + 1 skipped test, 1 failing test, 1 file that throws at
    // import, 1 file whose beforeAll throws (2 tests never run), 1 test leaving an unhandled error.
    const run = spawnSync(
      process.execPath,
      ['node_modules/vitest/vitest.mjs', 'run', '--config', 'test/infra/fixtures/vitest.config.ts'],
      { cwd: REPO, encoding: 'utf8', env: { ...process.env, CI: '', FORCE_COLOR: '0' } },
    );
    const lines = run.stdout.trim().split('\n');
    expect(run.status).toBe(1);
    expect(lines.at(-1)).toBe('2 passed, 4 failed, 3 skipped');
    expect(run.stdout).toMatch(
      /failed outside their tests.*hook-error\.fixture\.ts, load-error\.fixture\.ts/,
    );
  });
});
