/**
 * What `--out` may name and what `--force` may replace (issue 11): a directory is
 * replaced only if it is empty or carries saddlesurf's marker; a file only if it is a
 * saddlesurf NPZ or JSON; never `/`, the home directory, the current directory or
 * one of its ancestors. Temporary names stay within the file-name limit, and the
 * partials of processes that died are removed on the next run into the same parent.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { decodeNpy } from '../io/npy.ts';
import { ZIP_EOCD_MAX_BYTES, zipDirectory, zipEntryData } from '../io/npz.ts';
import { UsageError } from '../tasks/usageError.ts';
import { ownerGone, ownerPath, readOwner } from './liveness.ts';

/** The marker file `withOutputDir` writes into every output directory: the files it wrote. */
export const MARKER_FILE = '.saddlesurf-output.json';

/** The real path of `path`, following symbolic links of its existing prefix. */
function realPath(path: string): string {
  const target = resolve(path);
  try {
    return realpathSync.native(target);
  } catch {
    const parent = dirname(target);
    return parent === target ? target : join(realPath(parent), basename(target));
  }
}

/**
 * Refuse directories no command should ever replace or write into as a whole:
 * `/`, the home directory, the current directory and its ancestors.
 */
export function refuseProtectedDirectory(path: string, flag: string): void {
  const real = realPath(path);
  const cwd = realPath(process.cwd());
  const home = realPath(homedir());
  const within = (inner: string, outer: string) =>
    inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
  let why: string | null = null;
  if (real === sep) why = 'the root directory';
  else if (real === home) why = 'your home directory';
  else if (real === cwd) why = 'the current directory';
  else if (within(cwd, real)) why = 'an ancestor of the current directory';
  if (why !== null)
    throw new UsageError(flag, `${path} is ${why}; name a new directory for the output (e.g. ${flag} run1)`);
}

/** Whether `dir`'s entries are exactly what a saddlesurf command wrote there; a reason if not. */
export function foreignDirectoryProblem(dir: string): string | null {
  const entries = readdirSync(dir);
  if (entries.length === 0) return null;
  if (entries.includes(MARKER_FILE)) {
    let listed: unknown;
    try {
      listed = (JSON.parse(readFileSync(join(dir, MARKER_FILE), 'utf8')) as { files?: unknown }).files;
    } catch {
      listed = undefined;
    }
    if (!Array.isArray(listed)) return `its ${MARKER_FILE} is not saddlesurf's`;
    const known = new Set<unknown>([MARKER_FILE, ...listed]);
    const extra = entries.filter((name) => !known.has(name));
    if (extra.length > 0)
      return `it holds files saddlesurf did not write there (${extra.slice(0, 3).join(', ')}${extra.length > 3 ? ', …' : ''})`;
    return null;
  }
  // Outputs written before the marker existed: their params.json names the package version and command.
  if (entries.includes('params.json') && isSaddlesurfJson(join(dir, 'params.json'))) return null;
  return 'it is not a saddlesurf output (no marker file)';
}

/** A JSON file whose top level has the `saddlesurf` version and `command` fields of `paramsDocument`. */
function isSaddlesurfJson(path: string): boolean {
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return typeof doc.saddlesurf === 'string' && typeof doc.command === 'string';
  } catch {
    return false;
  }
}

/**
 * Whether `path` is an NPZ written by saddlesurf: its `params` entry holds a
 * `paramsDocument`. Reads only the end of the file (the zip directory) and that entry.
 */
export function isSaddlesurfNpz(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    const read = (position: number, length: number) => {
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - position)));
      readSync(fd, buffer, 0, buffer.length, position);
      return buffer;
    };
    // The directory of a saddlesurf NPZ is ~10 entries; 1 MiB also covers a long comment.
    const tailLength = Math.min(size, ZIP_EOCD_MAX_BYTES + 2 ** 20);
    const entries = zipDirectory(read(size - tailLength, tailLength), size);
    const entry = entries.find((e) => e.name === 'params.npy');
    if (!entry || entry.compressedSize > 2 ** 20) return false;
    const local = read(entry.localOffset, 30 + 2 * 0xffff + entry.compressedSize);
    const params = decodeNpy(zipEntryData(entry, local));
    const doc = JSON.parse(new TextDecoder().decode(params.data as Uint8Array)) as Record<string, unknown>;
    return typeof doc.saddlesurf === 'string' && typeof doc.command === 'string';
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** Whether `--force` may replace the existing file `path` (a saddlesurf NPZ or JSON document). */
export function isSaddlesurfFile(path: string): boolean {
  if (path.endsWith('.npz')) return isSaddlesurfNpz(path);
  if (path.endsWith('.json')) return isSaddlesurfJson(path);
  return false;
}

/** Longest file name (bytes) of the file systems Linux and macOS use. */
const NAME_MAX = 255;

/** The first characters of `text` that fit in `maxBytes` of UTF-8. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

/**
 * A fresh temporary sibling of `target`: `.NAME.partial-PID-RANDOM[-TAG]`, NAME shortened
 * so the whole name stays within 255 bytes (a legal 240-byte `--out` keeps working).
 */
export function partialPath(target: string, tag = ''): string {
  const random = Math.random().toString(36).slice(2, 10).padEnd(8, '0');
  const suffix = `.partial-${process.pid}-${random}${tag ? `-${tag}` : ''}`;
  // Room for the owner record's name beside it (liveness.ts: PARTIAL.owner).
  const name = truncateUtf8(basename(target), NAME_MAX - 1 - suffix.length - '.owner'.length);
  return join(dirname(target), `.${name}${suffix}`);
}

// Also the PID-TIMESTAMP names of earlier versions; -old: an output renamed aside; -ckpt: a checkpoint being written.
const PARTIAL = /^\..*\.partial-(\d+)-[0-9a-z]+(-old|-ckpt)?$/;
/** An owner record (liveness.ts), possibly left without its partial. */
const OWNER = /^(\..*\.partial-(\d+)-[0-9a-z]+(?:-old|-ckpt)?)\.owner$/;

/**
 * Remove the partials (`.NAME.partial-PID-…`) in `parent` whose owner is provably gone
 * (liveness.ts: dead, its PID reused, or silent for an hour on another host, boot or PID
 * namespace), with their owner records, and owner records left without a partial by gone
 * owners. Returns the names of the partials removed. Partials of live owners, including this
 * process, and those of other users are left alone.
 */
export function cleanStalePartials(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const present = new Set(names);
  const removed: string[] = [];
  const uid = process.getuid?.();
  for (const name of names) {
    const partial = PARTIAL.exec(name);
    const orphan = partial ? null : OWNER.exec(name);
    if (orphan && present.has(orphan[1])) continue; // judged with its partial
    const partialName = partial ? name : orphan?.[1];
    const pid = Number(partial ? partial[1] : orphan?.[2]);
    if (partialName === undefined) continue;
    const path = join(parent, partialName);
    const owner = readOwner(path);
    if (!ownerGone(owner?.record ?? null, pid, owner?.refreshedAt ?? 0)) continue;
    try {
      if (uid !== undefined && lstatSync(join(parent, name)).uid !== uid) continue;
      rmSync(path, { recursive: true, force: true });
      rmSync(ownerPath(path), { force: true });
      if (partial) removed.push(name);
    } catch {
      // Another process cleaned it first, or it is not ours to remove.
    }
  }
  return removed;
}

/** Whether the path exists (without following a final symbolic link). */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return existsSync(path);
  }
}
