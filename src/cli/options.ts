/**
 * The flags every command shares (DEVELOPERS.md; issue 2): the model and seed flags are the
 * tasks' (src/tasks/options.ts, re-exported here); `--out DIR`, `--force` and `--json` belong
 * to the shell.
 */
import { type Flag, stringFlag, switchFlag } from '../tasks/flags.ts';

export * from '../tasks/options.ts';

export const outFlag = (required = true, description = 'output directory'): Flag<string> =>
  stringFlag('--out', { description, valueName: '<dir>', required });

export const forceFlag = switchFlag('--force', 'replace an existing non-empty --out directory');

export const jsonFlag = switchFlag(
  '--json',
  'print one JSON document with the results to stdout (logs go to stderr)',
);
