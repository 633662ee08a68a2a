/**
 * A persistent python3 + numpy process for side-by-side timings: the bench sends one
 * JSON command per line and gets one JSON answer per line, so numpy and JS runs can be
 * interleaved round by round (both sides then see the same machine load) without
 * re-creating numpy's large arrays each round. numpy runs on one thread
 * (OPENBLAS_NUM_THREADS=1, likewise OMP/MKL) with OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE removed from this process's environment only: where they are set
 * (to work around old OpenBLAS builds), they force a slower kernel on a current numpy.
 * Times are CPU times of the process (`time.process_time`), like the JS side's
 * `cpuMs`: on a shared machine wall time mostly measures the other users.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';

const SCRIPT = `
import json, sys, time
import numpy as np
rng = np.random.default_rng(1)
state = {}
def timed(f):
    t0 = time.process_time(); f(); return (time.process_time() - t0) * 1e3
for line in sys.stdin:
    cmd = json.loads(line)
    op = cmd["op"]
    if op == "tensor3":
        n = cmd["n"]; state.clear()
        state["T"] = rng.standard_normal((n, n, n)); state["x"] = rng.standard_normal(n); out = {"ok": True}
    elif op == "tensor4":
        n = cmd["n"]; state.clear()
        state["T"] = rng.standard_normal((n, n, n, n)); state["x"] = rng.standard_normal(n); out = {"ok": True}
    elif op == "grad3":
        T, x = state["T"], state["x"]; n = x.size
        out = {"ms": timed(lambda: (T.reshape(n * n, n) @ x).reshape(n, n) @ x)}
    elif op == "grad4":
        T, x = state["T"], state["x"]; n = x.size
        out = {"ms": timed(lambda: ((T.reshape(n ** 3, n) @ x).reshape(n * n, n) @ x).reshape(n, n) @ x)}
    elif op == "matrix":
        n = cmd["n"]; g = rng.standard_normal((n, n)) / np.sqrt(n); state["A"] = (g + g.T) / np.sqrt(2); out = {"ok": True}
    elif op in ("eigvalsh", "eigh"):
        A = state["A"]; f = getattr(np.linalg, op); out = {"ms": timed(lambda: f(A))}
    elif op == "sum":
        a = state.setdefault("big", np.ones(cmd["len"])); out = {"ms": timed(lambda: a.sum())}
    elif op == "free":
        state.clear(); out = {"ok": True}
    elif op == "config":
        cfg = {}
        try:
            from numpy.__config__ import CONFIG
            cfg = {k: v.get("name") for k, v in CONFIG.get("Build Dependencies", {}).items()}
        except Exception:
            pass
        out = {"numpy": np.__version__, "blas": cfg}
    sys.stdout.write(json.dumps(out) + "\\n"); sys.stdout.flush()
`;

/**
 * The environment for a one-thread numpy: BLAS/OpenMP threads 1, and OPENBLAS_CORETYPE /
 * OPENBLAS_L2_SIZE removed (set on some machines for old OpenBLAS builds, they force a
 * slower kernel on a current numpy).
 */
export function numpyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/** A running numpy helper; `null` from `start()` when python3 with numpy is missing. */
export class NumpyServer {
  private readonly lines: AsyncIterableIterator<string>;

  private constructor(
    private readonly proc: ChildProcess,
    rl: Interface,
  ) {
    this.lines = rl[Symbol.asyncIterator]();
  }

  static start(): NumpyServer | null {
    try {
      execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    } catch {
      return null;
    }
    const proc = spawn('python3', ['-u', '-c', SCRIPT], {
      env: numpyEnv(),
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    return new NumpyServer(proc, createInterface({ input: proc.stdout! }));
  }

  async send<T = { ms: number }>(cmd: Record<string, unknown>): Promise<T> {
    this.proc.stdin!.write(`${JSON.stringify(cmd)}\n`);
    const next = await this.lines.next();
    if (next.done) throw new Error(`numpy helper exited during ${JSON.stringify(cmd)}`);
    return JSON.parse(next.value) as T;
  }

  close(): void {
    this.proc.stdin!.end();
  }
}

/** CPU time in ms of one call of `fn` (this process is single-threaded while it runs). */
export function cpuMs(fn: () => unknown): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Median of a list of numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
