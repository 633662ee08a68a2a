/**
 * Arrows go downward (the task-layer design, src/tasks/README.md): shells (cli, web, reproduce)
 * → sweep → tasks → the science folders. Nothing reachable from src/tasks/index.ts imports a Node
 * built-in, a package outside the environment-free few, or a shell; src/sweep imports no shell
 * except the output-directory machinery listed below. A synthetic graph shows each check fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LayerRule, reachableImports, violations } from './importGraph.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const SHELLS = ['src/cli', 'src/web', 'src/reproduce'];

/** The tasks and everything below them: environment-free (they run in a browser's worker). */
const TASKS_RULE: LayerRule = {
  forbiddenFolders: [...SHELLS, 'src/sweep'],
  noNodeBuiltins: true,
  packages: ['valibot', 'fflate', '@observablehq/plot'],
};

/** The sweep engine: Node is fine (threads, files), shells are not. */
const SWEEP_RULE: LayerRule = { forbiddenFolders: SHELLS, noNodeBuiltins: false };

/**
 * Known exceptions, to be moved below the shells: the sweep directory and its analysis use the
 * CLI's atomic output directory (src/cli/output.ts, outputTarget.ts). The test fails when one
 * disappears (remove it here) or another appears.
 */
const SWEEP_KNOWN = [
  'src/sweep/analyze.ts → ../cli/output.ts (imports src/cli)',
  'src/sweep/sweepDir.ts → ../cli/output.ts (imports src/cli)',
  'src/sweep/sweepDir.ts → ../cli/outputTarget.ts (imports src/cli)',
];

const sources = (dir: string) =>
  readdirSync(join(ROOT, dir))
    .filter((f) => /\.tsx?$/.test(f) && !f.includes('.test.'))
    .map((f) => `${dir}/${f}`);

describe('import graph', () => {
  it('src/tasks/index.ts reaches no Node built-in, no node-only package and no shell', () => {
    const edges = reachableImports(['src/tasks/index.ts'], read);
    // The walk really covers the tasks and the science folders under them.
    const files = new Set(edges.map((e) => e.from));
    for (const f of ['src/tasks/dmft.ts', 'src/tasks/instance.ts', 'src/dmft/index.ts', 'src/model/index.ts'])
      expect(files).toContain(f);
    expect(violations(edges, TASKS_RULE)).toEqual([]);
  });

  it('every task module, not only what the barrel reaches, is environment-free', () => {
    const edges = reachableImports(sources('src/tasks'), read);
    expect(violations(edges, TASKS_RULE)).toEqual([]);
  });

  it('src/sweep imports no shell beyond the known output-directory uses', () => {
    const direct = reachableImports(sources('src/sweep'), read).filter((e) =>
      e.from.startsWith('src/sweep/'),
    );
    expect(violations(direct, SWEEP_RULE).sort()).toEqual(SWEEP_KNOWN);
  });

  it('fails on a Node built-in, a shell import or a node-only package anywhere below the entry', () => {
    const files: Record<string, string> = {
      'src/tasks/index.ts': "import { a } from './a.ts';\nexport { b } from './b.ts';",
      'src/tasks/a.ts': "import type { X } from '../cli/errors.ts';\nimport { readFileSync } from 'node:fs';",
      'src/tasks/b.ts':
        "// import 'node:os' in a comment is no import\nconst s = \"import('../web/x.ts')\";\nexport const b = () => import('../science/c.ts');",
      'src/science/c.ts':
        "import { Command } from 'commander';\nimport 'path';\nimport * as v from 'valibot';",
    };
    const edges = reachableImports(['src/tasks/index.ts'], (path) => files[path] ?? '');
    expect(violations(edges, TASKS_RULE)).toEqual([
      'src/tasks/a.ts → ../cli/errors.ts (imports src/cli)',
      'src/tasks/a.ts → node:fs (a Node built-in)',
      'src/science/c.ts → commander (package not allowed here)',
      'src/science/c.ts → path (a Node built-in)',
    ]);
    // The same graph under the sweep's rule: only the shell import.
    expect(violations(edges, SWEEP_RULE)).toEqual(['src/tasks/a.ts → ../cli/errors.ts (imports src/cli)']);
  });
});
