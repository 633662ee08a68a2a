/**
 * Where a worker thread starts. The CLI runs the TypeScript sources through tsx
 * (bin/saddlesurf), and so do sweep threads: `threadEntry.mjs` registers tsx, then loads
 * `thread.ts`. This is the one place to change if the package ships compiled JavaScript.
 */

/** The module a local-pool worker thread runs. */
export function threadEntry(): URL {
  return new URL('./threadEntry.mjs', import.meta.url);
}

/** The registry module (exporting `getTask(name)`) workers load by default. */
export const DEFAULT_REGISTRY = new URL('../tasks/index.ts', import.meta.url).href;
