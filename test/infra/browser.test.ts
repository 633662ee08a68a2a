/** When the browser tests run, and what `npm test` says when they do not (scripts/browser.ts). */
import { describe, expect, it } from 'vitest';
import { browserTests, isCi, vitestFilters } from '../../scripts/browser.ts';

const NODE = ['/usr/bin/node', '/repo/node_modules/vitest/vitest.mjs'];

describe('browser tests', () => {
  it('run when Chromium is there', () => {
    expect(browserTests({}, true, [...NODE, 'run'])).toEqual({ run: true });
  });

  it('without Chromium: skipped, with a loud notice naming the install command', () => {
    const b = browserTests({}, false, [...NODE, 'run']);
    expect(b.run).toBe(false);
    expect(b.notice).toMatch(/BROWSER TESTS SKIPPED/);
    expect(b.notice).toMatch(/apt-get install chromium/);
    expect(b.notice).toMatch(/test\/e2e/);
  });

  it('with CI=true a missing browser is not skipped (the harness then fails the run)', () => {
    expect(browserTests({ CI: 'true' }, false, [...NODE, 'run'])).toEqual({ run: true });
    expect(browserTests({ CI: '1' }, false, [...NODE, 'run']).run).toBe(true);
    expect(browserTests({ CI: 'false' }, false, [...NODE, 'run']).run).toBe(false);
  });

  it('keeps quiet when the run targets other files only', () => {
    const other = browserTests({}, false, [...NODE, 'run', 'src/model/loss.test.ts']);
    expect(other).toEqual({ run: false });
    const e2e = browserTests({}, false, [...NODE, 'run', 'test/e2e/explorer.test.ts']);
    expect(e2e.notice).toMatch(/SKIPPED/);
  });

  it('reads CI and vitest filters', () => {
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: '' })).toBe(false);
    expect(isCi({ CI: 'TRUE' })).toBe(true);
    expect(vitestFilters([...NODE, 'run', '--config', 'x.ts', 'src/a', '--reporter=dot', 'e2e'])).toEqual([
      'src/a',
      'e2e',
    ]);
    expect(vitestFilters([...NODE])).toEqual([]);
  });
});
