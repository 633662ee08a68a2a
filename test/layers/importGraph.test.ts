/**
 * Arrows go downward (the task-layer design, src/tasks/README.md): shells (cli, web, reproduce)
 * → sweep → tasks → the science folders. Nothing reachable from src/tasks/index.ts imports a Node
 * built-in, a package outside the environment-free few, or a shell; src/sweep and src/files
 * (where outputs are written, shared by the CLI and the sweeps) reach no shell. A synthetic graph
 * shows each check fails.
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

/** Where outputs are written: Node's file system, under both the CLI and the sweeps. */
const FILES_RULE: LayerRule = { forbiddenFolders: [...SHELLS, 'src/sweep'], noNodeBuiltins: false };

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

  it('src/sweep reaches no shell (its output directories come from src/files)', () => {
    const edges = reachableImports(sources('src/sweep'), read);
    const files = new Set(edges.map((e) => e.from));
    expect(files).toContain('src/sweep/sweepDir.ts');
    expect(files).toContain('src/files/output.ts');
    expect(violations(edges, SWEEP_RULE)).toEqual([]);
  });

  it('src/files reaches neither a shell nor the sweeps', () => {
    const edges = reachableImports(sources('src/files'), read);
    expect(new Set(edges.map((e) => e.from))).toContain('src/files/liveness.ts');
    expect(violations(edges, FILES_RULE)).toEqual([]);
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
