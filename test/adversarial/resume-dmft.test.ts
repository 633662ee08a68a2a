/**
 * `dmft --checkpoint-every` / `--resume` after SIGKILL at random moments: bit-identical results on
 * the fixed and the adaptive grid (`resume.ts` says exactly what is compared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { resumeTrial } from './resume.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-resume-dmft-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dmft resumes after SIGKILL, bit-identical', () => {
  // n = 1400 steps (O(n³), ~3 s idle): at tmax 45 (n = 900, 1.5 s with start-up) a fast idle
  // machine finished the run within the kill delay after its first checkpoint (seen in CI).
  it('fixed grid, correlations saved', { timeout: 120_000 }, () =>
    resumeTrial(dir, 'fixed', [
      'dmft',
      '--grid',
      'fixed',
      '--h',
      '0.05',
      '--tmax',
      '70',
      '--save-correlations',
    ]),
  );
  it('adaptive grid', { timeout: 60_000 }, () =>
    resumeTrial(dir, 'adaptive', ['dmft', '--tmax', '300', '--window', '64', '--temperature', '0.3'], 1, 300),
  );
});
