/**
 * `saddlesurf sweep SPEC --out DIR [--workers K | --redis URL] [--force] [--json]`: run one
 * computing command over a grid of parameters (src/sweep/spec.ts for the SPEC format), each
 * grid point a task identified by a content hash, on a local pool of worker threads or on
 * `saddlesurf worker` processes through Redis. Every point is validated before anything runs
 * (exit 2 naming the SPEC key). Results: `DIR/results.csv`, `DIR/results.jsonl`,
 * `DIR/tasks/<task>/` (the command's files), `DIR/sweep.json`; `DIR/ledger.jsonl` records each
 * finished task durably, so rerunning the same command continues an interrupted sweep.
 * Exit status 0 when every task succeeded, 1 when some failed (listed at the end), 130/143
 * when interrupted (finished tasks are kept).
 *
 * `saddlesurf sweep analyze DIR --escape-threshold`: extrapolated thresholds from a dmft sweep
 * of escape times over Δ2 (src/sweep/analyze.ts), CSV + figure in DIR/analysis.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { toJson } from '../../io/json.ts';
import { analyzeEscapeThreshold } from '../../sweep/analyze.ts';
import {
  expandSpec,
  LocalPool,
  localExecutor,
  parseSpecText,
  prepareSweepDir,
  runSweep,
} from '../../sweep/index.ts';
import { createSweepProgress } from '../../sweep/progress.ts';
import { redisExecutor } from '../../sweep/redis.ts';
import { VERSION } from '../../version.ts';
import type { CommandModule } from '../command.ts';
import type { CliContext } from '../context.ts';
import { CancelledError, UsageError } from '../errors.ts';
import { addFlags, integerFlag, readFlags, stringFlag, switchFlag } from '../flags.ts';
import { forceFlag, jsonFlag, outFlag } from '../options.ts';
import { getTask, NODE_REGISTRY, tasks } from '../taskRegistry.ts';

export const redisFlag = stringFlag('--redis', {
  description:
    'Redis URL (redis://[:password@]host:port[/db], rediss:// for TLS): run on `saddlesurf worker`s',
  valueName: '<url>',
});
export const queueFlag = stringFlag('--queue', {
  description: 'queue name on Redis (workers and sweep must agree)',
  valueName: '<name>',
  default: 'saddlesurf',
});

const flags = {
  out: outFlag(true, 'output directory (rerun into the same directory to continue)'),
  workers: integerFlag('--workers', {
    description: 'worker threads of the local pool (default: the number of cores)',
    ge: 1,
    le: 1024,
  }),
  redis: redisFlag,
  queue: queueFlag,
  force: forceFlag,
  json: jsonFlag,
} as const;

const analyzeFlags = {
  escapeThreshold: switchFlag(
    '--escape-threshold',
    'extrapolate the threshold 1/Δ2 per Δp (and every other swept key) from dmft escape times (THEORY §5)',
  ),
  out: stringFlag('--out', { description: 'output directory (default DIR/analysis)', valueName: '<dir>' }),
  force: forceFlag,
  json: jsonFlag,
} as const;

/** A stopped sweep keeps its finished tasks: the CLI must not say "no output written". */
class SweepInterrupted extends CancelledError {
  readonly outputKept = true;
}

function checkUrl(url: string): void {
  if (!/^rediss?:\/\//.test(url))
    throw new UsageError('--redis', `must be a redis:// or rediss:// URL, got '${url}'`);
}

async function sweepAction(ctx: CliContext, cmd: Command, specPath: string): Promise<void> {
  const o = readFlags(cmd, flags);
  if (o.redis !== undefined) {
    checkUrl(o.redis);
    if (cmd.opts().workers !== undefined)
      throw new UsageError('--workers', 'applies to the local pool only (not with --redis)');
  }
  let text: string;
  try {
    text = readFileSync(specPath, 'utf8');
  } catch (error) {
    throw new UsageError(
      null,
      `SPEC ${specPath}: cannot read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  const sweep = expandSpec(parseSpecText(text, specPath), getTask, VERSION, Object.keys(tasks));
  const mode = prepareSweepDir(o.out, sweep, o.force);
  const executor =
    o.redis !== undefined
      ? await redisExecutor({ url: o.redis, queue: o.queue, log: (line) => ctx.stderr(`${line}\n`) })
      : localExecutor(new LocalPool({ size: o.workers, registry: NODE_REGISTRY }));
  const where = o.redis !== undefined ? `queue '${o.queue}' on Redis` : `${o.workers ?? 'all'} local workers`;
  ctx.stderr(
    `sweep ${sweep.command}: ${sweep.tasks.length} tasks into ${o.out} (${mode === 'resume' ? 'continuing' : 'new'}), ${where}\n`,
  );
  const progress = createSweepProgress(ctx, { json: o.json, running: () => executor.running });
  const signal = ctx.signal ?? new AbortController().signal;
  let result: Awaited<ReturnType<typeof runSweep>>;
  try {
    result = await runSweep({ sweep, dir: o.out, executor, signal, onEvent: progress.event });
  } finally {
    progress.stop();
    await executor.close();
  }
  const { counts, failed } = result;
  if (result.aborted)
    throw new SweepInterrupted(
      `interrupted; ${counts.ok + counts.failed} of ${counts.total} tasks are recorded in ${o.out} (rerun the same command to continue)`,
    );
  if (o.json) ctx.stdout(toJson({ out: o.out, command: sweep.command, counts, failed }, 0));
  else {
    for (const f of failed)
      ctx.stderr(`failed ${f.task} (${JSON.stringify(f.point)}): exit ${f.exitCode}: ${f.error}\n`);
    ctx.stdout(
      `${counts.total} tasks: ${counts.ok} ok, ${counts.failed} failed; wrote ${o.out}/results.csv\n`,
    );
  }
  if (counts.failed > 0) {
    const error = new Error(`${counts.failed} of ${counts.total} tasks failed (see ${o.out}/sweep.json)`);
    throw error;
  }
}

export const command: CommandModule = {
  name: 'sweep',
  register(program, ctx) {
    const cmd = program
      .command('sweep')
      .argument('<spec>', 'SPEC: a JSON file with command, parameters, grid / zip / points / seeds')
      .description('run one command over a parameter grid on every core or on Redis workers (resumable)');
    addFlags(cmd, flags).action((spec: string) => sweepAction(ctx, cmd, spec));
    const analyze = cmd
      .command('analyze')
      .argument('<dir>', 'a sweep output directory')
      .description('analyses of sweep results (--escape-threshold: thresholds from dmft escape times)');
    addFlags(analyze, analyzeFlags).action(async (dir: string) => {
      // `sweep` shares --out/--force/--json and commander gives them to it: read both levels.
      const a = readFlags({ opts: () => analyze.optsWithGlobals() } as Command, analyzeFlags);
      if (!a.escapeThreshold)
        throw new UsageError('--escape-threshold', 'names the analysis to run (the only one so far)');
      const { out, rows } = await analyzeEscapeThreshold({ dir, out: a.out, force: a.force });
      if (a.json) ctx.stdout(toJson({ out, thresholds: rows }, 0));
      else {
        for (const r of rows) {
          const fit = r.fit
            ? `${r.fit.threshold.toPrecision(5)} ± ${r.fit.thresholdError.toPrecision(2)}`
            : `— (${r.escaped} of ${r.runs} escaped; 4 needed)`;
          const group = Object.entries(r.group)
            .map(([k, v]) => `${k} = ${v}`)
            .join(', ');
          ctx.stdout(
            `${group || `p = ${r.p}, Δp = ${r.deltap}`}: 1/Δ2 threshold ${fit} (${r.referenceName} ${r.reference.toPrecision(5)})\n`,
          );
        }
        ctx.stdout(`wrote ${out}\n`);
      }
    });
  },
};
