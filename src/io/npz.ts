/**
 * NPZ: a zip archive of NPY files, as written by `numpy.savez` (stored, not
 * compressed, so large instances write fast). Pure byte codec over fflate.
 */
import { unzipSync, zipSync } from 'fflate';
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

/** Decode an NPZ archive into its named arrays. */
export function decodeNpz(bytes: Uint8Array): Record<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (error) {
    throw new Error(`not an NPZ (zip) archive: ${(error as Error).message}`);
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith('.npy')) continue;
    out[name.slice(0, -4)] = decodeNpy(content);
  }
  return out;
}
