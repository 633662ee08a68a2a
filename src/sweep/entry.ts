/**
 * Where a worker thread starts. The CLI runs either the TypeScript sources through tsx or a
 * bundle compiled into dist/ (bin/saddlesurf); sweep threads always run the sources:
 * `threadEntry.mjs` registers tsx, then loads `thread.ts`. Paths are resolved from the package
 * root, not from this module's own location, because in the bundle this code lives in a chunk
 * under dist/cli/chunks/. This is the one place to change if the package ships compiled workers.
 */
import { existsSync } from 'node:fs';

/** The package root: the nearest folder above this module with a package.json. */
function packageRoot(): URL {
  let dir = new URL('.', import.meta.url);
  for (let k = 0; k < 8; k++) {
    if (existsSync(new URL('package.json', dir))) return dir;
    dir = new URL('..', dir);
  }
  throw new Error(`saddlesurf: no package.json above ${import.meta.url}`);
}

/**
 * A source file of the package, by its path from the root (e.g. 'src/tasks/index.ts').
 * @example
 * sourceUrl('src/sweep/thread.ts').pathname.endsWith('/src/sweep/thread.ts'); // true
 */
export function sourceUrl(path: string): URL {
  return new URL(path, packageRoot());
}

/** The module a local-pool worker thread runs. */
export function threadEntry(): URL {
  return sourceUrl('src/sweep/threadEntry.mjs');
}

/** The registry module (exporting `getTask(name)`) workers load by default. */
export const DEFAULT_REGISTRY = sourceUrl('src/tasks/index.ts').href;
