import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy } from './npy.ts';
import { decodeNpz, encodeNpz, zipDirectory } from './npz.ts';

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `bytes` with every `from` replaced by `to` (same length, ASCII). */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = Buffer.from(bytes).toString('latin1').replaceAll(from, to);
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-npy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('NPY / NPZ codec', () => {
  it('round-trips arrays of every dtype and shape (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 }),
        fc.nat(100),
        (shape, seed) => {
          const count = shape.reduce((a, b) => a * b, 1);
          for (const ctor of [Float64Array, Float32Array, Int32Array, Uint8Array] as const) {
            const data = new ctor(count).map((_, i) => (i * 7 + seed) % 13);
            const back = decodeNpy(encodeNpy({ data, shape }));
            if (!(back.data instanceof ctor) || back.shape.join() !== shape.join()) return false;
            if (Array.from(back.data).join() !== Array.from(data).join()) return false;
          }
          return true;
        },
      ),
    );
  });

  it('puts the data on a 64-byte boundary, as the NPY spec requires', () => {
    const bytes = encodeNpy({ data: new Float64Array(3), shape: [3] });
    expect((bytes.length - 24) % 64).toBe(0);
  });

  it('rejects bad input', () => {
    expect(() => encodeNpy({ data: new Float64Array(3), shape: [2] })).toThrow(/elements/);
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(/magic/);
    expect(() => decodeNpz(new Uint8Array([1, 2, 3]))).toThrow(/zip/);
  });

  it('reports the stated dtype, so int64 can be told from float64', () => {
    expect(decodeNpy(encodeNpy({ data: new Float64Array(2), shape: [2] })).descr).toBe('<f8');
    expect(decodeNpy(encodeNpy({ data: new Float32Array(2), shape: [2] })).descr).toBe('<f4');
    // An '<i8' array: same header as float64 with another descr, 8-byte little-endian integers.
    const bytes = patch(encodeNpy({ data: new Float64Array(2), shape: [2] }), "'<f8'", "'<i8'");
    new DataView(bytes.buffer).setBigInt64(bytes.length - 16, 7n, true);
    const back = decodeNpy(bytes);
    expect(back.descr).toBe('<i8');
    expect(back.data).toBeInstanceOf(Float64Array);
    expect(Array.from(back.data)).toEqual([7, 0]);
  });

  it('refuses an NPZ that names an entry twice, and bad NPY shapes', () => {
    const one = { data: new Float64Array([1]), shape: [1] };
    const two = { data: new Float64Array([2]), shape: [1] };
    const bytes = encodeNpz({ signal: one, sigxxx: two });
    expect(zipDirectory(bytes).map((e) => e.name)).toEqual(['signal.npy', 'sigxxx.npy']);
    // Rename the second entry to the first name in its local and central headers (same length).
    const twice = patch(bytes, 'sigxxx.npy', 'signal.npy');
    expect(zipDirectory(twice).map((e) => e.name)).toEqual(['signal.npy', 'signal.npy']);
    expect(() => decodeNpz(twice)).toThrow("entry 'signal.npy' occurs more than once in the archive");
    const bad = patch(encodeNpy(one), "'shape': (1,)", "'shape': (x,)");
    expect(() => decodeNpy(bad)).toThrow(/bad NPY shape/);
  });

  it('NPZ is byte-for-byte reproducible', () => {
    const arrays = { a: { data: new Float64Array([1, 2]), shape: [2] } };
    expect(encodeNpz(arrays)).toEqual(encodeNpz(arrays));
  });

  it('numpy loads what we write, exactly', () => {
    if (!hasNumpy()) {
      // Without python3+numpy there is no independent reader; the JS round trip above still runs.
      expect(hasNumpy()).toBe(false);
      return;
    }
    const x = new Float64Array([Math.PI, -0, 1e-300, 2 ** 60]);
    const path = join(dir, 'a.npz');
    writeFileSync(
      path,
      encodeNpz({ x: { data: x, shape: [2, 2] }, k: { data: new Int32Array([-1, 5]), shape: [2] } }),
    );
    writeFileSync(join(dir, 'b.npy'), encodeNpy({ data: new Float32Array([0.5, 1.5, 2.5]), shape: [3] }));
    const script = `
import numpy as np
z = np.load(${JSON.stringify(path)})
assert z['x'].shape == (2, 2) and z['x'].dtype == np.float64
assert (z['x'].ravel() == np.array([np.pi, -0.0, 1e-300, 2.0**60])).all()
assert z['k'].dtype == np.int32 and list(z['k']) == [-1, 5]
b = np.load(${JSON.stringify(join(dir, 'b.npy'))})
assert b.dtype == np.float32 and list(b) == [0.5, 1.5, 2.5]
np.save(${JSON.stringify(join(dir, 'c.npy'))}, np.arange(6, dtype=np.float64).reshape(2, 3))
np.savez(${JSON.stringify(join(dir, 'd.npz'))}, n=np.int64(200), k=np.array([-3, 2**52], dtype=np.int64))
print('ok')`;
    expect(execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim()).toBe('ok');
    // ...and we read what numpy writes.
    const c = decodeNpy(new Uint8Array(readFileSync(join(dir, 'c.npy'))));
    expect(c.shape).toEqual([2, 3]);
    expect(Array.from(c.data)).toEqual([0, 1, 2, 3, 4, 5]);
    // numpy's default int64 scalars and arrays decode exactly into Float64Array.
    const d = decodeNpz(new Uint8Array(readFileSync(join(dir, 'd.npz'))));
    expect(d.n.shape).toEqual([]);
    expect(Array.from(d.n.data)).toEqual([200]);
    expect(Array.from(d.k.data)).toEqual([-3, 2 ** 52]);
  });
});
