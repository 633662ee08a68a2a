/**
 * `saddlesurf sample`: draw one finite-N instance of the spiked matrix–tensor model
 * (THEORY §1) and write it as an NPZ file that numpy loads (`src/cli/instanceFile.ts`).
 */
import {
  checkInstanceSize,
  energy,
  estimateInstanceBytes,
  sampleInstance,
  type TensorPrecision,
} from '../../model/index.ts';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { addFlags, choiceFlag, integerFlag, readFlags, stringFlag } from '../flags.ts';
import { encodeInstanceFile, sampleMemoryBudget } from '../instanceFile.ts';
import { forceFlag, jsonFlag, modelFlags, modelParams, seedFlag } from '../options.ts';
import { checkOutputFile, paramsDocument, writeFileAtomic } from '../output.ts';
import { createProgress } from '../progress.ts';

const flags = {
  n: integerFlag('--n', { description: 'dimension N', ge: 3, le: 100000, default: 200 }),
  ...modelFlags,
  seed: seedFlag,
  precision: choiceFlag('--precision', ['float64', 'float32'] as const, {
    description: 'storage of the packed tensor',
    default: 'float64',
    defaultText: 'float64',
  }),
  out: stringFlag('--out', { description: 'output .npz file', valueName: '<file.npz>', required: true }),
  force: forceFlag,
  json: jsonFlag,
} as const;

/**
 * The NPZ archive is built in one Uint8Array by a zip writer without zip64: both cap
 * it at 4 GiB (2^32 bytes; measured: longer typed arrays throw in Node 20).
 */
const MAX_NPZ_BYTES = 2 ** 32;
/** NPY headers, zip entries and the provenance document: a few KiB; 1 MiB is generous. */
const NPZ_OVERHEAD_BYTES = 2 ** 20;

export const command: CommandModule = {
  name: 'sample',
  register(program, ctx) {
    const cmd = program
      .command('sample')
      .description('draw a finite-N instance (signal, matrix, packed tensor) and write it as .npz');
    addFlags(cmd, flags).action(() => {
      const o = readFlags(cmd, flags);
      const params = modelParams(o);
      if (o.p > o.n) throw new UsageError('--p', `must not exceed --n (${o.n}), got ${o.p}`);
      if (!o.out.endsWith('.npz')) throw new UsageError('--out', `must name a .npz file, got '${o.out}'`);
      checkOutputFile(o.out, o.force); // before sampling, which can take minutes
      const precision: TensorPrecision = o.precision;
      const options = { n: o.n, ...params, seed: o.seed, precision, maxBytes: sampleMemoryBudget() };
      try {
        checkInstanceSize(options);
      } catch (error) {
        throw new UsageError('--n', (error as Error).message);
      }
      const bytes = estimateInstanceBytes(options);
      if (bytes + NPZ_OVERHEAD_BYTES > MAX_NPZ_BYTES) {
        throw new UsageError(
          '--n',
          `an instance of ${(bytes / 2 ** 30).toFixed(2)} GiB does not fit in one .npz file (at most 4 GiB: ` +
            `the zip writer has no zip64); use ${precision === 'float64' ? '--precision float32 or ' : ''}a smaller --n`,
        );
      }
      ctx.stderr(`sampling N = ${o.n}, p = ${o.p} (${(bytes / 2 ** 20).toFixed(1)} MiB)\n`);
      const progress = createProgress(ctx, { label: 'sample', total: 1, json: o.json });
      const inst = sampleInstance({ ...options, onProgress: (f) => progress.update(f, 'tensor entries') });
      progress.stop();
      const document = paramsDocument('sample', { n: o.n, ...params, precision }, { seed: o.seed });
      writeFileAtomic(o.out, encodeInstanceFile(inst, document), o.force);
      const summary = {
        file: o.out,
        n: o.n,
        ...params,
        seed: o.seed,
        precision,
        tensorEntries: inst.tensor?.length ?? 0,
        bytes,
        // H(x*)/N: ≈ −f(1) for large N (THEORY §1.1), a quick sanity value.
        energyAtSignalPerN: energy(inst, inst.signal) / o.n,
      };
      if (o.json) ctx.stdout(`${JSON.stringify(summary)}\n`);
      else
        ctx.stdout(
          `wrote ${o.out}: N = ${o.n}, p = ${o.p}, Δ2 = ${params.delta2}, Δp = ${params.deltap}, seed ${o.seed}, ` +
            `${summary.tensorEntries} tensor entries (${precision}); H(x*)/N = ${summary.energyAtSignalPerN.toFixed(6)}\n`,
        );
    });
  },
};
