/**
 * Sweep throughput (issue 12): a CPU-bound dmft sweep on 1 and 2 local worker threads and on
 * 2 Redis worker processes (one thread each), side by side; and the per-task overhead of the
 * Redis path for tiny tasks against the local pool. Threads and workers are warmed up (their
 * TypeScript loaded) before timing. Targets on a 2-core machine: local 2/1 ≥ 1.8, Redis ≥ 1.7
 * (both against the 1-thread local run). Needs Debian's redis-server for the Redis rows.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Executor,
  expandSpec,
  LocalPool,
  localExecutor,
  prepareSweepDir,
  runSweep,
} from '../src/sweep/index.ts';
import { redisExecutor } from '../src/sweep/redis.ts';
import { findRedisServer, startRedisServer } from '../src/sweep/redisServer.ts';
import { getTask } from '../src/tasks/index.ts';
import { VERSION } from '../src/version.ts';
import type { BenchRow } from './run.ts';

const BIN = fileURLToPath(new URL('../bin/saddlesurf', import.meta.url));

/** CPU-bound: dmft to t = 10 at 8 values of Δ2 (about a second each on an idle core). */
const CPU_SPEC = {
  command: 'dmft',
  parameters: { tmax: 10, m0: 0.001 },
  grid: { delta2: [0.3, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37] },
};
/** Tiny: dmft to t = 0.01 (a few steps) at 40 values of Δ2. */
const TINY_SPEC = {
  command: 'dmft',
  parameters: { tmax: 0.01 },
  grid: { delta2: Array.from({ length: 40 }, (_, i) => 0.3 + 0.001 * i) },
};
const WARM_SPEC = (n: number) => ({
  command: 'thresholds',
  grid: { deltap: Array.from({ length: n }, (_, i) => 1 + i) },
});

async function timeSweep(spec: unknown, executor: Executor): Promise<number> {
  const sweep = expandSpec(spec, getTask, VERSION);
  const dir = join(mkdtempSync(join(tmpdir(), 'bench-sweep-')), 'out');
  prepareSweepDir(dir, sweep, false);
  const start = performance.now();
  const result = await runSweep({ sweep, dir, executor });
  const ms = performance.now() - start;
  if (result.counts.ok !== sweep.tasks.length)
    throw new Error(`bench sweep: ${result.counts.failed} tasks failed`);
  return ms;
}

async function localRun(size: number, spec: unknown): Promise<number> {
  const pool = new LocalPool({ size });
  const executor = localExecutor(pool);
  try {
    await timeSweep(WARM_SPEC(size), executor); // load the threads
    return await timeSweep(spec, executor);
  } finally {
    await executor.close();
  }
}

async function redisRun(url: string, queue: string, spec: unknown): Promise<number> {
  const executor = await redisExecutor({ url, queue });
  try {
    await timeSweep(WARM_SPEC(4), executor);
    return await timeSweep(spec, executor);
  } finally {
    await executor.close();
  }
}

export async function benchSweep(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cpuTasks = expandSpec(CPU_SPEC, getTask, VERSION).tasks.length;
  const tinyTasks = expandSpec(TINY_SPEC, getTask, VERSION).tasks.length;
  const local1 = await localRun(1, CPU_SPEC);
  const local2 = await localRun(2, CPU_SPEC);
  rows.push({ name: `local, 1 thread (${cpuTasks} dmft tasks)`, ms: local1 });
  rows.push({
    name: 'local, 2 threads',
    ms: local2,
    note: `throughput ×${(local1 / local2).toFixed(2)} vs 1 thread (target ≥ 1.8)`,
  });
  const tinyLocal = await localRun(1, TINY_SPEC);
  rows.push({
    name: `local, 1 thread, ${tinyTasks} tiny tasks`,
    ms: tinyLocal,
    note: `${(tinyLocal / tinyTasks).toFixed(1)} ms per task`,
  });

  const binary = findRedisServer();
  if (!binary) {
    rows.push({ name: 'redis rows skipped', ms: 0, note: 'redis-server not installed' });
    return rows;
  }
  const redis = await startRedisServer(binary);
  const workers: ChildProcess[] = [];
  try {
    for (let i = 0; i < 2; i++)
      workers.push(
        spawn(
          process.execPath,
          [BIN, 'worker', '--redis', redis.url, '--queue', 'bench', '--concurrency', '1'],
          {
            stdio: 'ignore',
          },
        ),
      );
    const remote = await redisRun(redis.url, 'bench', CPU_SPEC);
    rows.push({
      name: 'redis, 2 workers × 1 thread',
      ms: remote,
      note: `throughput ×${(local1 / remote).toFixed(2)} vs 1 local thread (target ≥ 1.7)`,
    });
    workers.pop()?.kill('SIGTERM'); // tiny tasks on one worker: overhead against 1 local thread
    const tinyRemote = await redisRun(redis.url, 'bench', TINY_SPEC);
    rows.push({
      name: `redis, 1 worker, ${tinyTasks} tiny tasks`,
      ms: tinyRemote,
      note: `${(tinyRemote / tinyTasks).toFixed(1)} ms per task: Redis overhead ${((tinyRemote - tinyLocal) / tinyTasks).toFixed(1)} ms per task`,
    });
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await redis.stop();
  }
  return rows;
}
