/**
 * `saddlesurf phase-diagram --p P --deltap-min A --deltap-max B --points K --out DIR`:
 * every threshold line of THEORY §5 on a grid of Δp, and the Bayes-optimal regions.
 *
 * Files:
 * - `DIR/params.json`: every parameter and the package version (no randomness: seed null).
 * - `DIR/lines.csv`, columns `deltap,line,inv_delta2` (tidy: one row per Δp and line;
 *   `inv_delta2` empty where the line does not exist at that Δp). Line names as in
 *   `saddlesurf thresholds`: `trivAllM` counts spurious minima at every m, `trivNonNegativeM`
 *   only at m ≥ 0 (THEORY §4.2); `langevinConjecture` is a CONJECTURE (THEORY §6.3).
 * - `DIR/regions.csv`, columns `deltap,region,segment,inv_delta2_from,inv_delta2_to`: at
 *   each Δp the 1/Δ2 axis cut into Bayes-optimal regions `impossible`/`hard`/`easy`
 *   (THEORY §6.2); `segment` numbers the pieces of one region at that Δp (0, 1, …);
 *   `inv_delta2_to` is `inf` for the last piece.
 *
 * `--json` prints `{"p", "deltap": [...], "lines": {name: [...]}, "out"}`.
 */
import { bayesRegions } from '../../amp/index.ts';
import type { CsvValue } from '../../io/index.ts';
import { toJson } from '../../io/json.ts';
import { LINE_NAMES, thresholdLines } from '../../phase/index.ts';
import type { CommandModule } from '../command.ts';
import { UsageError } from '../errors.ts';
import { addFlags, choiceFlag, integerFlag, numberFlag, readFlags } from '../flags.ts';
import { forceFlag, jsonFlag, modelFlags, outFlag } from '../options.ts';
import { paramsDocument, withOutputDir } from '../output.ts';
import { createProgress } from '../progress.ts';

const flags = {
  p: modelFlags.p,
  deltapMin: numberFlag('--deltap-min', { description: 'smallest Δp of the grid', gt: 0, default: 0.1 }),
  deltapMax: numberFlag('--deltap-max', { description: 'largest Δp of the grid', gt: 0, default: 10 }),
  points: integerFlag('--points', { description: 'number of Δp values', ge: 2, le: 5000, default: 100 }),
  spacing: choiceFlag('--spacing', ['log', 'linear'] as const, {
    description: 'spacing of the Δp grid',
    default: 'log',
    defaultText: 'log',
  }),
  out: outFlag(),
  force: forceFlag,
  json: jsonFlag,
} as const;

export const command: CommandModule = {
  name: 'phase-diagram',
  register(program, ctx) {
    const cmd = program
      .command('phase-diagram')
      .description('all threshold lines on a grid of Δp and the Bayes-optimal regions (THEORY §5, §6)');
    addFlags(cmd, flags).action(async () => {
      const o = readFlags(cmd, flags);
      if (!(o.deltapMax > o.deltapMin)) {
        throw new UsageError('--deltap-max', `must be > --deltap-min (${o.deltapMin}), got ${o.deltapMax}`);
      }
      const deltaps = Array.from({ length: o.points }, (_, i) => {
        const t = i / (o.points - 1);
        if (i === o.points - 1) return o.deltapMax;
        return o.spacing === 'log'
          ? o.deltapMin * (o.deltapMax / o.deltapMin) ** t
          : o.deltapMin + (o.deltapMax - o.deltapMin) * t;
      });
      const parameters = {
        p: o.p,
        deltapMin: o.deltapMin,
        deltapMax: o.deltapMax,
        points: o.points,
        spacing: o.spacing,
      };
      const result = await withOutputDir(o.out, o.force, (out) => {
        out.json('params.json', paramsDocument('phase-diagram', parameters, { seed: null }));
        const progress = createProgress(ctx, { label: 'phase-diagram', total: 2, json: o.json });
        const lines = thresholdLines(o.p, deltaps);
        progress.update(1, 'threshold lines');
        const lineRows: CsvValue[][] = [];
        for (const [i, deltap] of deltaps.entries()) {
          for (const name of LINE_NAMES) lineRows.push([deltap, name, lines[name][i]]);
        }
        out.csv('lines.csv', ['deltap', 'line', 'inv_delta2'], lineRows);
        const regionRows: CsvValue[][] = [];
        for (const deltap of deltaps) {
          const count: Record<string, number> = {};
          for (const r of bayesRegions(o.p, deltap)) {
            const segment = count[r.region] ?? 0;
            count[r.region] = segment + 1;
            const to = r.to === Number.POSITIVE_INFINITY ? 'inf' : r.to;
            regionRows.push([deltap, r.region, segment, r.from, to]);
          }
        }
        out.csv(
          'regions.csv',
          ['deltap', 'region', 'segment', 'inv_delta2_from', 'inv_delta2_to'],
          regionRows,
        );
        progress.update(2, 'Bayes-optimal regions');
        progress.stop();
        return { p: o.p, deltap: deltaps, lines };
      });
      if (o.json) ctx.stdout(toJson({ ...result, out: o.out }, 0));
      else {
        ctx.stdout(
          `wrote ${o.out}: ${LINE_NAMES.length} threshold lines on ${o.points} values of Δp in ` +
            `[${o.deltapMin}, ${o.deltapMax}] for p = ${o.p}, and the Bayes-optimal regions\n`,
        );
      }
    });
  },
};
