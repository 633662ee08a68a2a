/**
 * The stages of `saddlesurf reproduce` in order, as a list the caller runs one by one
 * (so it can show a progress display per stage and stop between stages).
 */

import { ampVsGfStage } from './ampVsGfStage.ts';
import { annealStage } from './annealStage.ts';
import { censusStage } from './censusStage.ts';
import { complexityStage } from './complexityStage.ts';
import type { ReproduceConfig } from './config.ts';
import { dynamicsStage } from './dynamicsStage.ts';
import { type EscapeRuns, escapeTimeStage, measureEscapes } from './escapeStage.ts';
import { phaseDiagramStage } from './phaseDiagramStage.ts';
import { surfingStage } from './surfingStage.ts';
import type { StageProgress, StageResult } from './types.ts';

/** One stage: a label for the progress display and the work, which returns zero or one figure. */
export interface Stage {
  readonly id: string;
  readonly label: string;
  run(progress: StageProgress): StageResult | null;
}

/**
 * The stages for a configuration. The escape-time measurements run first and feed both
 * the escape-time figure and the measured points of the phase diagrams.
 * @example
 * const results = reproduceStages(QUICK).map((s) => s.run(() => {})).filter((r) => r !== null);
 * results.map((r) => r.id); // ['escape-time', 'phase-diagram', 'dynamics', 'surfing', 'complexity', 'amp-vs-gf', 'anneal', 'census']
 */
export function reproduceStages(config: ReproduceConfig): Stage[] {
  let escapes: EscapeRuns | null = null;
  const needEscapes = (): EscapeRuns => {
    if (escapes === null) throw new Error('the escape-time stage must run before the phase diagrams');
    return escapes;
  };
  return [
    {
      id: 'escape-time',
      label: 'escape times (N = ∞)',
      run: (progress) => {
        escapes = measureEscapes(config.escape, progress);
        return escapeTimeStage(config.escape, escapes);
      },
    },
    {
      id: 'phase-diagram',
      label: 'phase diagrams',
      run: (progress) =>
        phaseDiagramStage(
          config.phase,
          needEscapes(),
          progress,
          Math.log(config.escape.level / config.escape.m0),
          config.escape,
        ),
    },
    { id: 'dynamics', label: 'dynamics', run: (progress) => dynamicsStage(config.dynamics, progress) },
    { id: 'surfing', label: 'surfing on saddles', run: (progress) => surfingStage(config.surfing, progress) },
    {
      id: 'complexity',
      label: 'complexity',
      run: (progress) => complexityStage(config.complexity, progress),
    },
    { id: 'amp-vs-gf', label: 'ML-AMP vs GF', run: (progress) => ampVsGfStage(config.ampVsGf, progress) },
    ...annealStages(config),
    ...(config.census === undefined
      ? []
      : [
          {
            id: 'census',
            label: 'finite-N census',
            run: (progress: StageProgress) => censusStage(config.census!, progress),
          },
        ]),
  ];
}

/** The annealing figure (issue 15), when the configuration has one. */
function annealStages(config: ReproduceConfig): Stage[] {
  const c = config.anneal;
  return c
    ? [{ id: 'anneal', label: 'annealing protocol', run: (progress) => annealStage(c, progress) }]
    : [];
}
