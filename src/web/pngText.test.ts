import { deflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, readPngText, withPngText } from './pngText.ts';

/** A 1×1 grey PNG built here with Node's zlib (an independent CRC and deflate). */
function tinyPng(): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlibCrc32(body), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]); // 1×1, 8-bit grey
  const idat = deflateSync(Buffer.from([0, 128]));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

describe('PNG text chunks', () => {
  it("computes PNG's CRC-32 (against zlib's, and IEND's well-known AE426082)", () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082);
    const bytes = new TextEncoder().encode('saddlesurf Δp = 1');
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
  });

  it('inserts a UTF-8 iTXt chunk before IEND with a valid CRC, and reads it back', () => {
    const png = tinyPng();
    const text = '{"command":"saddlesurf landscape --p 3","note":"Δ2 = 1/3"}';
    const out = withPngText(png, 'saddlesurf', text);
    expect(readPngText(out)).toEqual({ saddlesurf: text });
    // Every chunk's CRC checks with zlib's; the file still ends with IEND.
    const view = Buffer.from(out);
    let at = 8;
    const types: string[] = [];
    while (at < view.length) {
      const length = view.readUInt32BE(at);
      types.push(view.toString('latin1', at + 4, at + 8));
      expect(view.readUInt32BE(at + 8 + length)).toBe(zlibCrc32(view.subarray(at + 4, at + 8 + length)));
      at += 12 + length;
    }
    expect(types).toEqual(['IHDR', 'IDAT', 'iTXt', 'IEND']);
    expect(() => withPngText(new Uint8Array(20), 'saddlesurf', text)).toThrow('not a PNG');
  });
});
