/**
 * `saddlesurf serve` against a hostile page or user (issue 11): traversal by symbolic
 * link and by encoded paths, and DNS rebinding through the Host header. The command
 * runs in-process through `main`, on a free port.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onServe, type StaticServer } from '../../src/cli/commands/serve.ts';
import { cli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-adv-serve-'));
const site = join(dir, 'site');
mkdirSync(join(site, 'assets'), { recursive: true });
writeFileSync(join(site, 'index.html'), '<!doctype html><title>site</title>');
writeFileSync(join(dir, 'private.key'), 'SECRET-KEY');
symlinkSync(join(dir, 'private.key'), join(site, 'key.txt'));
symlinkSync('/etc', join(site, 'etc'));
symlinkSync('..', join(site, 'up'));
symlinkSync(dir, join(site, 'assets', 'parent'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A raw GET with any path and Host header; status and body. */
function get(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', () => done({ status: 0, body: '' })); // the parser may refuse the request outright
    req.end();
  });
}

/** Run `saddlesurf serve` through main while `probe` talks to it; returns main's exit status. */
async function whileServing(probe: (server: StaticServer) => Promise<void>): Promise<number> {
  let pending: Promise<void> = Promise.resolve();
  const off = onServe((server) => {
    pending = probe(server).finally(() => server.close());
  });
  try {
    const r = await cli('serve', '--port', '0', '--dir', site);
    await pending;
    return r.status ?? -1;
  } finally {
    off();
  }
}

describe('serve', () => {
  it('never sends a file outside --dir, by symbolic link or encoded path', async () => {
    const status = await whileServing(async (server) => {
      const host = `127.0.0.1:${server.port}`;
      expect((await get(server.port, '/', host)).status).toBe(200);
      for (const path of [
        '/key.txt',
        '/etc/passwd',
        '/etc/hostname',
        '/up/private.key',
        '/assets/parent/private.key',
        '/%2e%2e/private.key',
        '/%252e%252e/private.key',
        '/..%2fprivate.key',
        '/..%5cprivate.key',
        '/assets/%2e%2e/%2e%2e/private.key',
        '//etc/passwd',
        '/key.txt%00.html',
      ]) {
        const r = await get(server.port, path, host);
        expect(r.status, path).not.toBe(200);
        expect(r.body, path).not.toContain('SECRET-KEY');
        expect(r.body, path).not.toContain('root:');
      }
    });
    expect(status).toBe(0);
  });

  it('answers only Host headers naming a loopback address with the bound port', async () => {
    await whileServing(async (server) => {
      const port = server.port;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
        expect((await get(port, '/', host)).status, host).toBe(200);
      for (const host of [
        'attacker.example',
        `attacker.example:${port}`,
        `localhost.:${port}`,
        `localhost:${port}.attacker.example`,
        `127.0.0.2:${port}`,
        `127.1:${port}`,
        `0.0.0.0:${port}`,
        `localhost:${port + 1}`,
        'localhost',
      ]) {
        const r = await get(port, '/', host);
        expect(r.status, host).not.toBe(200);
        expect(r.body, host).not.toContain('<title>site</title>');
      }
    });
  });
});
