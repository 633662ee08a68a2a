/**
 * The machine's read bandwidth, the physical limit of the memory-bound tensor kernels:
 * the sum of a 256 MB Float64Array (far beyond the caches), once in plain JS (four
 * accumulators) and once in WebAssembly SIMD (four f64x2 accumulators, eight doubles per
 * iteration). The faster of the two is the bandwidth a kernel can hope to reach.
 */
import { Body, F64, I32, V128, wasmModule } from '../src/model/wasmAsm.ts';
import { cpuMs } from './numpyServer.ts';

const BYTES = 256 * 2 ** 20;

/** A WebAssembly SIMD summer over its own `bytes`-long memory of ones. */
export function wasmSum(bytes = BYTES): { data: Float64Array; sum: (ptr: number, count: number) => number } {
  const b = new Body([I32, I32]);
  const [ptr, count] = [0, 1];
  const acc = [b.local(V128), b.local(V128), b.local(V128), b.local(V128)];
  for (const a of acc) b.f64(0).f64x2Splat().set(a);
  b.block().loop();
  b.get(count).i32(8).ltS().brIf(1);
  acc.forEach((a, q) => {
    b.get(a)
      .get(ptr)
      .v128Load(16 * q)
      .f64x2Add()
      .set(a);
  });
  b.get(ptr).i32(64).add().set(ptr);
  b.get(count).i32(-8).add().set(count);
  b.br(0).end().end();
  b.get(acc[0]).get(acc[1]).f64x2Add().get(acc[2]).get(acc[3]).f64x2Add().f64x2Add().set(acc[0]);
  b.get(acc[0]).f64x2ExtractLane(0).get(acc[0]).f64x2ExtractLane(1).fadd();
  const mod = new WebAssembly.Module(wasmModule([{ name: 'sum', body: b, results: [F64] }]));
  const pages = Math.ceil(bytes / 65536);
  const mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const inst = new WebAssembly.Instance(mod, { env: { mem } });
  return {
    data: new Float64Array(mem.buffer, 0, Math.floor(bytes / 8)).fill(1),
    sum: inst.exports.sum as (ptr: number, count: number) => number,
  };
}

function jsSum(a: Float64Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = a.length - 3;
  for (let i = 0; i < n; i += 4) {
    s0 += a[i];
    s1 += a[i + 1];
    s2 += a[i + 2];
    s3 += a[i + 3];
  }
  return s0 + s1 + s2 + s3;
}

/** Read bandwidth in GB/s (10⁹ bytes per second): median of `rounds` interleaved JS / wasm sums. */
export function readBandwidth(rounds = 7): { js: number; wasm: number; best: number } {
  const w = wasmSum();
  const plain = new Float64Array(BYTES / 8).fill(1);
  const js: number[] = [];
  const wa: number[] = [];
  for (let r = 0; r < rounds + 1; r++) {
    let a = 0;
    let b = 0;
    const tJs = cpuMs(() => {
      a = jsSum(plain);
    });
    const tWasm = cpuMs(() => {
      b = w.sum(0, w.data.length);
    });
    if (a !== plain.length || b !== plain.length) throw new Error('bandwidth: wrong sum');
    if (r > 0) {
      js.push(BYTES / tJs / 1e6);
      wa.push(BYTES / tWasm / 1e6);
    }
  }
  const med = (v: number[]) => v.sort((x, y) => x - y)[v.length >> 1];
  const out = { js: med(js), wasm: med(wa), best: 0 };
  out.best = Math.max(out.js, out.wasm);
  return out;
}
