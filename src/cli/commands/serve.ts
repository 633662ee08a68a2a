/**
 * `saddlesurf serve [--port P] [--dir DIR]`: serve the built explorer (issue 7,
 * `npm run build:web` → `dist-web/`) on http://127.0.0.1:P/ with a small static
 * file server. Bound to the loopback interface only; correct MIME types (module
 * scripts and workers are refused by browsers under a wrong one); COOP/COEP
 * headers so the page is cross-origin isolated (SharedArrayBuffer available);
 * no directory listings, no paths outside DIR (also not through symbolic links);
 * only requests addressed to a loopback name with the bound port (a page on another
 * site that rebinds its DNS name to 127.0.0.1 gets 403); the Content-Security-Policy
 * as a header, which also forbids framing. Ctrl-C (SIGINT) exits 130, SIGTERM 143.
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from '../command.ts';
import { CancelledError, UsageError } from '../errors.ts';
import { addFlags, integerFlag, readFlags, stringFlag } from '../flags.ts';
import { jsonFlag } from '../options.ts';

/** `dist-web/` of this package (what `npm run build:web` writes). */
export const DEFAULT_SITE_DIR = fileURLToPath(new URL('../../../dist-web', import.meta.url));

/** MIME types of the files a Vite build produces. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * The explorer's Content-Security-Policy: the one of its `<meta>` tag (src/web/index.html),
 * plus what only a header can say: no framing by other sites.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; " +
  "worker-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'";

/** Headers on every response: cross-origin isolation, CSP and no MIME sniffing. */
const COMMON_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  // A rebuilt site must show up on reload.
  'Cache-Control': 'no-cache',
} as const;

export interface StaticServer {
  /** Base URL, e.g. `http://127.0.0.1:4173/`. */
  readonly url: string;
  readonly port: number;
  /** The directory served. */
  readonly dir: string;
  /** Stop accepting connections and close open ones. */
  close(): Promise<void>;
  /** Resolves once the server has closed. */
  readonly closed: Promise<void>;
}

/** Why a site directory cannot be served, or null when it looks like a built site. */
export function siteProblem(dir: string): string | null {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return `${dir} does not exist: build the explorer first (run npm run build:web)`;
  if (!existsSync(join(dir, 'index.html')))
    return `${dir} has no index.html: build the explorer first (run npm run build:web)`;
  return null;
}

/** The file under `root` that a URL path names, or null if it escapes `root`. */
export function resolveRequestPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  const full = resolve(root, relative);
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return full;
}

/** Whether `path` is `root` or inside it (both real paths). */
function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The regular file to send for `file` (a path under `root` from `resolveRequestPath`),
 * following symbolic links only while they stay inside the real `root`; null otherwise.
 */
export function servedFile(realRoot: string, file: string): string | null {
  let real: string;
  try {
    real = realpathSync(file);
    if (!inside(realRoot, real)) return null;
    if (statSync(real).isDirectory()) {
      real = realpathSync(join(real, 'index.html'));
      if (!inside(realRoot, real)) return null;
    }
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Whether a Host header names this server: a loopback name (127.0.0.1, localhost,
 * [::1]) with the bound port. Anything else is a DNS-rebinding attempt or a proxy.
 */
export function allowedHost(host: string | undefined, port: number): boolean {
  if (host === undefined) return false;
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  const allowed = names.map((name) => `${name}:${port}`);
  if (port === 80) allowed.push(...names);
  return allowed.includes(host.toLowerCase());
}

/**
 * Serve `dir` on 127.0.0.1 (port 0: any free port).
 * @example
 * const server = await startStaticServer({ dir: 'dist-web', port: 0 });
 * await fetch(server.url); // the explorer's index.html
 * await server.close();
 */
export function startStaticServer(options: { dir: string; port: number }): Promise<StaticServer> {
  const root = resolve(options.dir);
  const problem = siteProblem(root);
  if (problem !== null) return Promise.reject(new Error(problem));
  const realRoot = realpathSync(root);
  let boundPort = options.port;
  const server: Server = createServer((req, res) => {
    const send = (status: number, text: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra });
      res.end(req.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (!allowedHost(req.headers.host, boundPort)) {
      send(403, 'forbidden: this server answers only http://127.0.0.1, localhost or [::1] at its port');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const requested = resolveRequestPath(root, req.url ?? '/');
    if (requested === null) {
      send(400, 'bad path');
      return;
    }
    const file = servedFile(realRoot, requested);
    if (file === null) {
      send(404, 'not found');
      return;
    }
    const type = MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': type,
      'Content-Length': String(statSync(file).size),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  const closed = new Promise<void>((resolveClosed) => server.once('close', () => resolveClosed()));
  return new Promise<StaticServer>((resolveStart, rejectStart) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      rejectStart(
        error.code === 'EADDRINUSE'
          ? new UsageError(
              '--port',
              `port ${options.port} on 127.0.0.1 is in use; choose another (0: any free port)`,
            )
          : error,
      );
    });
    server.listen(options.port, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      boundPort = port;
      resolveStart({
        url: `http://127.0.0.1:${port}/`,
        port,
        dir: root,
        closed,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

type ServeListener = (server: StaticServer) => void;
const listeners = new Set<ServeListener>();

/**
 * Be told about each server `saddlesurf serve` starts (in-process tests use this to
 * fetch from it and then close it, which ends the command). Returns an unsubscribe function.
 */
export function onServe(listener: ServeListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const flags = {
  port: integerFlag('--port', {
    description: 'TCP port on 127.0.0.1 (0: any free port)',
    ge: 0,
    le: 65535,
    default: 4173,
  }),
  dir: stringFlag('--dir', {
    description: 'directory of the built site',
    valueName: '<dir>',
    default: 'dist-web',
    defaultText: "the package's dist-web",
  }),
  json: jsonFlag,
} as const;

export const command: CommandModule = {
  name: 'serve',
  register(program, ctx) {
    const cmd = program
      .command('serve')
      .description('serve the in-browser explorer (built by npm run build:web) on http://127.0.0.1:PORT/');
    addFlags(cmd, flags).action(async () => {
      const raw = cmd.opts() as { dir?: unknown };
      const o = readFlags(cmd, { port: flags.port, json: flags.json });
      // --dir defaults to the package's own build, wherever the command is run from.
      const dir = typeof raw.dir === 'string' ? resolve(flags.dir.parse(raw.dir)) : DEFAULT_SITE_DIR;
      const problem = siteProblem(dir);
      if (problem !== null) throw new UsageError('--dir', problem);
      const server = await startStaticServer({ dir, port: o.port });
      // SIGINT/SIGTERM/SIGHUP abort ctx.signal (src/cli/context.ts): stop serving, and main
      // exits 130/143/129 on the CancelledError below.
      const stop = () => void server.close();
      ctx.signal?.addEventListener('abort', stop, { once: true });
      try {
        if (o.json) ctx.stdout(`${JSON.stringify({ url: server.url, dir: server.dir })}\n`);
        else ctx.stdout(`${server.url}\n`);
        ctx.stderr(`saddlesurf serve: serving ${server.dir} at ${server.url} (Ctrl-C to stop)\n`);
        for (const listener of listeners) listener(server);
        if (ctx.signal?.aborted) stop();
        await server.closed;
      } finally {
        ctx.signal?.removeEventListener('abort', stop);
      }
      if (ctx.signal?.aborted) throw new CancelledError('stopped serving');
    });
  },
};
