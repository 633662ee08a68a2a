import { describe, expect, it } from 'vitest';
import { Body, I32, wasmModule } from './wasmAsm.ts';

const memory = () => new WebAssembly.Memory({ initial: 1 });

describe('wasmModule', () => {
  it('encodes a one-function module byte for byte as the core spec §5 lays it out', () => {
    const b = new Body([]);
    b.i32(42);
    const bytes = Array.from(wasmModule([{ name: 'f', body: b, results: [I32] }]));
    // Written out by hand from the spec: magic + version; type section (one () → i32);
    // import "env" "mem" memory min 1; function section (type 0); export "f" func 0;
    // code section (one body: no locals, i32.const 42, end).
    const env = [0x03, 0x65, 0x6e, 0x76];
    const mem = [0x03, 0x6d, 0x65, 0x6d];
    expect(bytes).toEqual([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f],
      ...[0x02, 0x0c, 0x01, ...env, ...mem, 0x02, 0x00, 0x01],
      ...[0x03, 0x02, 0x01, 0x00],
      ...[0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00],
      ...[0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b],
    ]);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes)), {
      env: { mem: memory() },
    });
    expect((inst.exports.f as () => number)()).toBe(42);
  });

  it('builds modules of megabytes (no spread of the code into push, which overflows the stack)', () => {
    // 250 000 increments of a local, 6 bytes each: a 1.5 MB body (the spread overflowed
    // from ≈ 150 KB). The function returns the count, so the bytes are checked by running them.
    const reps = 250_000;
    const b = new Body([]);
    const acc = b.local(I32);
    for (let r = 0; r < reps; r++) b.get(acc).i32(1).add().set(acc);
    b.get(acc);
    const small = new Body([I32]);
    small.get(0).i32(3).mul();
    const bytes = wasmModule([
      { name: 'count', body: b, results: [I32] },
      { name: 'triple', body: small, results: [I32] },
    ]);
    expect(bytes.length).toBeGreaterThan(1_400_000);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory() } });
    expect((inst.exports.count as () => number)()).toBe(reps);
    expect((inst.exports.triple as (x: number) => number)(14)).toBe(42);
  });
});
