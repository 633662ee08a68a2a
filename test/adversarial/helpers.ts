/**
 * Helpers of the adversarial suite (issue 11): the CLI in-process (`cli`) and as real
 * processes (`spawnCli`, for concurrency, signals and another user's permissions).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { memoryContext } from '../../src/cli/context.ts';
import { main } from '../../src/cli/main.ts';

export const BIN = fileURLToPath(new URL('../../bin/saddlesurf', import.meta.url));

export interface CliRun {
  readonly status: number | null;
  readonly out: string;
  readonly err: string;
}

/** `saddlesurf ARGS` in this process. */
export async function cli(...args: string[]): Promise<CliRun> {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
}

/** `saddlesurf ARGS` as a child process (optionally through a wrapper such as setpriv). */
export function spawnCli(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; wrapper?: readonly string[] } = {},
): Promise<CliRun> {
  const command = [...(options.wrapper ?? []), process.execPath, BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise((done) => child.on('close', (status) => done({ status, out, err })));
}

/** Raw errno text or a JavaScript stack trace in a message: what a user must never see. */
export const RAW_ERROR = /\bE[A-Z]{3,}\b:|\n\s+at .+:\d+:\d+|TypeError|RangeError|ReferenceError/;

/** Temporary names (`.NAME.partial-…`) in `dir`. */
export const partials = (dir: string) => readdirSync(dir).filter((name) => name.includes('.partial-'));
