/**
 * A sweep on a real redis-server (started here on a free loopback port) with two worker
 * processes: one is SIGKILLed in the middle of a task, the coordinator is SIGKILLed and
 * restarted. Every task ends recorded exactly once with status ok, and Redis holds one
 * completed job per task. Without redis-server the test is skipped with a warning; with
 * CI=true a missing redis-server fails.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { readLedger } from './ledger.ts';
import { queueName } from './redis.ts';
import { findRedisServer, type RedisServer, startRedisServer } from './redisServer.ts';

const BIN = fileURLToPath(new URL('../../bin/saddlesurf', import.meta.url));
const redisBinary = findRedisServer();
if (!redisBinary) {
  const message =
    'redis-server is not installed: the Redis sweep test is SKIPPED (apt-get install redis-server)';
  if (process.env.CI === 'true') throw new Error(`${message}; CI=true requires it`);
  console.warn(`\n*** ${message} ***\n`);
}

function startProcess(args: string[]): {
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d) => {
    log += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, log: () => log, exited };
}

async function waitFor(what: string, condition: () => boolean, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!redisBinary)('sweep on Redis', () => {
  let redis: RedisServer | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await redis?.stop();
  });

  it('a worker and the coordinator SIGKILLed mid-run lose nothing; every task once, ok', async () => {
    redis = await startRedisServer(redisBinary as string);
    const dir = mkdtempSync(join(tmpdir(), 'sweep-redis-'));
    const spec = join(dir, 'spec.json');
    const out = join(dir, 'out');
    const tasks = 4;
    // dmft to t = 3: about a second per task on an idle core, long enough to be killed in the middle
    writeFileSync(
      spec,
      JSON.stringify({
        command: 'dmft',
        parameters: { tmax: 3, m0: 0.01 },
        grid: { delta2: [0.3, 0.35, 0.4, 0.45] },
      }),
    );
    // short locks so the killed worker's task comes back within seconds (defaults: 30 s)
    const workerArgs = [
      'worker',
      '--redis',
      redis.url,
      '--queue',
      'test',
      '--concurrency',
      '1',
      '--lock-duration',
      '2000',
      '--stalled-interval',
      '1000',
    ];
    const a = startProcess(workerArgs);
    const b = startProcess(workerArgs);
    children.push(a.child, b.child);
    const coordinatorArgs = ['sweep', spec, '--out', out, '--redis', redis.url, '--queue', 'test'];
    const first = startProcess(coordinatorArgs);
    children.push(first.child);

    // Kill worker A in the middle of its first task.
    await waitFor('worker A to start a task', () => /task [0-9a-f]{16} started/.test(a.log()));
    a.child.kill('SIGKILL');
    const killedTask = (a.log().match(/task ([0-9a-f]{16}) started/) as RegExpMatchArray)[1];
    expect(a.log()).not.toContain(`task ${killedTask} ok`);

    // Kill the coordinator once it has recorded something, then restart it (in process).
    const ledger = join(out, 'ledger.jsonl');
    await waitFor('a recorded task', () => existsSync(ledger) && readLedger(ledger).entries.size >= 1);
    first.child.kill('SIGKILL');
    await first.exited;
    const ctx = memoryContext();
    const status = await main(['node', 'saddlesurf', ...coordinatorArgs], ctx);
    expect(ctx.err).toMatch(/continuing: [1-4] tasks already recorded/);
    expect(status).toBe(0);

    const lines = readFileSync(ledger, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(tasks);
    expect(new Set(lines.map((l) => l.task)).size).toBe(tasks);
    expect(lines.every((l) => l.status === 'ok')).toBe(true);
    expect(lines.map((l) => l.task)).toContain(killedTask);
    // The killed task ran again on worker B (stalled-job recovery) and completed there.
    expect(b.log()).toContain(`task ${killedTask} started`);
    expect(b.log()).toContain(`task ${killedTask} ok`);
    // One completed job per task in Redis, none failed.
    const queue = new Queue(queueName('test'), { connection: { url: redis.url } });
    const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait');
    await queue.close();
    expect(counts).toEqual({ completed: tasks, failed: 0, active: 0, wait: 0 });

    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    expect(b.log()).toContain('worker stopped');
  }, 240_000);
});
