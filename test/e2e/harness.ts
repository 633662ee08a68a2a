/**
 * End-to-end harness for the explorer (issue 7): build the site with Vite into a
 * temporary directory, serve it with `saddlesurf serve`'s static server on
 * 127.0.0.1 and a random port, and drive Debian's Chromium with playwright-core
 * (never a downloaded browser). Every request the page makes is recorded, and
 * anything not served by that local server is aborted and reported, so the tests
 * can assert that the site loads nothing from the network.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM, INSTALL_HINT } from '../../scripts/browser.ts';
import { type StaticServer, startStaticServer } from '../../src/cli/commands/serve.ts';
import config from '../../vite.config.ts';

export { CHROMIUM };

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Where the screenshot artefact goes (committed once looked at). */
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

export interface Site {
  readonly dir: string;
  readonly server: StaticServer;
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Fail when the browser is missing, saying how to get it. Without CI=true vitest.config.ts
 * leaves these files out instead (scripts/browser.ts), so this fails only where the browser
 * tests were required: under CI, or when run with CI=true.
 */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. The explorer's end-to-end tests drive Debian's chromium ` +
        `with playwright-core; .ci/run installs it. Install it and rerun: ${INSTALL_HINT}. ` +
        'playwright never downloads a browser here.',
    );
  }
}

/** Build the explorer into a temporary directory with the repository's vite.config.ts. */
export async function buildSite(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-web-'));
  // The repository's config object itself (so it is type-checked with the tests), only the output moved.
  await build({ ...config, configFile: false, build: { ...config.build, outDir: dir }, logLevel: 'error' });
  return dir;
}

export async function startSite(): Promise<Site> {
  requireChromium();
  const dir = await buildSite();
  const server = await startStaticServer({ dir, port: 0 });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    dir,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A page with its console errors, uncaught exceptions and every requested URL recorded. */
export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly errors: string[];
  readonly requests: string[];
  /** Requests that did not go to the local server (aborted). */
  readonly external: string[];
  /** Web Workers started and terminated so far. */
  readonly workers: { started: number; closed: number };
}

export async function openPage(
  site: Site,
  query = '',
  viewport: { width: number; height: number } = { width: 1320, height: 1000 },
): Promise<WatchedPage> {
  const context = await site.browser.newContext({
    viewport,
    acceptDownloads: true,
  });
  const errors: string[] = [];
  const requests: string[] = [];
  const external: string[] = [];
  // Workers' requests go through the context too; anything not local is cut off and recorded.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith(site.server.url)) return route.continue();
    external.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  const workers = { started: 0, closed: 0 };
  page.on('worker', (w) => {
    workers.started++;
    w.on('close', () => workers.closed++);
    w.on('console', (m) => m.type() === 'error' && errors.push(`worker: ${m.text()}`));
  });
  await page.goto(`${site.server.url}${query}`);
  return { page, context, errors, requests, external, workers };
}

/** Sizes of the built JavaScript and CSS: raw and gzip (level 9) bytes per file. */
export function bundleSizes(dir: string): { file: string; bytes: number; gzip: number }[] {
  const assets = join(dir, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((file) => {
      const data = readFileSync(join(assets, file));
      return { file, bytes: data.length, gzip: gzipSync(data, { level: 9 }).length };
    });
}

/** The assets index.html loads up front (its script and stylesheet links), i.e. the initial bundle. */
export function initialAssets(dir: string): string[] {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+)"/g)].map((m) => m[1]!);
}
