/**
 * Checkpoints of long runs (issue 11): a tree of plain values and typed arrays, encoded to one
 * byte string and back BIT FOR BIT (every double, NaN, ±Infinity and −0 included), plus the
 * generic capture and restore of an object's fields, so that a solver's state (its typed arrays
 * and scalars, whatever fields it has) can be written without listing them.
 *
 * Layout: the magic `SDLCKPT1`, a little-endian uint32 header length, a uint32 checksum
 * (FNV-1a over the 32-bit words of everything after the first 16 bytes), a JSON header
 * `{ meta, tree, blobs }` in which each typed array is `{"$ta": index}` and each number JSON
 * cannot spell is `{"$n": "NaN" | "Infinity" | "-Infinity" | "-0"}`, padding to 8 bytes, then the
 * arrays' bytes, each starting on an 8-byte boundary (platform byte order: little-endian).
 * Pure: no file system here (the CLI writes it atomically).
 */

const MAGIC = 'SDLCKPT1';
const PREFIX = 16;

/** Typed arrays a checkpoint can hold. */
export type CheckpointArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

/** A value a checkpoint can hold. */
export type CheckpointValue =
  | number
  | string
  | boolean
  | null
  | CheckpointArray
  | readonly CheckpointValue[]
  | { readonly [key: string]: CheckpointValue };

const ARRAY_TYPES = { Float64Array, Float32Array, Int32Array, Uint32Array, Uint8Array } as const;
type ArrayKind = keyof typeof ARRAY_TYPES;

function arrayKind(value: unknown): ArrayKind | null {
  for (const kind of Object.keys(ARRAY_TYPES) as ArrayKind[])
    if (value instanceof ARRAY_TYPES[kind]) return kind;
  return null;
}

const align8 = (n: number) => (n + 7) & ~7;

/** FNV-1a over 32-bit words (the length is a multiple of 4). */
function checksum(bytes: Uint8Array): number {
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h >>> 0;
}

/**
 * Encode `meta` (JSON-able, read alone by {@link readCheckpointMeta}) and `tree` (the state).
 * @example
 * const bytes = encodeCheckpoint({ t: 1 }, { x: Float64Array.of(-0, Number.NaN) });
 * Object.is((decodeCheckpoint(bytes).tree as { x: Float64Array }).x[0], -0); // → true
 */
export function encodeCheckpoint(meta: unknown, tree: unknown): Uint8Array {
  const blobs: { kind: ArrayKind; length: number; offset: number }[] = [];
  const arrays: CheckpointArray[] = [];
  let offset = 0;
  const walk = (value: unknown): unknown => {
    if (typeof value === 'number') {
      if (Object.is(value, -0)) return { $n: '-0' };
      return Number.isFinite(value) ? value : { $n: String(value) };
    }
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    const kind = arrayKind(value);
    if (kind !== null) {
      const array = value as CheckpointArray;
      blobs.push({ kind, length: array.length, offset });
      arrays.push(array);
      offset = align8(offset + array.byteLength);
      return { $ta: blobs.length - 1 };
    }
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = walk(v);
      return out;
    }
    throw new TypeError(`a checkpoint cannot hold a ${typeof value}`);
  };
  const header = new TextEncoder().encode(JSON.stringify({ meta, tree: walk(tree), blobs }));
  const start = align8(PREFIX + header.length);
  const bytes = new Uint8Array(start + offset);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(8, header.length, true);
  bytes.set(header, PREFIX);
  for (let k = 0; k < arrays.length; k++) {
    const a = arrays[k];
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + blobs[k].offset);
  }
  view.setUint32(12, checksum(bytes.subarray(PREFIX)), true);
  return bytes;
}

function parseHeader(bytes: Uint8Array): { meta: unknown; tree: unknown; blobs: unknown; start: number } {
  if (bytes.length < PREFIX || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    throw new Error('not a saddlesurf checkpoint');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
  if (PREFIX + length > bytes.length) throw new Error('truncated checkpoint');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + length)));
  return { ...header, start: align8(PREFIX + length) };
}

/** The `meta` of a checkpoint, reading only its header (`bytes` may be just the file's start). */
export function readCheckpointMeta(bytes: Uint8Array): unknown {
  return parseHeader(bytes).meta;
}

/** Length of the header part of a checkpoint, from its first 16 bytes (to read the meta alone). */
export function checkpointHeaderLength(prefix: Uint8Array): number {
  if (prefix.length < PREFIX) throw new Error('truncated checkpoint');
  return PREFIX + new DataView(prefix.buffer, prefix.byteOffset).getUint32(8, true);
}

/** Decode a checkpoint; throws on a wrong magic, a truncated file or a checksum mismatch. */
export function decodeCheckpoint(input: Uint8Array): { meta: unknown; tree: CheckpointValue } {
  // Own, aligned copy: the arrays below are views into it.
  const bytes = new Uint8Array(input);
  const { meta, tree, blobs, start } = parseHeader(bytes);
  if (bytes.length % 4 !== 0) throw new Error('truncated checkpoint');
  const stored = new DataView(bytes.buffer).getUint32(12, true);
  if (checksum(bytes.subarray(PREFIX)) !== stored) throw new Error('checkpoint checksum mismatch');
  const list = blobs as { kind: ArrayKind; length: number; offset: number }[];
  const walk = (value: unknown): CheckpointValue => {
    if (value === null || typeof value !== 'object') return value as CheckpointValue;
    if (Array.isArray(value)) return value.map(walk);
    const o = value as Record<string, unknown>;
    if (typeof o.$n === 'string') return o.$n === '-0' ? -0 : Number(o.$n);
    if (typeof o.$ta === 'number') {
      const b = list[o.$ta];
      const Type = ARRAY_TYPES[b.kind];
      if (Type === undefined) throw new Error(`unknown array type ${b.kind}`);
      const at = start + b.offset;
      if (at + b.length * Type.BYTES_PER_ELEMENT > bytes.length) throw new Error('truncated checkpoint');
      return new Type(bytes.buffer, at, b.length);
    }
    const out: Record<string, CheckpointValue> = {};
    for (const [key, v] of Object.entries(o)) out[key] = walk(v);
    return out;
  };
  return { meta, tree: walk(tree) };
}

/**
 * The state of an object, generically: its own typed arrays (by reference: encode before the
 * object changes), numbers, strings, booleans, null, arrays and nested objects, recursively;
 * functions and undefined are skipped (they are rebuilt by the constructor). Fields a class
 * gains later are carried without changing this.
 */
export function captureFields(obj: object): { [key: string]: CheckpointValue } {
  const capture = (value: unknown): CheckpointValue | undefined => {
    if (value === undefined || typeof value === 'function') return undefined;
    if (value === null || typeof value !== 'object') return value as CheckpointValue;
    if (arrayKind(value) !== null) return value as CheckpointArray;
    if (ArrayBuffer.isView(value)) throw new TypeError('a checkpoint cannot hold this typed array');
    if (Array.isArray(value)) return value.map((v) => capture(v) ?? null);
    const out: Record<string, CheckpointValue> = {};
    for (const [key, v] of Object.entries(value)) {
      const c = capture(v);
      if (c !== undefined) out[key] = c;
    }
    return out;
  };
  return capture(obj) as { [key: string]: CheckpointValue };
}

/**
 * Put a state captured by {@link captureFields} back into a freshly constructed object of the
 * same shape: typed arrays are copied into the object's own arrays (same type and length
 * required), scalars assigned, nested objects and arrays restored recursively.
 */
export function restoreFields(obj: object, state: CheckpointValue): void {
  if (state === null || typeof state !== 'object' || arrayKind(state) !== null || Array.isArray(state))
    throw new TypeError('restoreFields needs an object state');
  const target = obj as Record<string, unknown>;
  for (const [key, value] of Object.entries(state)) target[key] = restoreValue(target[key], value, key);
}

/** The restored value of one field: `current` updated in place where it is an array or object. */
function restoreValue(current: unknown, value: CheckpointValue, key: string): unknown {
  if (arrayKind(value) !== null) {
    const array = value as CheckpointArray;
    if (current === undefined || current === null) return array.slice();
    const own = current as CheckpointArray;
    if (arrayKind(own) !== arrayKind(array) || own.length !== array.length)
      throw new RangeError(`checkpoint field ${key}: its shape differs from this run's`);
    own.set(array as never);
    return own;
  }
  if (Array.isArray(value)) {
    if (!Array.isArray(current)) return value.map((v, k) => restoreValue(undefined, v, `${key}[${k}]`));
    const restored = value.map((v, k) => restoreValue(current[k], v, `${key}[${k}]`));
    current.length = 0;
    for (const v of restored) current.push(v);
    return current;
  }
  if (value !== null && typeof value === 'object') {
    if (current === null || typeof current !== 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = restoreValue(undefined, v, `${key}.${k}`);
      return out;
    }
    restoreFields(current, value);
    return current;
  }
  return value;
}
