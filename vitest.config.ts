import { configDefaults, defineConfig } from 'vitest/config';
import { BROWSER_TESTS, currentBrowserTests } from './scripts/browser.ts';

// Without Chromium (and without CI=true) the browser tests are left out and the summary
// reporter says so loudly, with how to install it (scripts/browser.ts).
const browser = currentBrowserTests();

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(browser.run ? [] : [BROWSER_TESTS])],
    // Numerical tests (finite-N runs, DMFT) take seconds each on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['./scripts/summary-reporter.ts', { browserNotice: browser.notice }]],
  },
});
