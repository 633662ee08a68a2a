import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../context.ts';
import { UsageError } from '../errors.ts';
import {
  allowedHost,
  CONTENT_SECURITY_POLICY,
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
symlinkSync(join(dir, 'secret.txt'), join(site, 'leak.txt'));
symlinkSync('/', join(site, 'root'));
symlinkSync(join(site, 'assets', 'app.js'), join(site, 'alias.js')); // a link that stays inside
const BIN = new URL('../../../bin/saddlesurf', import.meta.url).pathname;

/** GET `path` from the server with a chosen Host header (fetch does not let one set it). */
function get(
  port: number,
  path: string,
  host: string,
): Promise<{ status: number; body: string; csp?: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, body, csp: res.headers['content-security-policy'] as string }),
      );
    });
    req.on('error', fail);
    req.end();
  });
}
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

  it('refuses symbolic links out of --dir, Host headers other than loopback:port, and sends CSP as a header', async () => {
    const { error } = await runServe(['--port', '0', '--dir', site], async (server) => {
      const host = `127.0.0.1:${server.port}`;
      for (const path of ['/leak.txt', '/root/etc/passwd', '/root/', '/root']) {
        const r = await get(server.port, path, host);
        expect(r.status, path).toBe(404);
        expect(r.body).not.toContain('outside the site');
        expect(r.body).not.toContain('root:');
      }
      expect((await get(server.port, '/alias.js', host)).body).toBe('export const x = 1;');
      for (const good of [
        host,
        `localhost:${server.port}`,
        `LOCALHOST:${server.port}`,
        `[::1]:${server.port}`,
      ])
        expect((await get(server.port, '/', good)).status, good).toBe(200);
      for (const bad of [
        'evil.example',
        `evil.example:${server.port}`,
        '127.0.0.1',
        `127.0.0.1:${server.port + 1}`,
      ]) {
        const r = await get(server.port, '/', bad);
        expect(r.status, bad).toBe(403);
        expect(r.body).not.toContain('<title>');
      }
      const index = await get(server.port, '/', host);
      expect(index.csp).toBe(CONTENT_SECURITY_POLICY);
      expect(index.csp).toContain("frame-ancestors 'none'");
    });
    expect(error).toBeUndefined();
    // The header carries the page's own <meta> policy, so the two never disagree.
    const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(CONTENT_SECURITY_POLICY.startsWith(meta!)).toBe(true);
    expect(allowedHost(undefined, 80)).toBe(false);
    expect(allowedHost('localhost', 80)).toBe(true);
  });

  it('exits 130 on SIGINT and 143 on SIGTERM', async () => {
    /** Start `saddlesurf serve` as a process, fetch the page, send `signal`; the exit status and stderr. */
    const serveThenSignal = async (signal: NodeJS.Signals) => {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--dir', site, '--json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (chunk) => {
        err += chunk;
      });
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      const url = await new Promise<string>((done) => {
        let out = '';
        child.stdout.on('data', (chunk) => {
          out += chunk;
          if (out.includes('\n')) done((JSON.parse(out) as { url: string }).url);
        });
      });
      const page = await fetch(url);
      child.kill(signal);
      return { page: page.status, status: await exited, err };
    };
    // Both at once: process start-up dominates the time.
    const [int, term] = await Promise.all([serveThenSignal('SIGINT'), serveThenSignal('SIGTERM')]);
    expect([int.page, int.status], int.err).toEqual([200, 130]);
    expect(int.err).toContain('by SIGINT');
    expect([term.page, term.status], term.err).toEqual([200, 143]);
    expect(term.err).toContain('by SIGTERM');
  });

  it('maps URL paths inside the root only', () => {
    expect(resolveRequestPath('/srv/site', '/assets/a.js?v=1')).toBe('/srv/site/assets/a.js');
    expect(resolveRequestPath('/srv/site', '/')).toBe('/srv/site');
    expect(resolveRequestPath('/srv/site', '/../etc/passwd')).toBe('/srv/site/etc/passwd');
    expect(resolveRequestPath('/srv/site', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/site/etc/passwd');
    expect(resolveRequestPath('/srv/site', '/%E0%A4%A')).toBeNull();
  });
});
