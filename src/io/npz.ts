/**
 * NPZ: a zip archive of NPY files, as written by `numpy.savez` (stored, not
 * compressed, so large instances write fast). Pure byte codec over fflate, plus a
 * reader of the zip central directory (to refuse duplicate entries, and to read one
 * entry from the end of a large file without loading all of it).
 */
import { inflateSync, unzipSync, zipSync } from 'fflate';
import { decodeNpy, encodeNpy, type NpyArray } from './npy.ts';

/**
 * Encode named arrays as an NPZ archive (`np.load(path)` gives a dict-like of them).
 * @example
 * const bytes = encodeNpz({ t: { data: new Float64Array([0, 1]), shape: [2] } });
 */
export function encodeNpz(arrays: Readonly<Record<string, NpyArray>>): Uint8Array {
  const files: Record<string, [Uint8Array, { level: 0; mtime: Date }]> = {};
  for (const [name, array] of Object.entries(arrays)) {
    // A fixed mtime keeps the archive byte-for-byte reproducible.
    files[`${name}.npy`] = [encodeNpy(array), { level: 0, mtime: new Date(Date.UTC(1980, 0, 1)) }];
  }
  return zipSync(files);
}

/** One entry of a zip central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  /** Offset of the entry's local header in the file. */
  readonly localOffset: number;
}

/** Longest tail that holds the end-of-central-directory record (22 bytes + a comment ≤ 65535 bytes). */
export const ZIP_EOCD_MAX_BYTES = 22 + 0xffff;

/**
 * The central directory of a zip archive, from the archive's last bytes: `tail` is
 * the end of a file of `fileSize` bytes (pass the whole archive, or at least its last
 * `ZIP_EOCD_MAX_BYTES` plus the directory). Throws if it is not a zip archive, is
 * zip64 (never written here), or the directory does not lie in `tail`.
 */
export function zipDirectory(tail: Uint8Array, fileSize: number = tail.length): ZipEntry[] {
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const tailStart = fileSize - tail.length;
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - ZIP_EOCD_MAX_BYTES; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not an NPZ (zip) archive: no end-of-central-directory record');
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new Error('zip64 archives are not supported');
  let at = dirOffset - tailStart;
  if (at < 0 || at + dirSize > eocd) throw new Error('not an NPZ (zip) archive: bad central directory');
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > eocd || view.getUint32(at, true) !== 0x02014b50)
      throw new Error('not an NPZ (zip) archive: bad central directory entry');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    entries.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(tail.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The first name that occurs more than once, or null. */
function duplicateName(entries: readonly ZipEntry[]): string | null {
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return null;
}

/**
 * The bytes of one entry, given its directory record and the bytes starting at its
 * local header (at least the header, name, extra field and data).
 */
export function zipEntryData(entry: ZipEntry, local: Uint8Array): Uint8Array {
  const view = new DataView(local.buffer, local.byteOffset, local.byteLength);
  if (local.length < 30 || view.getUint32(0, true) !== 0x04034b50)
    throw new Error(`zip entry '${entry.name}': bad local header`);
  const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  const raw = local.subarray(start, start + entry.compressedSize);
  if (raw.length !== entry.compressedSize) throw new Error(`zip entry '${entry.name}' is truncated`);
  if (entry.method === 0) return raw;
  if (entry.method === 8) return inflateSync(raw, { out: new Uint8Array(entry.size) });
  throw new Error(`zip entry '${entry.name}': unsupported compression method ${entry.method}`);
}

/**
 * Decode an NPZ archive into its named arrays. An archive that names an entry twice
 * is refused (zip readers disagree on which copy wins).
 */
export function decodeNpz(bytes: Uint8Array): Record<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  let entries: ZipEntry[];
  try {
    entries = zipDirectory(bytes);
    files = unzipSync(bytes);
  } catch (error) {
    const message = (error as Error).message;
    throw new Error(message.startsWith('not an NPZ') ? message : `not an NPZ (zip) archive: ${message}`);
  }
  const twice = duplicateName(entries);
  if (twice !== null) throw new Error(`entry '${twice}' occurs more than once in the archive`);
  const out: Record<string, NpyArray> = {};
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith('.npy')) continue;
    try {
      out[name.slice(0, -4)] = decodeNpy(content);
    } catch (error) {
      throw new Error(`entry '${name}': ${(error as Error).message}`);
    }
  }
  return out;
}
