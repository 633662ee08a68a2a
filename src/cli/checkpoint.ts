/**
 * `--checkpoint-every SECONDS` and `--resume` of the long single runs (`flow`, `dmft`; issue 11).
 *
 * The checkpoint is one file beside the output, `.NAME.checkpoint` in the parent of `--out NAME`,
 * so that a rerun with the same `--out` finds it (also after SIGKILL: nothing of it lives in the
 * run's partial directory). It is written at the first safe point of the solver after every
 * SECONDS of wall time: to a temporary sibling (`.NAME.partial-PID-RANDOM-ckpt`, cleaned like
 * every partial when its process is dead), fsynced, renamed over the previous one, and the
 * directory fsynced, so at every instant the file is a complete checkpoint or absent. It records
 * the command, the validated parameters (seed included), the package version, the time reached
 * and the solver's whole state (RNG words included: src/io/checkpoint.ts). `--resume` continues
 * from it (bit-identical to an uninterrupted run) after checking all of that, and a successful run
 * removes it.
 */

import { createHash } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import {
  claimPartial,
  fsErrorText,
  ownerGone,
  partialPath,
  pathExists,
  readOwner,
  releasePartial,
  truncateUtf8,
  withHeartbeat,
} from '../files/index.ts';
import {
  checkpointHeaderLength,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpointMeta,
} from '../io/checkpoint.ts';
import { toJson } from '../io/json.ts';
import type { FlagSet } from '../tasks/params.ts';
import type { TaskCheckpoint, TaskFiles } from '../tasks/task.ts';
import { VERSION } from '../version.ts';
import type { CliContext } from './context.ts';
import { UsageError } from './errors.ts';
import { numberFlag, switchFlag } from './flags.ts';

export const checkpointFlags = {
  checkpointEvery: numberFlag('--checkpoint-every', {
    description:
      'write a checkpoint beside --out (.NAME.checkpoint) after every SECONDS of work; after a crash, kill or Ctrl-C, rerun with --resume to continue (bit-identical result)',
    ge: 0.1,
    le: 1e9,
  }),
  resume: switchFlag(
    '--resume',
    'continue from the checkpoint beside --out if there is one (same parameters and version; else start at t = 0)',
  ),
} as const;

/** What a checkpoint file records besides the state. */
export interface CheckpointMeta {
  readonly saddlesurf: string;
  readonly command: string;
  /** The validated parameters (seed included), as JSON (Δ = ∞ as "inf"). */
  readonly params: unknown;
  /** The resolved `--out`. */
  readonly out: string;
  /** Time reached by the run. */
  readonly t: number;
  /** Times an earlier run resumed from, in order. */
  readonly resumedFrom: readonly number[];
  readonly savedAt: string;
  readonly host: string;
  readonly pid: number;
}

/** `.NAME.checkpoint` beside `--out NAME` (NAME shortened to stay within 255 bytes). */
export function checkpointPath(out: string): string {
  const target = resolve(out);
  return join(dirname(target), `.${truncateUtf8(basename(target), 240)}.checkpoint`);
}

/** The parameters as JSON values (Δ = ∞ as "inf"), as recorded in the checkpoint. */
const canonical = (params: object): unknown => JSON.parse(toJson(params));

const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** Derived parameters and the flag that sets them. */
const DERIVED: Readonly<Record<string, string>> = {
  atol: '--rtol',
  integrator: '--method',
  instanceSeed: '--instance',
  instanceSha256: '--instance',
  escapeLevel: '--level',
};

/**
 * SHA-256 of the `--instance` file a run reads (null without one), recorded beside the parameters:
 * the path alone would let a resume continue on a file replaced in between (issue 11).
 */
function instanceDigest(params: object): string | null {
  const o = params as { instance?: unknown; parameters?: { instance?: unknown } };
  const path = o.parameters?.instance ?? o.instance;
  if (typeof path !== 'string') return null;
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 24);
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** The flag whose value differs between the checkpoint's parameters and this run's, or null. */
export function differingFlag(
  recorded: unknown,
  current: unknown,
  flags: FlagSet,
): { flag: string; was: unknown; now: unknown } | null {
  const flat = (value: unknown): Record<string, unknown> => {
    const o = (value ?? {}) as Record<string, unknown>;
    const nested = typeof o.parameters === 'object' && o.parameters !== null ? o.parameters : {};
    const { parameters: _p, ...rest } = o;
    return { ...(nested as Record<string, unknown>), ...rest };
  };
  const a = flat(recorded);
  const b = flat(current);
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
    const flag = flags[key]?.name ?? DERIVED[key] ?? kebab(key);
    return { flag, was: a[key], now: b[key] };
  }
  return null;
}

/** The meta of the checkpoint file at `path`, reading only its header; null if unreadable. */
function readMeta(path: string): CheckpointMeta | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const prefix = new Uint8Array(16);
    readSync(fd, prefix, 0, 16, 0);
    const header = new Uint8Array(checkpointHeaderLength(prefix));
    readSync(fd, header, 0, header.length, 0);
    return readCheckpointMeta(header) as CheckpointMeta;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Write `bytes` to `path` durably and atomically: temporary sibling, fsync, rename, fsync of the directory. */
export function writeDurably(path: string, bytes: Uint8Array, temp: string): void {
  try {
    claimPartial(temp);
    const fd = openSync(temp, 'wx');
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new Error(`cannot write the checkpoint ${path}: ${fsErrorText(error)}`);
  } finally {
    releasePartial(temp);
  }
  try {
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Directories cannot be fsynced on every platform; the rename itself is atomic.
  }
}

/**
 * What `openCheckpoint` decided, as plain data (it crosses to the worker thread of an isolated
 * run): where the checkpoint is, how often to write it, what to record, whether to resume.
 */
export interface CheckpointPlan {
  readonly path: string;
  readonly out: string;
  readonly command: string;
  /** The parameters as recorded (JSON values). */
  readonly params: unknown;
  /** Milliseconds between checkpoints (Infinity: none are written). */
  readonly intervalMs: number;
  /** Read the state from `path` and continue from it. */
  readonly resume: boolean;
  /** Times this run continues a chain of resumed runs from (empty: it started at t = 0). */
  readonly resumedFrom: readonly number[];
}

/** The task's checkpoint hooks of a plan (reads and decodes the state when resuming). */
export function checkpointHooks(plan: CheckpointPlan): TaskCheckpoint {
  let state: unknown;
  if (plan.resume) {
    try {
      state = decodeCheckpoint(readFileSync(plan.path)).tree;
    } catch (error) {
      throw new UsageError(
        '--resume',
        `the checkpoint ${plan.path} is damaged (${error instanceof Error ? error.message : String(error)}); delete it, or run with --force and without --resume to start over`,
      );
    }
  }
  let last = performance.now();
  return {
    resume: state,
    due: () => performance.now() - last >= plan.intervalMs,
    save(tree, t) {
      const meta: CheckpointMeta = {
        saddlesurf: VERSION,
        command: plan.command,
        params: plan.params,
        out: plan.out,
        t,
        resumedFrom: plan.resumedFrom,
        savedAt: new Date().toISOString(),
        host: hostname(),
        pid: process.pid,
      };
      writeDurably(plan.path, encodeCheckpoint(meta, tree), partialPath(plan.out, 'ckpt'));
      last = performance.now();
    },
  };
}

/**
 * Run `work` holding the checkpoint of `plan`: its owner record (liveness.ts) stays beside it,
 * refreshed, while the run lasts and is dropped however the run ends; after a successful run
 * the checkpoint itself is removed.
 */
export async function holdingCheckpoint<T>(plan: CheckpointPlan | null, work: () => Promise<T>): Promise<T> {
  if (plan === null) return work();
  try {
    const result = await withHeartbeat(() => [plan.path], work);
    rmSync(plan.path, { force: true });
    return result;
  } finally {
    releasePartial(plan.path);
  }
}

/**
 * Check `--checkpoint-every` / `--resume` against the checkpoint beside `out` before any work:
 * exit 2 (naming the flag) for a resume with other parameters, another version or a damaged file,
 * or for a checkpoint left without `--resume` (unless `--force` discards it). Null: no checkpoints.
 */
export function openCheckpoint(options: {
  readonly command: string;
  readonly flags: FlagSet;
  readonly params: object;
  readonly out: string | undefined;
  readonly force: boolean;
  readonly every: number | undefined;
  readonly resume: boolean;
  readonly ctx: CliContext;
}): CheckpointPlan | null {
  const { command, out, every, resume, ctx } = options;
  if (out === undefined) {
    if (every !== undefined)
      throw new UsageError('--checkpoint-every', 'needs --out (the checkpoint is kept beside it)');
    if (resume) throw new UsageError('--resume', 'needs --out (the checkpoint is kept beside it)');
    return null;
  }
  const path = checkpointPath(out);
  const exists = pathExists(path);
  if (exists && !resume) {
    if (!options.force) {
      const meta = readMeta(path);
      throw new UsageError(
        '--resume',
        `a checkpoint of an interrupted run is beside ${out} (${path}${meta ? `, t = ${meta.t}` : ''}): pass --resume to continue it, or --force to start over and discard it`,
      );
    }
    rmSync(path, { force: true });
  }
  if (every === undefined && !resume) return null;
  const digest = instanceDigest(options.params);
  const params = {
    ...(canonical(options.params) as object),
    ...(digest === null ? {} : { instanceSha256: digest }),
  };
  // One run at a time per checkpoint: another live owner (this host or elsewhere) is refused.
  const holder = readOwner(path);
  if (holder !== null && !ownerGone(holder.record, holder.record.pid, holder.refreshedAt))
    throw new UsageError(
      '--out',
      `another process (PID ${holder.record.pid} on ${holder.record.host}) is running into ${out} with checkpoints; wait for it to end or stop it`,
    );
  let resumedFrom: number[] = [];
  if (resume && exists) {
    const meta = readMeta(path);
    const refuse = (why: string) =>
      new UsageError(
        '--resume',
        `the checkpoint ${path} ${why}; delete it, or run with --force and without --resume to start over`,
      );
    if (meta === null) throw refuse('is not a readable saddlesurf checkpoint');
    if (meta.command !== command) throw refuse(`is of '${meta.command}', not '${command}'`);
    if (meta.saddlesurf !== VERSION)
      throw refuse(
        `was written by saddlesurf ${meta.saddlesurf}, this is ${VERSION} (a bit-identical continuation needs the same version)`,
      );
    const diff = differingFlag(meta.params, params, options.flags);
    if (diff !== null)
      throw new UsageError(
        diff.flag,
        `differs from the checkpoint's (${JSON.stringify(diff.was ?? null)} there, ${JSON.stringify(diff.now ?? null)} here): --resume needs the parameters of the interrupted run`,
      );
    resumedFrom = [...meta.resumedFrom, meta.t];
    ctx.stderr(`${command}: resuming from the checkpoint at t = ${meta.t} (written ${meta.savedAt})\n`);
  } else if (resume) ctx.stderr(`${command}: --resume: no checkpoint beside ${out}; starting at t = 0\n`);
  claimPartial(path); // released by holdingCheckpoint, however the run ends
  return {
    path,
    out: resolve(out),
    command,
    params,
    intervalMs: every === undefined ? Number.POSITIVE_INFINITY : every * 1000,
    resume: resume && exists,
    resumedFrom,
  };
}

/**
 * The task's files, with `params.json` of a resumed run recording the times it resumed from
 * (`resumedFrom`: the one field in which its files differ from an uninterrupted run's).
 */
export function withResumedFrom(files: TaskFiles, resumedFrom: readonly number[]): TaskFiles {
  if (resumedFrom.length === 0) return files;
  return {
    text: (name, content) => files.text(name, content),
    bytes: (name, content) => files.bytes(name, content),
    json: (name, value) =>
      files.json(name, name === 'params.json' ? { ...(value as object), resumedFrom } : value),
  };
}
