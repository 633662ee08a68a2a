/**
 * `saddlesurf worker --redis URL [--concurrency K] [--queue NAME]`: run sweep tasks from a
 * Redis queue (see `saddlesurf sweep --redis`) on K worker threads until stopped. Start any
 * number on any machines that reach the Redis server. SIGINT/SIGTERM puts the running tasks
 * back in the queue for other workers and exits; a worker killed outright loses nothing
 * either: its tasks run again once their lock expires (`--lock-duration`, checked by other
 * workers every `--stalled-interval`).
 */
import { availableParallelism } from 'node:os';
import { runRedisWorker } from '../../sweep/redis.ts';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { addFlags, integerFlag, readFlags, stringFlag } from '../flags.ts';
import { NODE_REGISTRY } from '../taskRegistry.ts';

const flags = {
  redis: stringFlag('--redis', {
    description: 'Redis URL (redis://[:password@]host:port[/db], rediss:// for TLS)',
    valueName: '<url>',
    required: true,
  }),
  queue: stringFlag('--queue', {
    description: 'queue name (the same as the sweep’s)',
    valueName: '<name>',
    default: 'saddlesurf',
  }),
  concurrency: integerFlag('--concurrency', {
    description: 'tasks run at once, each on its own thread (default: the number of cores)',
    ge: 1,
    le: 1024,
  }),
  lockDuration: integerFlag('--lock-duration', {
    description: 'ms a task stays locked to this worker without renewal (renewed every half)',
    ge: 1000,
    le: 3_600_000,
    default: 30000,
  }),
  stalledInterval: integerFlag('--stalled-interval', {
    description: 'ms between this worker’s checks for tasks of workers that died',
    ge: 500,
    le: 3_600_000,
    default: 30000,
  }),
} as const;

export const command: CommandModule = {
  name: 'worker',
  register(program, ctx) {
    const cmd = program
      .command('worker')
      .description('run sweep tasks from a Redis queue (saddlesurf sweep --redis) until stopped');
    addFlags(cmd, flags).action(async () => {
      const o = readFlags(cmd, flags);
      if (!/^rediss?:\/\//.test(o.redis))
        throw new UsageError('--redis', `must be a redis:// or rediss:// URL, got '${o.redis}'`);
      const signal = ctx.signal ?? new AbortController().signal;
      const { done } = await runRedisWorker(
        {
          url: o.redis,
          queue: o.queue,
          concurrency: o.concurrency ?? availableParallelism(),
          registry: NODE_REGISTRY,
          lockDuration: o.lockDuration,
          stalledInterval: o.stalledInterval,
          log: (line) => ctx.stderr(`${line}\n`),
        },
        signal,
      );
      ctx.stderr(`worker stopped after ${done} tasks\n`);
    });
  },
};
