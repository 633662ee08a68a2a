/**
 * Whether the browser end-to-end tests (test/e2e/) run. They drive Debian's Chromium with
 * playwright-core (never a downloaded browser). On a machine without it, `npm test` runs
 * everything else and says loudly that they were skipped and how to install Chromium; with
 * `CI` set (CI=true) a missing browser is a failure, not a skip (the harness throws).
 */
import { existsSync } from 'node:fs';

/** Debian's chromium; `CHROMIUM_PATH` overrides it. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The browser test files, relative to the repository. */
export const BROWSER_TESTS = 'test/e2e/**/*.test.ts';

export const INSTALL_HINT = 'sudo apt-get install chromium   (Debian/Ubuntu; or set CHROMIUM_PATH)';

export interface BrowserTests {
  /** Whether vitest includes test/e2e. */
  readonly run: boolean;
  /** When skipped and the run would have included them: the notice to print (else undefined). */
  readonly notice?: string;
}

/** `CI=true` (or any value but '', 'false', '0') as set by CI services. */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * The vitest positional filters on a command line (`vitest run a b --flag x` → [a, b]). Used to
 * keep quiet about skipped browser tests when a run targets other files only.
 */
export function vitestFilters(argv: readonly string[]): string[] {
  const i = argv.findIndex((a) => a === 'run' || a === 'related' || a === 'watch');
  const rest = i < 0 ? argv.slice(2) : argv.slice(i + 1);
  const filters: string[] = [];
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k]!;
    if (a.startsWith('-')) {
      // `--flag value`: skip the value unless the flag carries it (`--flag=value`) or is boolean-like.
      if (!a.includes('=') && k + 1 < rest.length && !rest[k + 1]!.startsWith('-') && VALUE_FLAGS.has(a)) k++;
      continue;
    }
    filters.push(a);
  }
  return filters;
}

const VALUE_FLAGS = new Set(['--config', '-c', '--root', '-r', '--dir', '--reporter', '--project', '-t']);

/** Decide from the environment, whether Chromium exists, and the command line. */
export function browserTests(
  env: Readonly<Record<string, string | undefined>>,
  chromiumExists: boolean,
  argv: readonly string[] = [],
): BrowserTests {
  if (chromiumExists || isCi(env)) return { run: true };
  const filters = vitestFilters(argv);
  const targeted = filters.length === 0 || filters.some((f) => 'test/e2e/'.includes(f) || f.includes('e2e'));
  if (!targeted) return { run: false };
  return {
    run: false,
    notice: [
      '',
      '!!! BROWSER TESTS SKIPPED !!!',
      `!!! The explorer's end-to-end tests (${BROWSER_TESTS}) did not run: Chromium was not found at ${CHROMIUM}.`,
      `!!! Install it and rerun npm test:  ${INSTALL_HINT}`,
      '!!! (With CI=true a missing browser fails the run instead.)',
      '',
    ].join('\n'),
  };
}

/** The decision for this process (vitest.config.ts and the summary reporter). */
export function currentBrowserTests(): BrowserTests {
  return browserTests(process.env, existsSync(CHROMIUM), process.argv);
}
