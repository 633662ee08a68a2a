/**
 * The CLI compiled ahead of time (scripts/build.ts) loads only what a command needs: the entry
 * imports commander and no command module or drawing library up front, a computing command
 * imports no drawing library, and the compiled CLI prints what the TypeScript sources print.
 * Whole-process timings are not asserted here (README "Start-up", `npm run bench:startup`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from '../../scripts/build.ts';
import { memoryContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// Inside the repository (so node_modules resolves), in a folder git and Biome ignore (dist-*).
const OUT = join(REPO, `dist-test-${process.pid}`);
const DRAWING = ['@observablehq/plot', 'linkedom', '@resvg/resvg-js'];

beforeAll(async () => {
  await buildCli(OUT);
}, 60_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** Every package a compiled file imports statically, following its static relative imports. */
function staticPackages(file: string, seen = new Set<string>()): Set<string> {
  const packages = new Set<string>();
  if (seen.has(file)) return packages;
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  // Static imports only: `import … from "x"` / `export … from "x"` / `import "x"`, not `import("x")`.
  for (const m of code.matchAll(/^(?:import|export)\b[^;]*?(?:from\s*)?"([^"]+)";?$/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) {
      for (const p of staticPackages(resolve(dirname(file), spec), seen)) packages.add(p);
    } else packages.add(spec);
  }
  return packages;
}

describe('compiled CLI', () => {
  it('the entry loads commander and nothing heavy; command modules are separate files', () => {
    const entry = staticPackages(join(OUT, 'cli/main.js'));
    expect([...entry].filter((p) => !p.startsWith('node:'))).toEqual(['commander']);
    const code = readFileSync(join(OUT, 'cli/main.js'), 'utf8');
    expect(code).toMatch(/import\("\.\/commands\/thresholds\.js"\)/);
  });

  it('computing commands import no drawing library; reproduce does', () => {
    for (const name of ['thresholds', 'dmft', 'flow', 'landscape', 'amp', 'sample', 'phase-diagram']) {
      const packages = staticPackages(join(OUT, `cli/commands/${name}.js`));
      expect(
        DRAWING.filter((p) => packages.has(p)),
        name,
      ).toEqual([]);
    }
    // The check can see a drawing import where there is one.
    expect(staticPackages(join(OUT, 'cli/commands/reproduce.js')).has('@observablehq/plot')).toBe(true);
  });

  it('records every source it was built from', () => {
    const record = JSON.parse(readFileSync(join(OUT, 'cli/build.json'), 'utf8'));
    expect(record.inputs).toContain('src/cli/main.ts');
    expect(record.inputs).toContain('src/phase/lines.ts');
    expect(record.builtAt).toBeLessThanOrEqual(Date.now());
  });

  it('prints what the TypeScript sources print', async () => {
    const argv = ['thresholds', '--p', '3', '--deltap', '1', '--json'];
    const ctx = memoryContext();
    expect(await main(['node', 'saddlesurf', ...argv], ctx)).toBe(0);
    const script =
      `const { main } = await import(${JSON.stringify(pathToFileURL(join(OUT, 'cli/main.js')).href)});` +
      `process.exitCode = await main([process.argv[0], "saddlesurf", ...process.argv.slice(1)]);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', ...argv], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(ctx.out);
  });

  it('paths computed from a module’s own location still point into the repository', async () => {
    const compiled = await import(pathToFileURL(join(OUT, 'cli/commands/serve.js')).href);
    expect(compiled.DEFAULT_SITE_DIR).toBe(join(OUT, '..', 'dist-web'));
  });
});
