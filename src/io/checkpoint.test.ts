import { describe, expect, it } from 'vitest';
import {
  captureFields,
  checkpointHeaderLength,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpointMeta,
  restoreFields,
} from './checkpoint.ts';

class Solver {
  n = 3;
  h = Number.NaN;
  valid = false;
  readonly x = Float64Array.of(1, 2, 3);
  readonly k = [new Float64Array(2), new Float64Array(2)];
  readonly stats = { accepted: 0, rejected: 0 };
  readonly inner = { words: new Uint32Array(4), spare: null as number | null };
  readonly f = (c: number) => c * c;
}

describe('checkpoint encoding', () => {
  it('round-trips every double bit for bit (NaN, ±Infinity, −0, subnormals) and the other types', () => {
    const special = Float64Array.of(
      -0,
      Number.NaN,
      Infinity,
      -Infinity,
      5e-324,
      1 / 3,
      -1.7976931348623157e308,
    );
    const tree = {
      scalars: [-0, Number.NaN, Infinity, -Infinity, 5e-324, 0.1, 2 ** 53 + 2],
      special,
      sub: special.subarray(2, 5),
      u: Uint32Array.of(0xffffffff, 1),
      b: Uint8Array.of(7),
      f32: Float32Array.of(1.5),
      i32: Int32Array.of(-5),
      nested: { s: 'x', yes: true, none: null, list: [{ a: 1 }, [2, 3]] },
    };
    const { meta, tree: back } = decodeCheckpoint(encodeCheckpoint({ t: 4.5 }, tree));
    expect(meta).toEqual({ t: 4.5 });
    const b = back as typeof tree;
    // Compare the raw bytes: toEqual treats −0 and 0 alike.
    const bits = (a: Float64Array) => [...new Uint8Array(a.buffer, a.byteOffset, a.byteLength)];
    expect(bits(b.special)).toEqual(bits(special));
    expect(bits(b.sub)).toEqual(bits(special.subarray(2, 5)));
    expect(bits(Float64Array.from(b.scalars))).toEqual(bits(Float64Array.from(tree.scalars)));
    expect(Object.is(b.scalars[0], -0)).toBe(true);
    expect([...b.u]).toEqual([0xffffffff, 1]);
    expect(b.b).toBeInstanceOf(Uint8Array);
    expect(b.f32[0]).toBe(1.5);
    expect(b.i32[0]).toBe(-5);
    expect(b.nested).toEqual(tree.nested);
  });

  it('reads the meta from the header alone, and refuses corrupt or truncated bytes', () => {
    const bytes = encodeCheckpoint({ command: 'flow' }, { x: new Float64Array(100).fill(2) });
    const headerLength = checkpointHeaderLength(bytes.subarray(0, 16));
    expect(readCheckpointMeta(bytes.subarray(0, headerLength))).toEqual({ command: 'flow' });
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 1;
    expect(() => decodeCheckpoint(flipped)).toThrow(/checksum/);
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 8))).toThrow(/checksum|truncated/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"x":1}         '))).toThrow(/not a saddlesurf/);
  });

  it('captures an object generically and restores it into a fresh instance (fields, nested, arrays of arrays)', () => {
    const a = new Solver();
    a.n = 7;
    a.h = -0;
    a.valid = true;
    a.x.set([4, 5, 6]);
    a.k[1][0] = 9;
    a.stats.accepted = 3;
    a.inner.words.set([1, 2, 3, 4]);
    a.inner.spare = 0.25;
    const { tree } = decodeCheckpoint(encodeCheckpoint(null, captureFields(a)));
    const b = new Solver();
    const x = b.x;
    restoreFields(b, tree);
    expect(b.x).toBe(x); // copied into its own array
    expect([b.n, b.valid, [...b.x], b.k[1][0], b.stats.accepted, [...b.inner.words], b.inner.spare]).toEqual([
      7,
      true,
      [4, 5, 6],
      9,
      3,
      [1, 2, 3, 4],
      0.25,
    ]);
    expect(Object.is(b.h, -0)).toBe(true);
    expect(b.f(3)).toBe(9);
    const wrong = captureFields(a) as Record<string, unknown>;
    wrong.x = new Float64Array(2);
    expect(() => restoreFields(new Solver(), wrong as never)).toThrow(/shape differs/);
  });
});
