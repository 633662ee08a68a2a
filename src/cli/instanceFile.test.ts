import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy, encodeNpz, type NpyArray } from '../io/index.ts';
import { instanceToNpzEntries, sampleInstance } from '../model/index.ts';
import { paramsDocument } from '../tasks/provenance.ts';
import { memoryContext } from './context.ts';
import { UsageError } from './errors.ts';
import { encodeInstanceFile, loadInstanceFile } from './instanceFile.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-instance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inst = sampleInstance({ n: 8, p: 3, delta2: 0.5, deltap: 1, seed: 3 });
const good = () => instanceToNpzEntries(inst);

/** `bytes` with every `from` replaced by `to` (same length, ASCII). */
function patch(bytes: Uint8Array, from: string, to: string): Uint8Array {
  return new Uint8Array(Buffer.from(Buffer.from(bytes).toString('latin1').replaceAll(from, to), 'latin1'));
}

/** Write `bytes` as FILE.npz and return the message loadInstanceFile refuses it with. */
function refusal(name: string, bytes: Uint8Array): string {
  const path = join(dir, `${name}.npz`);
  writeFileSync(path, bytes);
  try {
    loadInstanceFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).flag).toBe('--instance');
    return (error as Error).message;
  }
  throw new Error(`${name} was accepted`);
}

const scaled = (factor: number): NpyArray => ({ data: inst.signal.map((x) => x * factor), shape: [inst.n] });

describe('instance files', () => {
  it('accepts what sample writes; |x*|² = N holds to ~1e-15 there', () => {
    const path = join(dir, 'ok.npz');
    writeFileSync(path, encodeInstanceFile(inst, paramsDocument('sample', {})));
    const back = loadInstanceFile(path);
    expect(Array.from(back.signal)).toEqual(Array.from(inst.signal));
    const norm2 = inst.signal.reduce((s, x) => s + x * x, 0);
    expect(Math.abs(norm2 - inst.n) / inst.n).toBeLessThan(1e-14);
  });

  it('refuses a signal off the sphere, non-finite or of another dtype, naming the entry', () => {
    expect(refusal('x3', encodeNpz({ ...good(), signal: scaled(3) }))).toContain(
      "instance entry 'signal' has |x*|² = ",
    );
    expect(refusal('zero', encodeNpz({ ...good(), signal: scaled(0) }))).toMatch(
      /'signal' has \|x\*\|² = 0 but must equal N = 8/,
    );
    // 1e-8 relative off: beyond the 1e-9 tolerance.
    expect(refusal('near', encodeNpz({ ...good(), signal: scaled(Math.sqrt(1 + 1e-8)) }))).toContain(
      "'signal'",
    );
    const nan = new Float64Array(inst.signal);
    nan[2] = Number.NaN;
    expect(refusal('nan', encodeNpz({ ...good(), signal: { data: nan, shape: [8] } }))).toContain(
      "'signal' has a non-finite value at index 2",
    );
    // An int64 signal (numpy's default integer type): the same bytes layout, descr '<i8'.
    const ints: NpyArray = { data: new Float64Array(new BigInt64Array(8).fill(1n).buffer), shape: [8] };
    const npz = encodeNpz({ ...good(), signal: ints });
    const int64 = patch(
      npz,
      "{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }",
      "{'descr': '<i8', 'fortran_order': False, 'shape': (8,), }",
    );
    expect(int64).not.toEqual(npz);
    expect(refusal('int64', int64)).toContain("instance entry 'signal' must be float64, got <i8");
    expect(
      refusal('f4', encodeNpz({ ...good(), signal: { data: new Float32Array(inst.signal), shape: [8] } })),
    ).toContain("'signal' must be a float64 array");
    expect(
      refusal('shape', encodeNpz({ ...good(), signal: { data: inst.signal, shape: [2, 4] } })),
    ).toContain("'signal' must have shape (8), got (2, 4)");
  });

  it('refuses an asymmetric matrix, a wrongly shaped tensor, duplicate entries and a zip bomb', () => {
    const m = new Float64Array(inst.matrix!);
    m[1] += 1e-12;
    expect(refusal('asym', encodeNpz({ ...good(), matrix: { data: m, shape: [8, 8] } }))).toContain(
      "'matrix' must be symmetric",
    );
    expect(refusal('flat', encodeNpz({ ...good(), matrix: { data: inst.matrix!, shape: [64] } }))).toContain(
      "'matrix' must have shape (8, 8)",
    );
    expect(
      refusal('short', encodeNpz({ ...good(), tensor: { data: inst.tensor!.slice(1), shape: [55] } })),
    ).toContain("'tensor' must be a packed float64/float32 array of C(8, 3) = 56 entries");
    // Two 'signal.npy' entries: the second (×3) would win in a last-wins reader.
    const twice = patch(encodeNpz({ ...good(), sigxxx: scaled(3) }), 'sigxxx.npy', 'signal.npy');
    expect(refusal('dup', twice)).toContain("entry 'signal.npy' occurs more than once");
    // A stored entry whose directory claims 4 GiB − 1 bytes unpacked.
    const bomb = encodeNpz({ ...good(), pad: { data: new Uint8Array(4), shape: [4] } });
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    let at = bomb.length - 22;
    at = view.getUint32(at + 16, true);
    // Skip the central-directory records of the entries before 'pad' (those of `good()`).
    for (let k = 0; k < Object.keys(good()).length; k++)
      at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true);
    view.setUint32(at + 24, 0xffffffff, true);
    expect(refusal('bomb', bomb)).toContain("entry 'pad.npy' claims 4294967295 bytes unpacked");
    expect(refusal('npy', encodeNpy({ data: inst.signal, shape: [8] }))).toContain('not an NPZ');
  });

  it('flow and amp exit 2 naming --instance and the entry, writing nothing', async () => {
    const path = join(dir, 'x3-cli.npz');
    writeFileSync(path, encodeNpz({ ...good(), signal: scaled(3) }));
    for (const args of [
      ['flow', '--instance', path, '--tmax', '1', '--out', join(dir, 'flow')],
      ['amp', '--instance', path, '--iters', '2', '--out', join(dir, 'amp')],
    ]) {
      const ctx = memoryContext();
      expect(await main(['node', 'saddlesurf', ...args], ctx)).toBe(2);
      expect(ctx.err).toContain(`--instance: ${path} is not a valid saddlesurf instance file`);
      expect(ctx.err).toContain("'signal' has |x*|²");
    }
  });
});
