/**
 * `saddlesurf sample`: draw one finite-N instance of the spiked matrix–tensor model (THEORY §1)
 * and write it as an NPZ file that numpy loads (`src/cli/instanceFile.ts`). The computation and
 * its flags are the `sample` task (src/tasks/sample.ts); `--out` names the file (optional with
 * `--json`: then only the summary is printed).
 */

import { checkOutputFile, writeFileAtomicAsync } from '../../files/index.ts';
import { estimateInstanceBytes, modelFromChannels } from '../../model/index.ts';
import { INSTANCE_FILE, type SampleDocument } from '../../tasks/sample.ts';
import { TaskCancelledError } from '../../tasks/task.ts';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { addFlags, readFlags, stringFlag, switchFlag } from '../flags.ts';
import { executeIsolated, isolateAbove, tensorEntries } from '../isolated.ts';
import { jsonFlag } from '../options.ts';
import { executeWithProgress, givenTaskFlags } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

const task = tasks.sample;

const cliFlags = {
  out: stringFlag('--out', {
    description: 'output .npz file (optional with --json: then no file is written)',
    valueName: '<file.npz>',
  }),
  force: switchFlag('--force', 'replace an existing --out file written by saddlesurf'),
  json: jsonFlag,
} as const;

export const command: CommandModule = {
  name: 'sample',
  register(program, ctx) {
    const cmd = program.command('sample').description(task.description);
    addFlags(cmd, { ...task.flags, ...cliFlags }).action(async () => {
      const o = readFlags(cmd, cliFlags);
      const params = task.validate(givenTaskFlags(cmd, task.flags));
      if (o.out === undefined) {
        if (!o.json) throw new UsageError('--out', 'is required unless --json is given');
      } else {
        if (!o.out.endsWith('.npz')) throw new UsageError('--out', `must name a .npz file, got '${o.out}'`);
        checkOutputFile(o.out, o.force); // before sampling, which can take minutes
      }
      const channels = params.channels;
      const bytes = estimateInstanceBytes(
        channels === undefined ? params : { ...params, ...modelFromChannels(channels) },
      );
      const text = (c: { order: number; delta: number }) =>
        `${c.order}:${c.delta === Number.POSITIVE_INFINITY ? 'inf' : c.delta}`;
      const model = channels === undefined ? `p = ${params.p}` : `channels ${channels.map(text).join(',')}`;
      ctx.stderr(`sampling N = ${params.n}, ${model} (${(bytes / 2 ** 20).toFixed(1)} MiB)\n`);
      // A large instance is drawn and encoded on a worker thread that a signal terminates, and
      // written in chunks: Ctrl-C is honoured within a second at any moment (issue 11).
      const entries = tensorEntries(params.n, params.p);
      const raw = givenTaskFlags(cmd, task.flags);
      const output = await executeWithProgress<SampleDocument>(
        ctx,
        task,
        params,
        'sample',
        o.json,
        entries >= isolateAbove()
          ? (onProgress) =>
              executeIsolated<SampleDocument>(
                ctx,
                { command: 'sample', raw, plan: null, plot: false },
                onProgress,
              )
          : undefined,
      );
      if (o.out !== undefined) {
        let content: Uint8Array | undefined;
        output.write({
          bytes: (name, data) => {
            if (name === INSTANCE_FILE) content = data;
          },
          text: () => {},
          json: () => {},
        });
        if (content === undefined) throw new Error(`the sample task wrote no ${INSTANCE_FILE}`);
        await writeFileAtomicAsync(
          o.out,
          content,
          o.force,
          () => ctx.signal?.aborted === true,
          () => new TaskCancelledError('interrupted while writing the instance file'),
        );
      }
      const summary = { file: o.out ?? null, ...output.document };
      if (o.json) ctx.stdout(`${JSON.stringify(summary)}\n`);
      else {
        const d = output.document;
        ctx.stdout(
          `wrote ${o.out}: N = ${d.n}, ${channels === undefined ? `p = ${d.p}, Δ2 = ${d.delta2}, Δp = ${d.deltap}` : model}, seed ${d.seed}, ` +
            `${d.tensorEntries} tensor entries (${d.precision}); H(x*)/N = ${d.energyAtSignalPerN.toFixed(6)}\n`,
        );
      }
    });
  },
};
