import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import { rotationWorkspace } from './rotationWasm.ts';
import { RotationLog, tridiagonalQL } from './tridiagonal.ts';

describe('WebAssembly SIMD rotation kernel', () => {
  it('applies the QL rotations bit-identically to the JavaScript loop (any column count)', () => {
    const rng = Rng.fromSeed(3);
    for (const n of [1, 2, 8, 13, 40, 67]) {
      const d = Float64Array.from({ length: n }, () => rng.normal());
      const e = Float64Array.from({ length: n }, () => rng.normal());
      const log = new RotationLog();
      tridiagonalQL(n, d, e, undefined, 0, 30, log);
      const ws = rotationWorkspace(n, Math.max(1, log.length));
      expect(ws).not.toBeNull(); // Node ≥ 20 has WebAssembly SIMD: the kernel is tested
      const start = Float64Array.from({ length: n * n }, () => rng.normal());
      ws!.w.set(start);
      const js = Float64Array.from(start);
      log.applyTo(ws!.w, n, 0, n, ws!);
      log.applyTo(js, n, 0, n);
      // No fused multiply–add in either, same operation order: exact equality.
      expect(Array.from(ws!.w)).toEqual(Array.from(js));
      if (n > 1) expect(js).not.toEqual(start); // the rotations did something
    }
  });

  it('falls back to JavaScript when the log exceeds the workspace buffer', () => {
    const n = 20;
    const d = Float64Array.from({ length: n }, (_, i) => i);
    const e = new Float64Array(n).fill(1);
    const log = new RotationLog();
    tridiagonalQL(n, d, e, undefined, 0, 30, log);
    const ws = rotationWorkspace(n, 1)!;
    ws.w.fill(0);
    for (let i = 0; i < n; i++) ws.w[i * n + i] = 1;
    const js = Float64Array.from(ws.w);
    log.applyTo(ws.w, n, 0, n, ws);
    log.applyTo(js, n, 0, n);
    expect(Array.from(ws.w)).toEqual(Array.from(js));
  });
});
