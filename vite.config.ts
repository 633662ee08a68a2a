/**
 * Build of the in-browser explorer (issue 7): `vite build` turns `src/web/` into a
 * static site in `dist-web/` that works from any plain file server with no network
 * access (relative asset paths, no CDN, no web fonts). JSX is compiled by Vite's
 * built-in Oxc for Preact, so no framework plugin is needed; the numerics run in a
 * module Web Worker bundled from `src/web/worker.ts`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));

export default defineConfig({
  root,
  // Relative URLs: the site can be served from any path, or opened from a subfolder.
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The module-preload polyfill is inline code for old browsers; module workers need a modern one anyway.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  logLevel: 'warn',
});
