/**
 * Writing a command's results without leaving half-written files behind
 * (issues 2, 6 and 11): everything goes into a temporary sibling directory that is
 * renamed to `--out` only when the run succeeded, and removed otherwise. An
 * existing non-empty `--out` is replaced only with `--force`, and only if it is a
 * saddlesurf output (`outputTarget.ts`); the old one is renamed aside, the new one
 * renamed in, then the old one deleted, so a crash never leaves a half-deleted output.
 */
import {
  accessSync,
  closeSync,
  constants,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type CsvValue, columnsToCsv, toCsv } from '../io/csv.ts';
import { toJson } from '../io/json.ts';
import { encodeNpy, type NpyArray } from '../io/npy.ts';
import { encodeNpz } from '../io/npz.ts';
import { UsageError } from '../tasks/usageError.ts';
import { VERSION } from '../version.ts';
import { claimPartial, releasePartial, withHeartbeat } from './liveness.ts';
import {
  cleanStalePartials,
  foreignDirectoryProblem,
  isSaddlesurfFile,
  MARKER_FILE,
  partialPath,
  pathExists,
  refuseProtectedDirectory,
} from './outputTarget.ts';

/** Files written into the (temporary) output directory. */
export interface OutputDir {
  /** The final path the directory will have. */
  readonly path: string;
  text(name: string, content: string): void;
  bytes(name: string, content: Uint8Array): void;
  json(name: string, value: unknown): void;
  csv(name: string, columns: readonly string[], rows: Iterable<readonly CsvValue[]>): void;
  csvColumns(name: string, columns: Readonly<Record<string, ArrayLike<CsvValue>>>): void;
  npy(name: string, array: NpyArray): void;
  npz(name: string, arrays: Readonly<Record<string, NpyArray>>): void;
}

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'file name too long',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'not empty',
  EIO: 'input/output error',
};

/** A file-system error in words ("permission denied"), without the raw errno text. */
export function fsErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code !== undefined) return ERRNO_WORDS[code] ?? `${code.toLowerCase()}`;
  return error instanceof Error ? error.message : String(error);
}

/** The parent of `target` exists, is a directory, and this process may create entries in it. */
function checkParent(path: string, target: string, flag: string): void {
  const parent = dirname(target);
  if (!pathExists(parent)) throw new UsageError(flag, `parent directory ${parent} does not exist`);
  if (!statSync(parent).isDirectory()) throw new UsageError(flag, `${parent} is not a directory`);
  try {
    accessSync(parent, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw new UsageError(flag, `cannot write in ${parent} (${fsErrorText(error)}); choose another ${flag}`);
  }
  if (Buffer.byteLength(basename(target)) > 255)
    throw new UsageError(flag, `the name ${basename(path).slice(0, 40)}… is longer than 255 bytes`);
}

/** Check `--out` (a directory) before any work is done, so a usage error costs nothing. */
export function checkOutputTarget(path: string, force: boolean, flag = '--out'): void {
  const target = resolve(path);
  refuseProtectedDirectory(path, flag);
  checkParent(path, target, flag);
  if (!pathExists(target)) return;
  const stat = lstatSync(target);
  if (stat.isSymbolicLink())
    throw new UsageError(flag, `${path} is a symbolic link; name the directory itself`);
  if (!stat.isDirectory()) throw new UsageError(flag, `${path} exists and is not a directory`);
  if (readdirSync(target).length === 0) return;
  const problem = foreignDirectoryProblem(target);
  if (problem !== null)
    throw new UsageError(
      flag,
      `${path} exists and ${problem}; it is left alone (--force replaces only a saddlesurf output or an empty directory)`,
    );
  if (!force) throw new UsageError(flag, `${path} exists and is not empty; pass --force to replace it`);
}

/** Sleep synchronously for a few milliseconds (lets a concurrent writer finish its renames). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

/**
 * Move the finished directory `temp` to `target`. With `force`, an existing saddlesurf
 * output is renamed aside first and deleted after the new one is in place. Concurrent
 * writers race on the renames; each retries until its output went in (and possibly was
 * replaced by a later one), so the final directory is always one complete output.
 */
function commitDirectory(temp: string, target: string, force: boolean, path: string, flag: string): void {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      renameSync(temp, target); // atomic; succeeds when target is absent or an empty directory
      return;
    } catch (error) {
      if (!['ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EISDIR'].includes(errno(error) ?? ''))
        throw new Error(`cannot move the output into ${path}: ${fsErrorText(error)}`);
    }
    if (!force)
      throw new UsageError(
        flag,
        `${path} was created by another process while this one ran; pass --force to replace it`,
      );
    const aside = partialPath(target, 'old');
    claimPartial(aside);
    try {
      checkOutputTarget(path, true, flag); // still a saddlesurf output (re-checked: it may have changed)
      renameSync(target, aside);
    } catch (error) {
      releasePartial(aside);
      if (error instanceof UsageError) throw error;
      pause(1 + 5 * Math.random()); // another writer moved it meanwhile: try again
      continue;
    }
    if (foreignDirectoryProblem(aside) !== null) {
      // Swapped for a foreign directory between the check and the rename: put it back, refuse.
      try {
        renameSync(aside, target);
      } catch {
        throw new Error(`${path} changed while being replaced; the previous content is in ${aside}`);
      }
      releasePartial(aside);
      continue;
    }
    try {
      renameSync(temp, target);
      return;
    } catch (error) {
      if (!['ENOTEMPTY', 'EEXIST'].includes(errno(error) ?? ''))
        throw new Error(`cannot move the output into ${path}: ${fsErrorText(error)}`);
      pause(1 + 5 * Math.random()); // a concurrent writer's output went in first: replace that one
    } finally {
      rmSync(aside, { recursive: true, force: true });
      releasePartial(aside);
    }
  }
  throw new Error(`${path} kept being replaced by other processes; this run's output was discarded`);
}

/**
 * Run `work` with a fresh temporary directory; on success it becomes `path`
 * (replacing an existing saddlesurf output when `force`), on any error it is removed.
 * The directory gets a marker file listing what was written, which is what lets a
 * later `--force` replace it.
 */
export async function withOutputDir<T>(
  path: string,
  force: boolean,
  work: (out: OutputDir) => Promise<T> | T,
  flag = '--out',
): Promise<T> {
  checkOutputTarget(path, force, flag);
  const target = resolve(path);
  cleanStalePartials(dirname(target));
  const temp = partialPath(target);
  try {
    claimPartial(temp); // the owner record first: a partial is never without one
    mkdirSync(temp);
  } catch (error) {
    releasePartial(temp);
    throw new UsageError(flag, `cannot create the output next to ${path} (${fsErrorText(error)})`);
  }
  const written = new Set<string>();
  const write = (name: string, content: () => Uint8Array | string) => {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.'))
      throw new Error(`bad output file name ${name}`);
    try {
      writeFileSync(join(temp, name), content());
    } catch (error) {
      if (errno(error) === undefined) throw error;
      throw new Error(`cannot write ${join(path, name)}: ${fsErrorText(error)}`);
    }
    written.add(name);
  };
  const out: OutputDir = {
    path: target,
    text: (name, content) => write(name, () => content),
    bytes: (name, content) => write(name, () => content),
    json: (name, value) => write(name, () => toJson(value)),
    csv: (name, columns, rows) => write(name, () => toCsv(columns, rows)),
    csvColumns: (name, columns) => write(name, () => columnsToCsv(columns)),
    npy: (name, array) => write(name, () => encodeNpy(array)),
    npz: (name, arrays) => write(name, () => encodeNpz(arrays)),
  };
  try {
    const result = await withHeartbeat(
      () => [temp],
      async () => work(out),
    );
    const marker = { saddlesurf: VERSION, files: [...written].sort() };
    writeFileSync(join(temp, MARKER_FILE), `${JSON.stringify(marker, null, 2)}\n`);
    commitDirectory(temp, target, force, path, flag);
    return result;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  } finally {
    releasePartial(temp);
  }
}

/**
 * Check a single-file output before any work is done: the parent is writable, and an
 * existing file is replaced only with `force` and only if `isOwn` (default: a
 * saddlesurf NPZ or JSON document) says saddlesurf wrote it.
 */
export function checkOutputFile(
  path: string,
  force: boolean,
  flag = '--out',
  isOwn: (path: string) => boolean = isSaddlesurfFile,
): void {
  const target = resolve(path);
  checkParent(path, target, flag);
  if (!pathExists(target)) return;
  const stat = lstatSync(target);
  if (stat.isDirectory()) throw new UsageError(flag, `${path} is a directory`);
  if (stat.isSymbolicLink()) throw new UsageError(flag, `${path} is a symbolic link; name the file itself`);
  if (!force) throw new UsageError(flag, `${path} exists; pass --force to replace it`);
  if (!isOwn(target))
    throw new UsageError(
      flag,
      `${path} exists and was not written by saddlesurf; it is left alone (--force replaces only saddlesurf files)`,
    );
}

/** Write one file atomically (temporary name, then rename), under the rules of `checkOutputFile`. */
export function writeFileAtomic(
  path: string,
  content: Uint8Array | string,
  force: boolean,
  flag = '--out',
  isOwn: (path: string) => boolean = isSaddlesurfFile,
): void {
  const temp = startFileAtomic(path, force, flag, isOwn);
  try {
    try {
      writeFileSync(temp, content, { flag: 'wx' });
    } catch (error) {
      throw new UsageError(flag, `cannot write next to ${path} (${fsErrorText(error)})`);
    }
    finishFileAtomic(path, temp, force, flag, isOwn);
  } finally {
    rmSync(temp, { force: true });
    releasePartial(temp);
  }
}

/** Bytes written between two turns of the event loop by {@link writeFileAtomicAsync}. */
const WRITE_CHUNK = 1 << 25;

/**
 * {@link writeFileAtomic} for large contents (an N = 1000 instance is 1.3 GB): written in 32 MB
 * chunks with a turn of the event loop between them, so that a signal is handled within a chunk's
 * time (issue 11: exit within 1 s); `cancelled()` is asked after each turn and, when true, the
 * partial file is removed and `onCancel()`'s error thrown.
 */
export async function writeFileAtomicAsync(
  path: string,
  content: Uint8Array,
  force: boolean,
  cancelled: () => boolean,
  onCancel: () => Error,
  flag = '--out',
): Promise<void> {
  const temp = startFileAtomic(path, force, flag, isSaddlesurfFile);
  try {
    let fd: number;
    try {
      fd = openSync(temp, 'wx');
    } catch (error) {
      throw new UsageError(flag, `cannot write next to ${path} (${fsErrorText(error)})`);
    }
    try {
      for (let at = 0; at < content.length; ) {
        at += writeSync(fd, content, at, Math.min(WRITE_CHUNK, content.length - at));
        await new Promise((done) => setImmediate(done));
        if (cancelled()) throw onCancel();
      }
    } finally {
      closeSync(fd);
    }
    finishFileAtomic(path, temp, force, flag, isSaddlesurfFile);
  } finally {
    rmSync(temp, { force: true });
    releasePartial(temp);
  }
}

/** Checks the target and claims a partial name beside it (see {@link writeFileAtomic}). */
function startFileAtomic(
  path: string,
  force: boolean,
  flag: string,
  isOwn: (path: string) => boolean,
): string {
  checkOutputFile(path, force, flag, isOwn);
  const target = resolve(path);
  cleanStalePartials(dirname(target));
  const temp = partialPath(target);
  try {
    claimPartial(temp);
  } catch (error) {
    throw new UsageError(flag, `cannot write next to ${path} (${fsErrorText(error)})`);
  }
  return temp;
}

/** Moves the written partial `temp` to `path`, never clobbering without --force. */
function finishFileAtomic(
  path: string,
  temp: string,
  force: boolean,
  flag: string,
  isOwn: (path: string) => boolean,
): void {
  const target = resolve(path);
  try {
    if (force) {
      checkOutputFile(path, force, flag, isOwn); // it may have changed while this process worked
      renameSync(temp, target); // atomic replacement of a file
      return;
    }
    try {
      linkSync(temp, target); // fails if the name appeared meanwhile: never clobber without --force
    } catch (error) {
      if (errno(error) === 'EEXIST')
        throw new UsageError(
          flag,
          `${path} was created by another process while this one ran; pass --force to replace it`,
        );
      if (pathExists(target)) throw new UsageError(flag, `${path} exists; pass --force to replace it`);
      renameSync(temp, target); // file systems without hard links
    }
  } catch (error) {
    if (error instanceof UsageError || errno(error) === undefined) throw error;
    throw new Error(`cannot write ${path}: ${fsErrorText(error)}`);
  }
}
