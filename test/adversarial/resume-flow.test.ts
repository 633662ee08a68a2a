/**
 * `flow --checkpoint-every` / `--resume` after SIGKILL at random moments: bit-identical results
 * for gf, gd and langevin (`resume.ts` says exactly what is compared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { resumeTrial } from './resume.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-resume-flow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// gd and langevin: twice the span of the first version and kills within 0.3 s of the first
// checkpoint (on an idle machine the langevin run at tmax 10 ended within the 0.6 s allowed).
describe('flow resumes after SIGKILL, bit-identical', () => {
  it('gf (killed twice; checkpointed on the worker thread of an isolated run)', { timeout: 60_000 }, () =>
    resumeTrial(
      dir,
      'gf',
      ['flow', '--n', '150', '--tmax', '60', '--rtol', '1e-10', '--hessian-every', '50'],
      2,
      600,
      { ...process.env, SADDLESURF_ISOLATE_ENTRIES: '0' },
    ),
  );
  it('gd', { timeout: 60_000 }, () =>
    resumeTrial(dir, 'gd', ['flow', '--n', '150', '--method', 'gd', '--tmax', '30', '--dt', '0.005'], 1, 300),
  );
  it('langevin (the noise stream continues)', { timeout: 60_000 }, () =>
    resumeTrial(
      dir,
      'langevin',
      [
        'flow',
        '--n',
        '150',
        '--method',
        'langevin',
        '--temperature',
        '0.5',
        '--tmax',
        '20',
        '--dt',
        '0.005',
        '--seed',
        '7',
      ],
      1,
      300,
    ),
  );
});
