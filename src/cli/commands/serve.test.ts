import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import {
  command,
  onServe,
  resolveRequestPath,
  type StaticServer,
  siteProblem,
  startStaticServer,
} from './serve.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-serve-'));
const site = join(dir, 'site');
mkdirSync(join(site, 'assets'), { recursive: true });
writeFileSync(join(site, 'index.html'), '<!doctype html><title>x</title>');
writeFileSync(join(site, 'assets', 'app.js'), 'export const x = 1;');
writeFileSync(join(site, 'assets', 'style.css'), 'body{}');
writeFileSync(join(site, 'assets', 'fig.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(site, 'assets', 'k.wasm'), new Uint8Array([0, 97, 115, 109]));
writeFileSync(join(dir, 'secret.txt'), 'outside the site');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Run `saddlesurf serve ARGS` in-process, the way `main` does (a program with this
 * command registered), calling `whileServing` once the server listens and closing
 * it afterwards, which ends the command.
 */
async function runServe(
  args: string[],
  whileServing: (server: StaticServer) => Promise<void> = async () => {},
): Promise<{ ctx: ReturnType<typeof memoryContext>; error: unknown }> {
  const ctx = memoryContext();
  const program = new Command('saddlesurf').exitOverride().configureOutput({
    writeOut: (s) => ctx.stdout(s),
    writeErr: (s) => ctx.stderr(s),
  });
  command.register(program, ctx);
  let pending: Promise<void> = Promise.resolve();
  const off = onServe((server) => {
    pending = whileServing(server).finally(() => server.close());
  });
  let error: unknown;
  try {
    await program.parseAsync(['node', 'saddlesurf', 'serve', ...args]);
    await pending;
  } catch (e) {
    error = e;
  } finally {
    off();
  }
  return { ctx, error };
}

describe('saddlesurf serve', () => {
  it('serves the site on 127.0.0.1 with correct MIME types and COOP/COEP headers', async () => {
    const { ctx, error } = await runServe(['--port', '0', '--dir', site, '--json'], async (server) => {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(server.url);
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(index.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await index.text()).toContain('<title>x</title>');
      const types: Record<string, string> = {
        'assets/app.js': 'text/javascript; charset=utf-8',
        'assets/style.css': 'text/css; charset=utf-8',
        'assets/fig.svg': 'image/svg+xml',
        'assets/k.wasm': 'application/wasm',
      };
      for (const [path, type] of Object.entries(types)) {
        const r = await fetch(new URL(path, server.url));
        expect(r.status, path).toBe(200);
        expect(r.headers.get('content-type'), path).toBe(type);
      }
      expect(
        (await fetch(new URL('assets/k.wasm', server.url)).then((r) => r.arrayBuffer())).byteLength,
      ).toBe(4);
      expect((await fetch(new URL('nope.js', server.url))).status).toBe(404);
      // Encoded "../" must not leave the site directory.
      expect((await fetch(new URL('%2e%2e/secret.txt', server.url))).status).not.toBe(200);
      expect((await fetch(server.url, { method: 'POST' })).status).toBe(405);
    });
    expect(error).toBeUndefined();
    const doc = JSON.parse(ctx.out) as { url: string; dir: string };
    expect(doc.dir).toBe(site);
    expect(doc.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ctx.err).toContain('Ctrl-C');
  });

  it('says to run npm run build:web when the site is not built', async () => {
    const { error } = await runServe(['--port', '0', '--dir', join(dir, 'missing')]);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).flag).toBe('--dir');
    expect((error as Error).message).toContain('run npm run build:web');
    expect(siteProblem(dir)).toContain('has no index.html');
  });

  it('rejects a bad port naming the flag and its range, and a port in use', async () => {
    const { error } = await runServe(['--port', '70000', '--dir', site]);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('--port: must be an integer in [0, 65535]');
    const busy = await startStaticServer({ dir: site, port: 0 });
    try {
      const second = await runServe(['--port', String(busy.port), '--dir', site]);
      expect(second.error).toBeInstanceOf(UsageError);
      expect((second.error as Error).message).toContain('is in use');
    } finally {
      await busy.close();
    }
    const missing = await runServe(['--port']);
    expect(missing.error).toBeInstanceOf(CommanderError);
  });

  it('maps URL paths inside the root only', () => {
    expect(resolveRequestPath('/srv/site', '/assets/a.js?v=1')).toBe('/srv/site/assets/a.js');
    expect(resolveRequestPath('/srv/site', '/')).toBe('/srv/site');
    expect(resolveRequestPath('/srv/site', '/../etc/passwd')).toBe('/srv/site/etc/passwd');
    expect(resolveRequestPath('/srv/site', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/site/etc/passwd');
    expect(resolveRequestPath('/srv/site', '/%E0%A4%A')).toBeNull();
  });
});
