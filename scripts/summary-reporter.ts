/**
 * A vitest reporter that ends the run with one plain line `N passed, N failed` (plus
 * `, N skipped`), the closing line CI recognises (DEVELOPERS.md, set-up contract).
 *
 * A failure outside a test counts as a failure: a test file that fails to load or whose
 * `beforeAll`/`afterAll` throws (its tests then report "skipped"), a suite hook that throws,
 * and every unhandled error. So the line never says "0 failed" when something did not run.
 * When the browser tests were left out for lack of Chromium (scripts/browser.ts), it says so
 * loudly just before the summary line.
 */
import type { Reporter } from 'vitest/node';

/** The parts of vitest's reported tasks the count reads (structural, so it can be unit-tested). */
export interface CountedTest {
  result(): { readonly state: string };
}
export interface CountedSuite {
  state(): string;
  errors(): ReadonlyArray<unknown>;
}
export interface CountedModule extends CountedSuite {
  readonly relativeModuleId?: string;
  readonly moduleId: string;
  readonly children: {
    allTests(): Iterable<CountedTest>;
    allSuites(): Iterable<CountedSuite>;
  };
}

export interface Tally {
  passed: number;
  /** Failed tests + failures outside tests + unhandled errors. */
  failed: number;
  skipped: number;
  /** Test files that failed outside their tests (load error, hook error), with how often. */
  readonly brokenFiles: string[];
}

export function tally(modules: ReadonlyArray<CountedModule>, unhandledErrors: number): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0, brokenFiles: [] };
  for (const module of modules) {
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') t.passed++;
      else if (state === 'failed') failedTests++;
      else t.skipped++; // skipped, todo, or never run
    }
    // Errors outside any test: collection/import errors and hook errors, module or suite level.
    let outside = module.errors().length > 0 ? 1 : 0;
    for (const suite of module.children.allSuites()) if (suite.errors().length > 0) outside++;
    // A module reported failed with no failing test and no recorded error still failed.
    if (module.state() === 'failed' && failedTests === 0 && outside === 0) outside = 1;
    if (outside > 0) t.brokenFiles.push(module.relativeModuleId ?? module.moduleId);
    t.failed += failedTests + outside;
  }
  t.failed += unhandledErrors;
  return t;
}

/** The closing line: `N passed, N failed` and `, N skipped` when any were. */
export function summaryLine(t: Tally): string {
  const tail = t.skipped > 0 ? `, ${t.skipped} skipped` : '';
  return `${t.passed} passed, ${t.failed} failed${tail}`;
}

export default class SummaryReporter implements Reporter {
  readonly #browserNotice: string | undefined;

  constructor(options: { browserNotice?: string } = {}) {
    this.#browserNotice = options.browserNotice;
  }

  onInit(): void {
    if (this.#browserNotice) process.stdout.write(`${this.#browserNotice}\n`);
  }

  onTestRunEnd(testModules: ReadonlyArray<CountedModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const t = tally(testModules, unhandledErrors.length);
    let out = '\n';
    if (t.brokenFiles.length > 0) {
      out += `test files that failed outside their tests (load or hook errors): ${t.brokenFiles.join(', ')}\n`;
    }
    if (unhandledErrors.length > 0) out += `unhandled errors: ${unhandledErrors.length}\n`;
    if (this.#browserNotice) out += `${this.#browserNotice}\n`;
    process.stdout.write(`${out}${summaryLine(t)}\n`);
  }
}
