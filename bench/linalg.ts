/**
 * Dense linear algebra (src/linalg): symmetric eigendecomposition of a GOE matrix,
 * values only and with vectors, at N = 500 and 1000; Lanczos for the lowest
 * eigenvalue at N = 1000; and, when python3 has numpy, `numpy.linalg.eigvalsh` /
 * `eigh` on a GOE matrix of the same size timed inside python in the same run
 * (start-up and matrix generation excluded). numpy runs with one OpenBLAS thread
 * (`OPENBLAS_NUM_THREADS=1`, likewise OMP/MKL), so both sides are single-threaded;
 * numpy calls LAPACK dsyevd, a divide-and-conquer solver, for `eigh`.
 * Times are CPU times of the (single-threaded) process, best of k after a warm-up:
 * on this shared 2-core machine wall times of both sides inflate with other users'
 * load, CPU time much less, and the minimum is the least load-dependent estimate.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { lanczos, symmetricEigen, symmetricEigenvalues, symv } from '../src/linalg/index.ts';
import { Rng } from '../src/random/index.ts';
import { numpyEnv } from './numpyServer.ts';
import type { BenchRow } from './run.ts';
import { hasNumpy } from './util.ts';

/** Row type of this module (same shape as `BenchRow` of bench/run.ts). */
export type Row = BenchRow;

/** GOE matrix with semicircle radius 2 (off-diagonal variance 1/N, diagonal 2/N). */
function goe(n: number, seed: number): Float64Array {
  const rng = Rng.fromSeed(seed);
  const A = new Float64Array(n * n);
  const sd = 1 / Math.sqrt(n);
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      const x = (i === j ? Math.SQRT2 : 1) * sd * rng.normal();
      A[i * n + j] = x;
      A[j * n + i] = x;
    }
  return A;
}

/** Best CPU time in ms over `repeats` runs after one warm-up. */
function timeBest(fn: () => unknown, repeats: number): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeats; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

const REPEATS: Record<number, number> = { 500: 5, 1000: 2 };

/** numpy eigvalsh / eigh CPU times (ms, best of k after a warm-up) keyed by `${kind}:${n}`. */
function numpyTimings(sizes: number[]): Record<string, number> {
  const script = `
import json, time, numpy as np
rng = np.random.default_rng(1)
out = {}
reps = ${JSON.stringify(REPEATS)}
for n in ${JSON.stringify(sizes)}:
    g = rng.standard_normal((n, n)) / np.sqrt(n)
    a = (g + g.T) / np.sqrt(2)
    for kind, f in (("eigvalsh", np.linalg.eigvalsh), ("eigh", np.linalg.eigh)):
        f(a)
        best = float("inf")
        for _ in range(reps[str(n)]):
            t0 = time.process_time()
            f(a)
            best = min(best, (time.process_time() - t0) * 1e3)
        out[kind + ":" + str(n)] = best
print(json.dumps(out))
`;
  const env = numpyEnv();
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8', env })) as Record<
    string,
    number
  >;
}

export async function benchLinalg(): Promise<Row[]> {
  const rows: Row[] = [];
  const ours: Record<string, number> = {};
  const sizes = [500, 1000];
  let lowest1000 = Number.NaN;
  for (const n of sizes) {
    const A = goe(n, n);
    const values = timeBest(() => symmetricEigenvalues(n, A), REPEATS[n]);
    const vectors = timeBest(() => symmetricEigen(n, A), REPEATS[n]);
    const ql = timeBest(() => symmetricEigen(n, A, { solver: 'ql' }), REPEATS[n]);
    ours[`eigvalsh:${n}`] = values;
    ours[`eigh:${n}`] = vectors;
    rows.push({
      name: `symmetricEigenvalues N=${n}`,
      ms: values,
      note: 'Householder (WebAssembly SIMD sweep) + implicit QL, values only',
    });
    rows.push({
      name: `symmetricEigen N=${n}`,
      ms: vectors,
      note: `divide and conquer + blocked back-transformation: ${(vectors / values).toFixed(1)}× values only`,
    });
    rows.push({
      name: `symmetricEigen N=${n} solver 'ql'`,
      ms: ql,
      note: `implicit QL, rotations applied to Qᵀ (the previous method): ${(ql / vectors).toFixed(2)}× divide and conquer`,
    });
    if (n === 1000) lowest1000 = symmetricEigenvalues(n, A)[0];
  }

  {
    const n = 1000;
    const A = goe(n, n);
    const matvec = (v: Float64Array, out: Float64Array) => {
      symv('upper', n, 1, A, n, 1, 0, v, 1, 0, 0, out, 1, 0);
    };
    let result = lanczos(n, matvec, { rng: Rng.fromSeed(1) });
    const ms = timeBest(() => {
      result = lanczos(n, matvec, { rng: Rng.fromSeed(1) });
    }, 3);
    const v = new Float64Array(n).fill(1);
    const out = new Float64Array(n);
    const mvMs =
      timeBest(() => {
        for (let i = 0; i < 20; i++) matvec(v, out);
      }, 3) / 20;
    rows.push({
      name: `lanczos lowest eigenvalue N=${n} (dense symv)`,
      ms,
      note:
        `${result.steps} steps, ${result.matvecs} matvecs (${(result.matvecs * mvMs).toFixed(0)} ms of them), ` +
        `|θ − λ_min| = ${Math.abs(result.lowest[0].value - lowest1000).toExponential(1)}, ` +
        `${(ms / ours['eigvalsh:1000']).toFixed(2)}× the time of all eigenvalues`,
    });
  }

  if (hasNumpy()) {
    const np = numpyTimings(sizes);
    const load = loadavg()[0].toFixed(1);
    for (const n of sizes)
      for (const kind of ['eigvalsh', 'eigh'] as const) {
        const key = `${kind}:${n}`;
        const ratio = ours[key] / np[key];
        rows.push({
          name: `numpy.linalg.${kind} N=${n} (1 thread)`,
          ms: np[key],
          note: `saddlesurf / numpy = ${ratio.toFixed(2)}: ${ratio <= 2 ? 'meets' : 'MISSES'} the 2× target (load ${load})`,
        });
      }
  } else
    rows.push({
      name: 'numpy.linalg.eigvalsh / eigh',
      ms: Number.NaN,
      note: 'python3 with numpy not found: skipped',
    });
  return rows;
}
