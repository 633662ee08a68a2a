/**
 * `saddlesurf thresholds --p P --deltap DP [--json]`: every threshold line of the phase
 * diagram at one Δp (THEORY §5), each as a value of 1/Δ2. No files are written.
 *
 * `--json` prints `{"p", "deltap", "invDelta2": {"gf", "mlAmp", "mlAmpSpinodal",
 * "trivAllM", "trivNonNegativeM", "bayesIT", "bayesAMP", "bayesSpinodal",
 * "langevinConjecture"}}`, null where a line does not exist at that Δp, Δp = ∞ as "inf".
 * Conventions: `trivAllM` counts spurious minima at every overlap m, `trivNonNegativeM`
 * only at m ≥ 0 (THEORY §4.2); `langevinConjecture` is the candidate closed form of
 * THEORY §6.3, a conjecture, not a result.
 */
import { toJson } from '../../io/json.ts';
import { LINE_NAMES, type LineName, thresholds } from '../../phase/index.ts';
import type { CommandModule } from '../command.ts';
import { addFlags, readFlags } from '../flags.ts';
import { jsonFlag, modelFlags } from '../options.ts';

const flags = { p: modelFlags.p, deltap: modelFlags.deltap, json: jsonFlag } as const;

/** What each line is, for the human-readable table. */
export const LINE_DESCRIPTIONS: Record<LineName, string> = {
  gf: 'gradient flow: BBP at the threshold minima (THEORY §5)',
  mlAmp: 'ML-AMP: instability of m = 0 (THEORY §6.1)',
  mlAmpSpinodal: 'ML-AMP: informative fixed point appears (THEORY §6.1)',
  trivAllM: 'trivialisation, spurious minima at any m (THEORY §4.2)',
  trivNonNegativeM: 'trivialisation, spurious minima at m ≥ 0 only (THEORY §4.2)',
  bayesIT: 'Bayes-optimal: information-theoretic (THEORY §6.2)',
  bayesAMP: 'Bayes-optimal: AMP algorithmic (THEORY §6.2)',
  bayesSpinodal: 'Bayes-optimal: informative fixed point appears (THEORY §6.2)',
  langevinConjecture: 'Langevin T = 1, CONJECTURE (THEORY §6.3)',
};

export const command: CommandModule = {
  name: 'thresholds',
  register(program, ctx) {
    const cmd = program
      .command('thresholds')
      .description('every threshold line of the phase diagram at one Δp, as 1/Δ2 (THEORY §5)');
    addFlags(cmd, flags).action(() => {
      const o = readFlags(cmd, flags);
      const invDelta2 = thresholds(o.p, o.deltap);
      if (o.json) {
        ctx.stdout(toJson({ p: o.p, deltap: o.deltap, invDelta2 }, 0));
        return;
      }
      const dp = o.deltap === Number.POSITIVE_INFINITY ? 'inf' : String(o.deltap);
      const lines = LINE_NAMES.map((name) => {
        const v = invDelta2[name];
        const value = v === null ? '—' : v.toPrecision(10);
        return `  ${name.padEnd(19)} ${value.padStart(14)}   ${LINE_DESCRIPTIONS[name]}`;
      });
      ctx.stdout(
        `thresholds as 1/Δ2 at p = ${o.p}, Δp = ${dp} (— : no such line here)\n${lines.join('\n')}\n`,
      );
    });
  },
};
