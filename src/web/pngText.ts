/**
 * A text chunk in a PNG file: the explorer's PNG exports carry the provenance of the numbers
 * they show (PNG specification, 11.3.3.4 iTXt: UTF-8 text under a Latin-1 keyword), so a figure
 * file says by itself which command, parameters, seed and version made it.
 */

/** The PNG file signature (8 bytes). */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO 3309, polynomial 0xEDB88320) as PNG chunks use it. */
export function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One chunk: length, type, data, CRC of type + data. */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * The PNG with an uncompressed iTXt chunk `keyword` → `text` inserted before its IEND chunk.
 * @example
 * withPngText(png, 'saddlesurf', '{"command":"landscape"}');
 */
export function withPngText(png: Uint8Array, keyword: string, text: string): Uint8Array<ArrayBuffer> {
  if (!SIGNATURE.every((b, i) => png[i] === b)) throw new Error('withPngText: not a PNG file');
  if (!/^[\x20-\x7e]{1,79}$/.test(keyword)) throw new Error(`withPngText: bad keyword '${keyword}'`);
  const body = new TextEncoder().encode(text);
  // keyword, NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL.
  const data = new Uint8Array(keyword.length + 5 + body.length);
  for (let i = 0; i < keyword.length; i++) data[i] = keyword.charCodeAt(i);
  data.set(body, keyword.length + 5);
  const end = png.length - 12; // IEND: 4 length + 4 type + 0 data + 4 CRC
  if (String.fromCharCode(...png.subarray(end + 4, end + 8)) !== 'IEND')
    throw new Error('withPngText: the PNG does not end with IEND');
  const extra = chunk('iTXt', data);
  const out = new Uint8Array(png.length + extra.length);
  out.set(png.subarray(0, end));
  out.set(extra, end);
  out.set(png.subarray(end), end + extra.length);
  return out;
}

/** The iTXt chunks of a PNG as keyword → text (for tests and readers). */
export function readPngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = 8; at + 12 <= png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'iTXt') {
      const data = png.subarray(at + 8, at + 8 + length);
      const nul = data.indexOf(0);
      const keyword = String.fromCharCode(...data.subarray(0, nul));
      let k = nul + 3; // flag, method
      k = data.indexOf(0, k) + 1; // language tag
      k = data.indexOf(0, k) + 1; // translated keyword
      out[keyword] = new TextDecoder().decode(data.subarray(k));
    }
    at += 12 + length;
  }
  return out;
}
