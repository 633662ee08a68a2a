/**
 * bin/saddlesurf runs the compiled CLI only when dist/cli/build.json lists no source newer than
 * the build, and otherwise the TypeScript sources through tsx with a note. Checked on a copy
 * of the launcher in a throw-away tree whose "compiled" and "source" CLIs say which one ran.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ROOT = join(REPO, `dist-bin-test-${process.pid}`); // ignored by git and Biome; resolves node_modules
const SOURCE = join(ROOT, 'src/cli/main.ts');
const RECORD = join(ROOT, 'dist/cli/build.json');
const BUILT_AT = Date.now();

beforeAll(() => {
  mkdirSync(join(ROOT, 'bin'), { recursive: true });
  mkdirSync(join(ROOT, 'dist/cli'), { recursive: true });
  mkdirSync(join(ROOT, 'src/cli'), { recursive: true });
  copyFileSync(join(REPO, 'bin/saddlesurf'), join(ROOT, 'bin/saddlesurf'));
  const fake = (which: string) =>
    `export async function main(argv: string[]): Promise<number> {\n` +
    `  process.stdout.write('${which} ' + argv.slice(2).join(' ') + '\\n');\n  return 3;\n}\n`;
  writeFileSync(
    join(ROOT, 'dist/cli/main.js'),
    fake('compiled').replace(/: string\[\]|: Promise<number>/g, ''),
  );
  writeFileSync(SOURCE, fake('sources'));
});
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

function run() {
  return spawnSync(process.execPath, [join(ROOT, 'bin/saddlesurf'), 'a', '--b'], { encoding: 'utf8' });
}

describe('bin/saddlesurf', () => {
  it('runs the compiled CLI when it is up to date, silently, passing argv and the exit status', () => {
    writeFileSync(RECORD, JSON.stringify({ builtAt: BUILT_AT, inputs: ['src/cli/main.ts'] }));
    utimesSync(SOURCE, new Date(BUILT_AT - 60_000), new Date(BUILT_AT - 60_000));
    const r = run();
    expect(r.stdout).toBe('compiled a --b\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(3);
  });

  it('runs the sources with a note when a source is newer than the build', () => {
    writeFileSync(RECORD, JSON.stringify({ builtAt: BUILT_AT, inputs: ['src/cli/main.ts'] }));
    utimesSync(SOURCE, new Date(BUILT_AT + 60_000), new Date(BUILT_AT + 60_000));
    const r = run();
    expect(r.stdout).toBe('sources a --b\n');
    expect(r.stderr).toMatch(/note: dist\/ is older than src\/.*npm run build/);
    expect(r.status).toBe(3);
  });

  it('runs the sources with a note when nothing was built', () => {
    rmSync(RECORD);
    const r = run();
    expect(r.stdout).toBe('sources a --b\n');
    expect(r.stderr).toMatch(/note: dist\/ is not built/);
  });
});
