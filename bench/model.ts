/**
 * Finite-N model kernels (src/model): one Euclidean gradient of the p = 3 loss on the
 * packed tensor (C(N,3) entries, float64 and float32), against numpy's
 * `np.einsum('ijk,j,k->i', T, x, x)` on the full symmetric N³ tensor, timed inside
 * python in the same run. Tensor channel only (Δ2 = ∞), so both sides do the same
 * contraction. Times are best-of-k (see `timeBest`); sampling is timed once.
 */
import { freemem, loadavg } from 'node:os';
import { gradient, type Instance, randomPointOnSphere, sampleInstance } from '../src/model/index.ts';
import { Rng } from '../src/random/index.ts';
import type { BenchRow } from './run.ts';
import { hasNumpy, runPythonJson } from './util.ts';

/** Best wall time in ms of `fn` over `repeats` runs after one warm-up. */
function timeBest(fn: () => unknown, repeats: number): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * numpy einsum timings (ms, best of 7 after a warm-up) for the full tensors that fit in memory.
 * Best-of rather than median on both sides: the machine is shared, and the minimum is
 * the least load-dependent estimate of what each kernel costs.
 */
function numpyEinsum(sizes: number[]): Record<string, number> {
  const script = `
import json, time, numpy as np
rng = np.random.default_rng(1)
out = {}
for n in ${JSON.stringify(sizes)}:
    T = rng.standard_normal((n, n, n))
    x = rng.standard_normal(n)
    np.einsum('ijk,j,k->i', T, x, x)
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        np.einsum('ijk,j,k->i', T, x, x)
        times.append((time.perf_counter() - t0) * 1e3)
    out[str(n)] = min(times)
    del T
print(json.dumps(out))
`;
  return runPythonJson<Record<string, number>>(script);
}

export async function benchModel(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const numpy = hasNumpy();
  for (const n of [300, 600, 1000]) {
    const start = performance.now();
    const f64 = sampleInstance({ n, p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1, seed: 1 });
    rows.push({ name: `sample p=3 N=${n} (tensor only)`, ms: performance.now() - start });
    const f32: Instance = { ...f64, tensor: Float32Array.from(f64.tensor!) };
    const x = randomPointOnSphere(n, Rng.fromSeed(2));
    const g = new Float64Array(n);
    const repeats = n >= 1000 ? 3 : 9;
    let ms64 = timeBest(() => gradient(f64, x, g), repeats);
    const ms32 = timeBest(() => gradient(f32, x, g), repeats);
    // Full float64 N³ tensors: 216 MB at N = 300, 1.7 GB at N = 600 (only with ≥ 4× that free), 8 GB at 1000 (never).
    let einsum: number | null = null;
    if (numpy && (n === 300 || (n === 600 && freemem() > 4 * 8 * n ** 3))) {
      // Measured right between two rounds of the JS kernel, so both see similar machine load.
      einsum = numpyEinsum([n])[String(n)];
      ms64 = Math.min(
        ms64,
        timeBest(() => gradient(f64, x, g), repeats),
      );
    }
    rows.push({
      name: `gradient p=3 N=${n} packed float64`,
      ms: ms64,
      note: `${f64.tensor!.length} entries`,
    });
    rows.push({
      name: `gradient p=3 N=${n} packed float32`,
      ms: ms32,
      note: `${(ms64 / ms32).toFixed(2)}× float64 speed`,
    });
    if (einsum !== null) {
      rows.push({
        name: `numpy einsum('ijk,j,k->i') full N=${n}`,
        ms: einsum,
        note: `packed float64 gradient is ${(einsum / ms64).toFixed(2)}× faster (best-of; load ${loadavg()[0].toFixed(1)})`,
      });
    }
  }
  if (!numpy)
    rows.push({ name: 'numpy einsum', ms: Number.NaN, note: 'python3 with numpy not found: skipped' });
  return rows;
}
