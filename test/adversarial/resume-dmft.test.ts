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
  it('fixed grid, correlations saved', { timeout: 60_000 }, () =>
    resumeTrial(dir, 'fixed', [
      'dmft',
      '--grid',
      'fixed',
      '--h',
      '0.05',
      '--tmax',
      '45',
      '--save-correlations',
    ]),
  );
  it('adaptive grid', { timeout: 60_000 }, () =>
    resumeTrial(dir, 'adaptive', ['dmft', '--tmax', '300', '--window', '64', '--temperature', '0.3'], 1, 300),
  );
});
