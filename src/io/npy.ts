/**
 * NPY format version 1.0 (numpy `numpy.lib.format`): a magic string, a header
 * dict padded so the data starts on a 64-byte boundary, then little-endian C-order
 * data. Pure byte codec, no file system: usable in Node and in the browser.
 */

/** Typed arrays that map to an NPY dtype. */
export type NpyData =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Uint8Array
  | Int8Array
  | Int16Array;

/** An n-dimensional array in C order. */
export interface NpyArray {
  readonly data: NpyData;
  readonly shape: readonly number[];
  /**
   * The dtype as the file stated it (`'<f8'`, `'<i8'`, …), set by `decodeNpy`: 64-bit
   * integers decode into a Float64Array, so the data alone cannot tell them from float64.
   * For `encodeNpy`, `'<i8'` with a Float64Array of safe integers writes int64.
   */
  readonly descr?: string;
}

const DTYPES: ReadonlyArray<{
  descr: string;
  ctor: { new (b: ArrayBuffer): NpyData; BYTES_PER_ELEMENT: number };
}> = [
  { descr: '<f8', ctor: Float64Array },
  { descr: '<f4', ctor: Float32Array },
  { descr: '<i4', ctor: Int32Array },
  { descr: '<u4', ctor: Uint32Array },
  { descr: '|u1', ctor: Uint8Array },
  { descr: '|i1', ctor: Int8Array },
  { descr: '<i2', ctor: Int16Array },
];

function descrOf(data: NpyData): string {
  for (const d of DTYPES) if (data instanceof d.ctor) return d.descr;
  throw new TypeError('unsupported typed array for NPY');
}

/** Little-endian int64 bytes of safe integers (numpy reads them as exact integers). */
function toInt64Bytes(data: NpyData): Uint8Array {
  const out = new BigInt64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isSafeInteger(v)) throw new RangeError(`int64 NPY entry ${i} is not a safe integer: ${v}`);
    out[i] = BigInt(v);
  }
  return new Uint8Array(out.buffer);
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Encode an array as NPY bytes.
 * @example
 * const bytes = encodeNpy({ data: new Float64Array([1, 2, 3, 4]), shape: [2, 2] });
 * // np.load(io.BytesIO(bytes)) → array([[1., 2.], [3., 4.]])
 */
export function encodeNpy(array: NpyArray): Uint8Array {
  const { shape } = array;
  const int64 = array.descr === '<i8';
  const data = int64 ? toInt64Bytes(array.data) : array.data;
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== array.data.length)
    throw new RangeError(`NPY shape [${shape}] has ${count} elements, data has ${array.data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const descr = int64 ? '<i8' : descrOf(data);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += `${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const headerBytes = new TextEncoder().encode(header);
  const out = new Uint8Array(MAGIC.length + 4 + headerBytes.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  out[8] = headerBytes.length & 0xff;
  out[9] = headerBytes.length >> 8;
  out.set(headerBytes, 10);
  // Typed arrays are little-endian on every platform Node and browsers run on.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + headerBytes.length);
  return out;
}

/** Decode NPY bytes (versions 1.0–3.0, little-endian, C order, the dtypes above). */
export function decodeNpy(bytes: Uint8Array): NpyArray {
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw new Error('not an NPY file (bad magic string)');
  }
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    headerLength = view.getUint32(8, true);
    start = 12;
  } else throw new Error(`unsupported NPY version ${major}`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLength));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new Error(`bad NPY header: ${header}`);
  if (fortran === 'True') throw new Error('Fortran-order NPY arrays are not supported');
  if (descr.startsWith('>')) throw new Error(`unsupported NPY dtype ${descr} (big-endian)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : Number.NaN));
  if (shape.some((d) => !Number.isSafeInteger(d))) throw new Error(`bad NPY shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) throw new Error(`bad NPY shape (${shapeText})`);
  const offset = start + headerLength;
  const normalized = descr[0] === '=' ? `<${descr.slice(1)}` : descr;
  if (normalized === '<i8' || normalized === '<u8')
    return { data: decodeInt64(bytes, offset, count, normalized), shape, descr: normalized };
  const dtype = DTYPES.find(
    (d) => d.descr.slice(1) === descr.slice(1) && (d.descr[0] === descr[0] || descr[0] === '='),
  );
  if (!dtype) throw new Error(`unsupported NPY dtype ${descr}`);
  const byteLength = count * dtype.ctor.BYTES_PER_ELEMENT;
  if (offset + byteLength > bytes.byteLength) throw new Error('NPY data is truncated');
  // Copy into a fresh, aligned buffer.
  const buffer = bytes.buffer.slice(
    bytes.byteOffset + offset,
    bytes.byteOffset + offset + byteLength,
  ) as ArrayBuffer;
  return { data: new dtype.ctor(buffer), shape, descr: dtype.descr };
}

/**
 * 64-bit integers (numpy's default integer, e.g. `np.savez(n=200)`) have no JS typed
 * array that arithmetic code accepts; they are decoded into a Float64Array, which is
 * exact for |value| < 2^53 and refused beyond.
 */
function decodeInt64(bytes: Uint8Array, offset: number, count: number, descr: string): Float64Array {
  if (offset + 8 * count > bytes.byteLength) throw new Error('NPY data is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8 * count);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const big = descr === '<i8' ? view.getBigInt64(8 * i, true) : view.getBigUint64(8 * i, true);
    const value = Number(big);
    if (!Number.isSafeInteger(value))
      throw new Error(`NPY ${descr} value ${big} is beyond 2^53 and cannot be read exactly`);
    out[i] = value;
  }
  return out;
}
