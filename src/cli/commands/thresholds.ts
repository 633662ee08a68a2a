/**
 * `saddlesurf thresholds --p P --deltap DP [--json]`: every threshold line of the phase
 * diagram at one Δp (THEORY §5), each as a value of 1/Δ2 (the `thresholds` task,
 * src/tasks/thresholds.ts). No files are written, so there is no `--out`.
 */
import { toJson } from '../../io/json.ts';
import { LINE_NAMES, type LineName } from '../../phase/index.ts';
import type { CommandModule } from '../command.ts';
import { addFlags, readFlags } from '../flags.ts';
import { jsonFlag } from '../options.ts';
import { givenTaskFlags } from '../taskCommand.ts';
import { tasks } from '../taskRegistry.ts';

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

const task = tasks.thresholds;

export const command: CommandModule = {
  name: 'thresholds',
  register(program, ctx) {
    const cmd = program.command('thresholds').description(task.description);
    const cliFlags = { json: jsonFlag } as const;
    addFlags(cmd, { ...task.flags, ...cliFlags }).action(async () => {
      const o = readFlags(cmd, cliFlags);
      const params = task.validate(givenTaskFlags(cmd, task.flags));
      const document = await task.run(params, { signal: ctx.signal });
      if (o.json) {
        ctx.stdout(toJson(document, 0));
        return;
      }
      const text = (d: number) => (d === Number.POSITIVE_INFINITY ? 'inf' : String(d));
      const dp = text(params.deltap);
      const lines = LINE_NAMES.map((name) => {
        const v = document.invDelta2[name];
        const value = v === null ? '—' : v.toPrecision(10);
        return `  ${name.padEnd(19)} ${value.padStart(14)}   ${LINE_DESCRIPTIONS[name]}`;
      });
      const heading =
        params.channels === undefined
          ? `thresholds as 1/Δ2 at p = ${params.p}, Δp = ${dp} (— : no such line here)`
          : `thresholds as 1/Δ2 of the matrix channel for the tensor channels ${params.channels
              .filter((c) => c.order > 2)
              .map((c) => `${c.order}:${text(c.delta)}`)
              .join(
                ',',
              )} (— : no such line here, or its theory is 2+p only: ${document.twoPlusPOnly?.join(', ')})` +
            (document.givenInvDelta2 == null
              ? ''
              : `; the given matrix channel has 1/Δ2 = ${document.givenInvDelta2}`);
      ctx.stdout(`${heading}\n${lines.join('\n')}\n`);
    });
  },
};
