/**
 * Writing a command's results without leaving half-written files behind
 * (issues 2 and 6): everything goes into a temporary sibling directory that is
 * renamed to `--out` only when the run succeeded, and removed otherwise. An
 * existing non-empty `--out` is replaced only with `--force`.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type CsvValue, columnsToCsv, toCsv } from '../io/csv.ts';
import { toJson } from '../io/json.ts';
import { encodeNpy, type NpyArray } from '../io/npy.ts';
import { encodeNpz } from '../io/npz.ts';
import { VERSION } from '../version.ts';
import { UsageError } from './errors.ts';

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

/** Check `--out` before any work is done, so a usage error costs nothing. */
export function checkOutputTarget(path: string, force: boolean, flag = '--out'): void {
  const target = resolve(path);
  if (!existsSync(target)) {
    if (!existsSync(dirname(target))) {
      throw new UsageError(flag, `parent directory ${dirname(target)} does not exist`);
    }
    return;
  }
  if (!statSync(target).isDirectory()) throw new UsageError(flag, `${path} exists and is not a directory`);
  if (readdirSync(target).length > 0 && !force) {
    throw new UsageError(flag, `${path} exists and is not empty; pass --force to replace it`);
  }
}

/**
 * Run `work` with a fresh temporary directory; on success it becomes `path`
 * (replacing an existing one when `force`), on any error it is removed.
 */
export async function withOutputDir<T>(
  path: string,
  force: boolean,
  work: (out: OutputDir) => Promise<T> | T,
): Promise<T> {
  checkOutputTarget(path, force);
  const target = resolve(path);
  const temp = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${Date.now()}`);
  mkdirSync(temp);
  const file = (name: string) => {
    if (name.includes('/') || name.includes('\\') || name.startsWith('.'))
      throw new Error(`bad output file name ${name}`);
    return join(temp, name);
  };
  const out: OutputDir = {
    path: target,
    text: (name, content) => writeFileSync(file(name), content),
    bytes: (name, content) => writeFileSync(file(name), content),
    json: (name, value) => writeFileSync(file(name), toJson(value)),
    csv: (name, columns, rows) => writeFileSync(file(name), toCsv(columns, rows)),
    csvColumns: (name, columns) => writeFileSync(file(name), columnsToCsv(columns)),
    npy: (name, array) => writeFileSync(file(name), encodeNpy(array)),
    npz: (name, arrays) => writeFileSync(file(name), encodeNpz(arrays)),
  };
  try {
    const result = await work(out);
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(temp, target);
    return result;
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Write one file atomically (temporary name, then rename). */
export function writeFileAtomic(
  path: string,
  content: Uint8Array | string,
  force: boolean,
  flag = '--out',
): void {
  const target = resolve(path);
  if (!existsSync(dirname(target))) throw new UsageError(flag, `directory ${dirname(target)} does not exist`);
  if (existsSync(target) && !force) throw new UsageError(flag, `${path} exists; pass --force to replace it`);
  const temp = join(dirname(target), `.${basename(target)}.partial-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(temp, content);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

/**
 * The `params.json` every command writes: command, every parameter, seed and
 * package version. A pure function of its inputs (no timestamps), so reruns are
 * byte-identical.
 */
export function paramsDocument(
  command: string,
  parameters: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return { saddlesurf: VERSION, command, parameters, ...extra };
}
