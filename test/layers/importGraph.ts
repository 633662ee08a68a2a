/**
 * The static import graph of the sources, for the layering test (importGraph.test.ts): every
 * import, export-from and dynamic `import('…')` with a literal specifier, type-only ones included
 * (a type import is an arrow too), found by the TypeScript scanner rather than a regular
 * expression, so comments and strings do not count.
 */
import { builtinModules } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';

/** One import: the importing file (relative to the root) and the specifier as written. */
export interface ImportEdge {
  readonly from: string;
  readonly specifier: string;
  /** The imported file (relative to the root) for a relative specifier; null for a package. */
  readonly to: string | null;
}

/** The specifiers a TypeScript source imports. */
export function importsOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((f) => f.fileName);
}

/**
 * Every edge reachable from `entries` (paths relative to the root, e.g. 'src/tasks/index.ts').
 * `read(path)` returns a file's text; relative specifiers are followed, packages are not.
 */
export function reachableImports(entries: readonly string[], read: (path: string) => string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of importsOf(read(file))) {
      const to = specifier.startsWith('.') ? normalize(join(dirname(file), specifier)) : null;
      edges.push({ from: file, specifier, to });
      if (to !== null && /\.(ts|tsx|mts)$/.test(to)) queue.push(to);
    }
  }
  return edges;
}

const NODE_BUILTINS = new Set(builtinModules);

/** Whether a specifier names a Node built-in module (`node:fs`, or the bare `fs`). */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0]);
}

/** The package name of a bare specifier (`@scope/name/sub` → `@scope/name`). */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** What a layer may not import. */
export interface LayerRule {
  /** Folders (relative to the root, e.g. 'src/cli') whose files it may not import. */
  readonly forbiddenFolders: readonly string[];
  /** Whether Node built-ins are forbidden. */
  readonly noNodeBuiltins: boolean;
  /** Packages it may import (undefined: any). */
  readonly packages?: readonly string[];
}

/** The edges that break `rule`, each as `from → specifier (why)`. */
export function violations(edges: readonly ImportEdge[], rule: LayerRule): string[] {
  const out: string[] = [];
  for (const e of edges) {
    if (e.to !== null) {
      const folder = rule.forbiddenFolders.find((f) => e.to === f || e.to?.startsWith(`${f}/`));
      if (folder !== undefined) out.push(`${e.from} → ${e.specifier} (imports ${folder})`);
    } else if (isNodeBuiltin(e.specifier)) {
      if (rule.noNodeBuiltins) out.push(`${e.from} → ${e.specifier} (a Node built-in)`);
    } else if (rule.packages !== undefined && !rule.packages.includes(packageName(e.specifier))) {
      out.push(`${e.from} → ${e.specifier} (package not allowed here)`);
    }
  }
  return out;
}
