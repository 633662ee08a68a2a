/**
 * Finite-N model kernels (src/model) against their two limits, measured in this run:
 * - numpy's best full-tensor route on one thread: `(T.reshape(N*N,N)@x).reshape(N,N)@x`
 *   (a BLAS gemv over the N³ tensor; one pass, so it bounds energy, gradient,
 *   Hessian–vector product and dense Hessian alike). Target: ≥ 2× faster.
 * - the read bandwidth: C(N,p)·bytes-per-entry / bandwidth is the least time any kernel
 *   that reads the packed tensor once can take, measured as a WebAssembly SIMD sum of as
 *   many bytes. Target: within 2×.
 * Both targets are the p = 3 kernels' (issue 14); the p = 4 and p = 5 (generic) paths are
 * measured against the same limits without verdicts, and so are the reference rows (the
 * JS fallback; float32 storage with float64 arithmetic, `{ float32: 'widened' }`, the
 * accurate but not faster option). float32 faster than float64 is judged at every p.
 *
 * Each precision of each tensor is measured in its own fresh process
 * (`bench/modelTensors.ts`: the tensor, its read limit and numpy's route, interleaved round
 * by round, CPU times), K times over: at N = 600 a process that held every variant (and
 * numpy's 1.7 GB tensor) gave ratios that moved ±30 % with its state. Within a process a
 * ratio is the median of per-round ratios; the row shows the median over the K processes
 * and their spread [min–max]; a verdict "meets" only when every process meets. float32 ×
 * float64 compares two processes: its spread pairs the float64 and float32 processes run one
 * after the other, its verdict the fastest process of each precision. Δ2 = ∞.
 */
import { spawn } from 'node:child_process';
import { freemem, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { binomial, sampleInstance } from '../src/model/index.ts';
import { Rng } from '../src/random/index.ts';
import { readBandwidth } from './bandwidth.ts';
import { type GroupSpec, type GroupTimes, KERNELS, VARIANTS, type Variant } from './modelTensors.ts';
import { cpuMs, median } from './numpyServer.ts';
import type { BenchRow } from './run.ts';
import { hasNumpy } from './util.ts';

/** Fresh processes per group: the spread over them is the run-to-run spread. */
const PROCESSES = 3;
const CHILD = fileURLToPath(new URL('./modelTensors.ts', import.meta.url));

/** Measures `spec` in a fresh Node process (same loader flags as this one). */
function measureInFreshProcess(spec: GroupSpec): Promise<GroupTimes> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD, JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(out) as GroupTimes);
      else reject(new Error(`bench/modelTensors.ts exited with ${code} for ${JSON.stringify(spec)}`));
    });
  });
}

/** Median over rounds of a[r] / b[r] (both measured in the same round). */
function ratio(a: number[], b: number[]): number {
  return median(a.map((v, r) => v / b[r]));
}

/** One ratio over K processes: median, spread, and a verdict that holds only if every process meets. */
function acrossProcesses(values: number[], digits: number): { med: number; text: string } {
  const s = [...values].sort((a, b) => a - b);
  const spread = s.length > 1 ? ` [${s[0].toFixed(digits)}–${s[s.length - 1].toFixed(digits)}]` : '';
  return { med: median(values), text: `${median(values).toFixed(digits)}×${spread}` };
}

function verdict(values: number[], target: number, better: 'above' | 'below', text: string): string {
  const ok = values.filter((r) => (better === 'above' ? r >= target : r <= target)).length;
  const word =
    ok === values.length ? 'meets' : ok === 0 ? 'MISSES' : `meets in ${ok} of ${values.length} only`;
  return ` (${word} ${text})`;
}

/**
 * One tensor (N, p): the float64 and float32 processes (each with its read limit and numpy's
 * route) and a reference process (float32 widened, the JS fallback), K times over.
 */
async function tensorRows(rows: BenchRow[], n: number, p: number, rounds: number): Promise<void> {
  // numpy holds the full N^p float64 tensor; only when it fits with room to spare.
  const numpy = p <= 4 && freemem() > 3 * 8 * n ** p;
  const specs: GroupSpec[] = [
    { n, p, rounds, numpy, variants: ['float64'], jsFallback: [] },
    { n, p, rounds, numpy, variants: ['float32'], jsFallback: [] },
    { n, p, rounds, numpy: false, variants: ['float32 widened'], jsFallback: ['float64', 'float32'] },
  ];
  const runs: GroupTimes[][] = specs.map(() => []);
  for (let k = 0; k < PROCESSES; k++)
    for (let s = 0; s < specs.length; s++) runs[s].push(await measureInFreshProcess(specs[s]));
  const [r64, r32, rRef] = runs;
  const entries = binomial(n, p);
  for (const [prec, rs] of [
    ['float64', r64],
    ['float32', r32],
  ] as const) {
    const ms = rs.map((t) => median(t[`${prec} read limit`]));
    const bytes = (prec === 'float64' ? 8 : 4) * entries;
    const gbs = ms.map((m) => bytes / m / 1e6);
    rows.push({
      name: `p=${p} N=${n} ${prec} read limit`,
      ms: median(ms),
      note: `sum of ${(bytes / 1e6).toFixed(0)} MB: ${median(gbs).toFixed(1)} GB/s [${Math.min(...gbs).toFixed(1)}–${Math.max(...gbs).toFixed(1)}]`,
    });
  }
  // Targets (issue 14) apply to the p = 3 kernels of the default variants; the p ≥ 4 paths
  // are measured against the same limits, the reference rows are there for comparison.
  const targeted = p === 3;
  const tag = targeted ? '' : ' [measured; the 2× targets are p = 3’s]';
  const kernelRow = (
    variant: Variant | 'JS fallback',
    prec: 'float64' | 'float32',
    k: string,
    rs: GroupTimes[],
  ) => {
    const reference = variant === 'float32 widened' || variant === 'JS fallback';
    const name = variant === 'JS fallback' ? `${prec} ${k} (JS fallback)` : `${variant} ${k}`;
    const judge = (v: number[], target: number, better: 'above' | 'below', text: string) =>
      targeted && !reference ? verdict(v, target, better, text) : '';
    const vsBw = rs.map((t) => ratio(t[name], t[`${prec} read limit`]));
    const parts = [];
    if (rs[0].numpy) {
      const vsNp = rs.map((t) => ratio(t.numpy, t[name]));
      parts.push(`${acrossProcesses(vsNp, 1).text} numpy${judge(vsNp, 2, 'above', '≥ 2×')}`);
    } else parts.push('numpy: not in this process');
    parts.push(`${acrossProcesses(vsBw, 2).text} the ${prec} read limit${judge(vsBw, 2, 'below', '≤ 2×')}`);
    if (prec === 'float32' && variant !== 'JS fallback') {
      // Two processes, so no per-round pairing: the spread is over the float64/float32 process
      // pairs of each repetition (run one after the other); the verdict takes each
      // precision's fastest process (other users' load only ever adds time).
      const speedup = rs.map((t, j) => median(r64[j][`float64 ${k}`]) / median(t[name]));
      const fastest = (ts: GroupTimes[], key: string) => Math.min(...ts.map((t) => median(t[key])));
      const best = fastest(r64, `float64 ${k}`) / fastest(rs, name);
      const judged = reference ? '' : ` (${best > 1 ? 'meets' : 'MISSES'} > 1)`;
      parts.push(
        `${acrossProcesses(speedup, 2).text} float64, fastest processes ${best.toFixed(2)}×${judged}`,
      );
    }
    rows.push({
      name: `p=${p} N=${n} ${name}`,
      ms: median(rs.map((t) => median(t[name]))),
      note: parts.join('; ') + (reference ? ' [reference]' : tag),
    });
  };
  for (const variant of Object.keys(VARIANTS) as Variant[]) {
    const rs = variant === 'float64' ? r64 : variant === 'float32' ? r32 : rRef;
    for (const k of KERNELS) kernelRow(variant, VARIANTS[variant].precision, k, rs);
  }
  for (const prec of ['float64', 'float32'] as const) kernelRow('JS fallback', prec, 'gradient', rRef);
  if (numpy) {
    const ms = [...r64, ...r32].map((t) => median(t.numpy));
    rows.push({
      name: `p=${p} N=${n} numpy best route, 1 thread`,
      ms: median(ms),
      note: `${p === 3 ? '(T.reshape(N*N,N)@x).reshape(N,N)@x on the full N³' : '((T.reshape(N³,N)@x).reshape(N²,N)@x).reshape(N,N)@x on the full N⁴'} float64 tensor; ${Math.min(...ms).toFixed(2)}–${Math.max(...ms).toFixed(2)} ms over ${ms.length} processes`,
    });
  }
}

async function samplingRows(rows: BenchRow[]): Promise<void> {
  const out = new Float64Array(1 << 21);
  const rng = Rng.fromSeed(1);
  const fills: Record<string, () => unknown> = {
    'Rng.normal() loop (polar)': () => {
      for (let i = 0; i < out.length; i++) out[i] = rng.normal();
    },
    fillPolarNormal: () => rng.fillPolarNormal(out),
    fillZigguratNormal: () => rng.fillZigguratNormal(out),
  };
  const t: Record<string, number[]> = {};
  for (const [k, f] of Object.entries(fills)) {
    f(); // warm-up
    t[k] = [];
  }
  for (let r = 0; r < 7; r++) for (const [k, f] of Object.entries(fills)) t[k].push(cpuMs(f));
  const base = t['Rng.normal() loop (polar)'];
  for (const [k, times] of Object.entries(t))
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
  const load = () => loadavg()[0].toFixed(1);
  rows.push({ name: 'load average at the start', ms: Number.NaN, note: load() });
  const bw = readBandwidth();
  rows.push({
    name: 'read bandwidth, sum of 256 MB',
    ms: Number.NaN,
    note: `JS ${bw.js.toFixed(1)} GB/s, wasm SIMD ${bw.wasm.toFixed(1)} GB/s (for reference: each tensor's read limit is measured in its own process)`,
  });
  if (!hasNumpy())
    rows.push({ name: 'numpy', ms: Number.NaN, note: 'python3 with numpy not found: skipped' });
  rows.push({
    name: 'method',
    ms: Number.NaN,
    note: `each precision of each tensor in ${PROCESSES} fresh processes: median ×, [min–max] over them`,
  });
  await tensorRows(rows, 300, 3, 9);
  await tensorRows(rows, 600, 3, 7);
  await tensorRows(rows, 100, 4, 5);
  await tensorRows(rows, 50, 5, 5);
  await samplingRows(rows);
  rows.push({ name: 'load average at the end', ms: Number.NaN, note: load() });
  return rows;
}
