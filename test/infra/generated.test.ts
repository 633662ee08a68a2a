/**
 * Folders the tools generate (figures, runs, builds) are ignored by git and by Biome, so that
 * running the README's examples never breaks the next `npm test` or shows up as untracked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const tag = `probe-${process.pid}`;
/** One folder of each generated kind (out/, out-*, runs/, dist/, dist-*), unique to this run. */
const FOLDERS = ['out', `out-${tag}`, 'runs', 'dist', `dist-${tag}`];
const FILE = `${tag}/unformatted.ts`;
const created: string[] = [];

afterAll(() => {
  for (const path of created) rmSync(path, { recursive: true, force: true });
});

describe('generated folders', () => {
  it('are ignored by git', () => {
    const paths = FOLDERS.map((f) => `${f}/${FILE}`);
    const run = spawnSync('git', ['check-ignore', ...paths], { cwd: REPO, encoding: 'utf8' });
    expect(run.stdout.trim().split('\n').sort()).toEqual([...paths].sort());
  });

  it('are ignored by Biome (an unformatted file there is not checked)', () => {
    for (const folder of FOLDERS) {
      const dir = join(REPO, folder, tag);
      // Remove only what this test creates: the probe subfolder, or the whole folder if it is new.
      created.push(existsSync(join(REPO, folder)) ? dir : join(REPO, folder));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'unformatted.ts'), 'const  x=1\n');
    }
    const run = spawnSync(
      process.execPath,
      ['node_modules/@biomejs/biome/bin/biome', 'check', ...FOLDERS.map((f) => `${f}/${tag}`)],
      { cwd: REPO, encoding: 'utf8' },
    );
    const output = run.stdout + run.stderr;
    expect(output).not.toMatch(/unformatted\.ts/);
    expect(output).toMatch(/provided but ignored/);
  });
});
