/**
 * Finite-N model kernels (src/model) against their two limits, measured in this run:
 * - numpy's best full-tensor route on one thread: `(T.reshape(N*N,N)@x).reshape(N,N)@x`
 *   (a BLAS gemv over the N³ tensor; one pass, so it bounds energy, gradient,
 *   Hessian–vector product and dense Hessian alike). Target: ≥ 2× faster.
 * - the read bandwidth (bench/bandwidth.ts): C(N,p)·bytes-per-entry / bandwidth is the
 *   least time any kernel that reads the packed tensor once can take. Target: within 2×.
 * Both targets are the p = 3 kernels' (issue 14); the p = 4 and p = 5 (generic) paths are
 * measured against the same limits without verdicts, and so are the reference rows (the
 * JS fallback; float32 storage with float64 arithmetic, `{ float32: 'widened' }`, the
 * accurate but not faster option). float32 faster than float64 is judged at every p.
 * JS and numpy runs are interleaved round by round; times are CPU times, ratios the
 * medians of per-round ratios (the machine is shared: both sides of a ratio see the
 * same load). Tensor channel only (Δ2 = ∞).
 */
import { freemem, loadavg } from 'node:os';
import {
  allocatePackedTensor,
  binomial,
  type PackedTensor,
  packedContract,
  packedGradient,
  packedHessian,
  packedHessianVectorProduct,
  sampleInstance,
} from '../src/model/index.ts';
import type { TensorPrecision } from '../src/model/instance.ts';
import type { TensorKernelOptions } from '../src/model/tensorWasm.ts';
import { Rng } from '../src/random/index.ts';
import { readBandwidth, wasmSum } from './bandwidth.ts';
import { cpuMs, median, NumpyServer } from './numpyServer.ts';
import type { BenchRow } from './run.ts';

type Kernel = () => unknown;

/**
 * How a tensor is stored and summed: float64, float32 in f32x4 sums (default), float32
 * widened to float64 arithmetic (a reference: storage rounding only, no faster than float64).
 */
const VARIANTS = {
  float64: { precision: 'float64', options: {} },
  float32: { precision: 'float32', options: {} },
  'float32 widened': { precision: 'float32', options: { float32: 'widened' } },
} as const satisfies Record<string, { precision: TensorPrecision; options: TensorKernelOptions }>;

function copyTensor(t: PackedTensor, n: number, p: number, v: keyof typeof VARIANTS, fast: boolean) {
  const { precision, options } = VARIANTS[v];
  const out = allocatePackedTensor(n, p, t.length, precision, fast ? options : { backend: 'js' });
  out.set(t);
  return out;
}

/** Per-round CPU times (ms) of `rounds` interleaved runs of each kernel and, when given, of numpy's op. */
async function interleaved(
  kernels: Record<string, Kernel>,
  rounds: number,
  np: NumpyServer | null,
  op: string | null,
): Promise<Record<string, number[]>> {
  const times: Record<string, number[]> = {};
  for (const [k, f] of Object.entries(kernels)) {
    f(); // warm-up
    times[k] = [];
  }
  if (np && op) await np.send({ op });
  times.numpy = [];
  for (let r = 0; r < rounds; r++) {
    for (const [k, f] of Object.entries(kernels)) times[k].push(cpuMs(f));
    if (np && op) times.numpy.push((await np.send({ op })).ms);
  }
  return times;
}

/** Median over rounds of a[r] / b[r] (both measured in the same round). */
function ratio(a: number[], b: number[]): number {
  return median(a.map((v, r) => v / b[r]));
}

function verdict(ratio: number, target: number, better: 'above' | 'below'): string {
  const ok = better === 'above' ? ratio >= target : ratio <= target;
  return ok ? 'meets' : 'MISSES';
}

/** The four kernels on one tensor, plus the JS (plain-array) gradient for reference. */
function kernelSet(
  n: number,
  p: number,
  fast: PackedTensor,
  plain: PackedTensor | null,
): Record<string, Kernel> {
  const x = new Float64Array(n).map((_, i) => Math.cos(0.37 * i));
  const v = new Float64Array(n).map((_, i) => Math.sin(0.11 * i + 1));
  const g = new Float64Array(n);
  const h = new Float64Array(n * n);
  const set: Record<string, Kernel> = {
    energy: () => packedContract(fast, n, p, x),
    gradient: () => packedGradient(fast, n, p, x, 1, g),
    'Hessian-vector': () => packedHessianVectorProduct(fast, n, p, x, v, 1, g),
    'dense Hessian': () => packedHessian(fast, n, p, x, 1, h),
  };
  if (plain) set['gradient (JS fallback)'] = () => packedGradient(plain, n, p, x, 1, g);
  return set;
}

/**
 * One tensor in every variant, all kernels and both read limits interleaved in the same
 * rounds (with numpy's route), so every ratio (× numpy, × read limit, × float64) is a
 * median of per-round ratios.
 */
async function tensorRows(
  rows: BenchRow[],
  np: NumpyServer | null,
  bandwidth: number,
  n: number,
  p: number,
  rounds: number,
): Promise<void> {
  const inst = sampleInstance({ n, p, delta2: Number.POSITIVE_INFINITY, deltap: 1, seed: 1 });
  const len = binomial(n, p);
  // numpy holds the full N^p float64 tensor; only when it fits with room to spare.
  const fullBytes = 8 * n ** p;
  const useNp = np !== null && p <= 4 && freemem() > 3 * fullBytes;
  if (useNp) await np!.send({ op: `tensor${p}`, n });
  const op = useNp ? `grad${p}` : null;
  const kernels: Record<string, Kernel> = {};
  const meta: Record<string, { variant: keyof typeof VARIANTS; k: string }> = {};
  const bytes = { float64: 8 * len, float32: 4 * len };
  const summers = { float64: wasmSum(bytes.float64), float32: wasmSum(bytes.float32) };
  for (const prec of ['float64', 'float32'] as const)
    kernels[`${prec} read limit`] = () => summers[prec].sum(0, summers[prec].data.length);
  for (const variant of Object.keys(VARIANTS) as (keyof typeof VARIANTS)[]) {
    const fast = copyTensor(inst.tensor!, n, p, variant, true);
    const plain = variant === 'float32 widened' ? null : copyTensor(inst.tensor!, n, p, variant, false);
    for (const [k, f] of Object.entries(kernelSet(n, p, fast, plain))) {
      kernels[`${variant} ${k}`] = f;
      meta[`${variant} ${k}`] = { variant, k };
    }
  }
  const t = await interleaved(kernels, rounds, np, op);
  for (const prec of ['float64', 'float32'] as const) {
    const limitMs = median(t[`${prec} read limit`]);
    rows.push({
      name: `p=${p} N=${n} ${prec} read limit`,
      ms: limitMs,
      note: `sum of ${(bytes[prec] / 1e6).toFixed(0)} MB: ${(bytes[prec] / limitMs / 1e6).toFixed(1)} GB/s in this run (256 MB sum before: ${bandwidth.toFixed(1)} GB/s)`,
    });
  }
  // Targets (issue 14) apply to the p = 3 kernels of the default variants; the p ≥ 4 paths
  // are measured against the same limits, and the reference rows (the JS fallback, float32
  // widened to float64 arithmetic) are there for comparison, without verdicts.
  const targeted = p === 3;
  for (const [name, times] of Object.entries(t)) {
    if (name === 'numpy' || name.endsWith('read limit')) continue;
    const { variant, k } = meta[name];
    const reference = variant === 'float32 widened' || k.includes('JS fallback');
    const prec = VARIANTS[variant].precision;
    const judge = (r: number, target: number, better: 'above' | 'below', text: string) =>
      targeted && !reference ? ` (${verdict(r, target, better)} ${text})` : '';
    const vsNp = op ? ratio(t.numpy, times) : Number.NaN;
    const vsBw = ratio(times, t[`${prec} read limit`]);
    const npNote = op ? `${vsNp.toFixed(1)}× numpy${judge(vsNp, 2, 'above', '≥ 2×')}` : 'numpy: skipped';
    const speedup = prec === 'float32' ? ratio(t[`float64 ${k}`], times) : 1;
    // float32 faster than float64 is asked of every p (the widened variant is not meant to be).
    const f32Note =
      prec === 'float32'
        ? `; ${speedup.toFixed(2)}× float64${reference ? '' : ` (${verdict(speedup, 1, 'above')} > 1)`}`
        : '';
    const tag = reference ? ' [reference]' : targeted ? '' : ' [measured; the 2× targets are p = 3’s]';
    rows.push({
      name: `p=${p} N=${n} ${name}`,
      ms: median(times),
      note: `${npNote}; ${vsBw.toFixed(2)}× the ${prec} read limit${judge(vsBw, 2, 'below', '≤ 2×')}${f32Note}${tag}`,
    });
  }
  if (op)
    rows.push({
      name: `p=${p} N=${n} numpy best route, 1 thread`,
      ms: median(t.numpy),
      note:
        p === 3
          ? '(T.reshape(N*N,N)@x).reshape(N,N)@x on the full N³ float64 tensor'
          : '((T.reshape(N³,N)@x).reshape(N²,N)@x).reshape(N,N)@x on the full N⁴ tensor',
    });
  if (useNp) await np!.send({ op: 'free' });
}

async function samplingRows(rows: BenchRow[]): Promise<void> {
  const out = new Float64Array(1 << 21);
  const rng = Rng.fromSeed(1);
  const t = await interleaved(
    {
      'Rng.normal() loop (polar)': () => {
        for (let i = 0; i < out.length; i++) out[i] = rng.normal();
      },
      fillPolarNormal: () => rng.fillPolarNormal(out),
      fillZigguratNormal: () => rng.fillZigguratNormal(out),
    },
    7,
    null,
    null,
  );
  const base = t['Rng.normal() loop (polar)'];
  for (const [k, times] of Object.entries(t))
    if (k !== 'numpy')
      rows.push({
        name: `2^21 normals: ${k}`,
        ms: median(times),
        note: `${ratio(base, times).toFixed(2)}× the polar loop`,
      });
  // The instance draw with the default sampler (ziggurat, seed map 2) against the one before
  // (polar, seed map 1), interleaved over two rounds.
  const draw = (sampler: 'polar' | 'ziggurat') => () =>
    sampleInstance({
      n: 1000,
      p: 3,
      delta2: Number.POSITIVE_INFINITY,
      deltap: 1,
      seed: 1,
      precision: 'float32',
      sampler,
    });
  const inst = { polar: [] as number[], ziggurat: [] as number[] };
  for (let r = 0; r < 2; r++) for (const k of ['polar', 'ziggurat'] as const) inst[k].push(cpuMs(draw(k)));
  rows.push({
    name: 'sampleInstance p=3 N=1000 float32, polar (before)',
    ms: median(inst.polar),
    note: 'C(1000,3) = 1.66e8 deviates; was ≈ 11 s with Rng.normal()',
  });
  rows.push({
    name: 'sampleInstance p=3 N=1000 float32, ziggurat (default)',
    ms: median(inst.ziggurat),
    note: `${ratio(inst.polar, inst.ziggurat).toFixed(2)}× faster than polar (same rounds)`,
  });
}

export async function benchModel(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const np = NumpyServer.start();
  const bw = readBandwidth();
  rows.push({
    name: 'read bandwidth, sum of 256 MB',
    ms: Number.NaN,
    note: `JS ${bw.js.toFixed(1)} GB/s, wasm SIMD ${bw.wasm.toFixed(1)} GB/s: limit = bytes / ${bw.best.toFixed(1)} GB/s`,
  });
  if (!np) rows.push({ name: 'numpy', ms: Number.NaN, note: 'python3 with numpy not found: skipped' });
  try {
    await tensorRows(rows, np, bw.best, 300, 3, 9);
    await tensorRows(rows, np, bw.best, 600, 3, 5);
    await tensorRows(rows, np, bw.best, 100, 4, 5);
    await tensorRows(rows, np, bw.best, 50, 5, 5);
  } finally {
    np?.close();
  }
  await samplingRows(rows);
  rows.push({ name: 'load average', ms: Number.NaN, note: loadavg()[0].toFixed(1) });
  return rows;
}
