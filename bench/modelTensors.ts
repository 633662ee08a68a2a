/**
 * One group of the model bench, run in its own fresh process (`bench/model.ts` spawns it):
 * one tensor (N, p) in one or more storage variants, its kernels, the read limit of each
 * precision involved and, when asked, numpy's best full-tensor route, interleaved round by
 * round. A process holds only the tensors of its group, so the timings do not depend on what
 * an earlier group left in memory (at N = 600 a tensor is 143–287 MB, numpy's 1.7 GB).
 * Prints one JSON document: the per-round CPU times (ms) of every timed case.
 *
 * Run directly: `tsx bench/modelTensors.ts '{"n":300,"p":3,"variants":["float64"],…}'`.
 */
import { fileURLToPath } from 'node:url';
import { compileWasmOptimised } from '../src/cli/wasmTiering.ts';
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
import { wasmSum } from './bandwidth.ts';
import { cpuMs, NumpyServer } from './numpyServer.ts';

/**
 * How a tensor is stored and summed: float64, float32 in f32x4 sums (default), float32
 * widened to float64 arithmetic (a reference: storage rounding only, no faster than float64).
 */
export const VARIANTS = {
  float64: { precision: 'float64', options: {} },
  float32: { precision: 'float32', options: {} },
  'float32 widened': { precision: 'float32', options: { float32: 'widened' } },
} as const satisfies Record<string, { precision: TensorPrecision; options: TensorKernelOptions }>;
export type Variant = keyof typeof VARIANTS;

/** What one process measures. */
export interface GroupSpec {
  readonly n: number;
  readonly p: number;
  /** Storage variants on the WebAssembly kernels (all four kernels each). */
  readonly variants: readonly Variant[];
  /** Precisions whose plain-array (JS fallback) gradient is timed too. */
  readonly jsFallback: readonly TensorPrecision[];
  readonly rounds: number;
  /** Time numpy's best route (p ≤ 4, when python3 + numpy are present) in the same rounds. */
  readonly numpy: boolean;
}

/** Per-round CPU times (ms) by case name: `<variant> <kernel>`, `<precision> read limit`, `numpy`. */
export type GroupTimes = Record<string, number[]>;

export const KERNELS = ['energy', 'gradient', 'Hessian-vector', 'dense Hessian'] as const;

/** The tensor of (n, p, seed 1) stored as `variant` (fast: the wasm kernels; else a plain array). */
function tensorOf(
  n: number,
  p: number,
  precision: TensorPrecision,
  options: TensorKernelOptions,
): PackedTensor {
  // Drawn in the target precision straight into its final allocation: no second copy lingers.
  const inst = sampleInstance({ n, p, delta2: Number.POSITIVE_INFINITY, deltap: 1, seed: 1, precision });
  const t = inst.tensor!;
  if (options.backend === undefined && options.float32 === undefined) return t;
  const out = allocatePackedTensor(n, p, t.length, precision, options);
  out.set(t);
  return out;
}

/** Measures one group in this process. */
export async function measureGroup(spec: GroupSpec): Promise<GroupTimes> {
  const { n, p } = spec;
  const x = new Float64Array(n).map((_, i) => Math.cos(0.37 * i));
  const v = new Float64Array(n).map((_, i) => Math.sin(0.11 * i + 1));
  const g = new Float64Array(n);
  const h = new Float64Array(n * n);
  const cases: Record<string, () => unknown> = {};
  const precisions = new Set<TensorPrecision>();
  for (const variant of spec.variants) {
    const { precision, options } = VARIANTS[variant];
    precisions.add(precision);
    const t = tensorOf(n, p, precision, options);
    cases[`${variant} energy`] = () => packedContract(t, n, p, x);
    cases[`${variant} gradient`] = () => packedGradient(t, n, p, x, 1, g);
    cases[`${variant} Hessian-vector`] = () => packedHessianVectorProduct(t, n, p, x, v, 1, g);
    cases[`${variant} dense Hessian`] = () => packedHessian(t, n, p, x, 1, h);
  }
  for (const precision of spec.jsFallback) {
    precisions.add(precision);
    const t = tensorOf(n, p, precision, { backend: 'js' });
    cases[`${precision} gradient (JS fallback)`] = () => packedGradient(t, n, p, x, 1, g);
  }
  const entries = binomial(n, p);
  for (const precision of precisions) {
    const summer = wasmSum((precision === 'float64' ? 8 : 4) * entries);
    cases[`${precision} read limit`] = () => summer.sum(0, summer.data.length);
  }
  const np = spec.numpy && p <= 4 ? NumpyServer.start() : null;
  const times: GroupTimes = {};
  try {
    if (np) await np.send({ op: `tensor${p}`, n });
    const op = `grad${p}`;
    for (const [k, f] of Object.entries(cases)) {
      f(); // warm-up
      times[k] = [];
    }
    if (np) {
      await np.send({ op });
      times.numpy = [];
    }
    for (let r = 0; r < spec.rounds; r++) {
      for (const [k, f] of Object.entries(cases)) times[k].push(cpuMs(f));
      if (np) times.numpy.push((await np.send({ op })).ms);
    }
  } finally {
    np?.close();
  }
  return times;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // As the CLI does (src/cli/wasmTiering.ts): otherwise about one process in two times baseline code.
  compileWasmOptimised();
  const spec = JSON.parse(process.argv[2]) as GroupSpec;
  process.stdout.write(`${JSON.stringify(await measureGroup(spec))}\n`);
}
