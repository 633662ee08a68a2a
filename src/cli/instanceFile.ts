/**
 * Instance files (`saddlesurf sample --out inst.npz`; `--instance inst.npz` in other
 * commands): an NPZ archive with the entries of `instanceToNpzEntries` (src/model)
 * plus `params`, the UTF-8 bytes of the `paramsDocument` JSON (provenance).
 */
import { readFileSync, statSync } from 'node:fs';
import { decodeNpz, encodeNpz, type NpyArray } from '../io/index.ts';
import { type Instance, instanceFromNpzEntries, instanceToNpzEntries } from '../model/index.ts';
import { UsageError } from './errors.ts';

/** The NPZ bytes of an instance, with its provenance document as a `params` uint8 entry. */
export function encodeInstanceFile(inst: Instance, params: unknown): Uint8Array {
  const text = new TextEncoder().encode(JSON.stringify(params));
  const entries: Record<string, NpyArray> = {
    ...instanceToNpzEntries(inst),
    params: { data: text, shape: [text.length] },
  };
  return encodeNpz(entries);
}

/**
 * Read and validate an instance file. Any problem (missing, unreadable, not an NPZ,
 * inconsistent entries) is a UsageError naming `flag` → exit status 2.
 */
export function loadInstanceFile(path: string, flag = '--instance'): Instance {
  let bytes: Uint8Array;
  try {
    if (!statSync(path).isFile()) throw new Error('not a regular file');
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(flag, `cannot read instance file ${path}: ${(error as Error).message}`);
  }
  try {
    return instanceFromNpzEntries(decodeNpz(bytes));
  } catch (error) {
    throw new UsageError(
      flag,
      `${path} is not a valid saddlesurf instance file (write one with 'saddlesurf sample'): ${(error as Error).message}`,
    );
  }
}
