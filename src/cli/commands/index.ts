/**
 * The registry of CLI commands: each module exports `command: CommandModule`.
 * Add one line per command.
 */
import type { CommandModule } from '../command.ts';
import { command as amp } from './amp.ts';
import { command as census } from './census.ts';
import { command as dmft } from './dmft.ts';
import { command as flow } from './flow.ts';
import { command as landscape } from './landscape.ts';
import { command as phaseDiagram } from './phase-diagram.ts';
import { command as reproduce } from './reproduce.ts';
import { command as sample } from './sample.ts';
import { command as serve } from './serve.ts';
import { command as sweep } from './sweep.ts';
import { command as thresholds } from './thresholds.ts';
import { command as version } from './version.ts';
import { command as worker } from './worker.ts';

export const commands: readonly CommandModule[] = [
  version,
  sample,
  amp,
  thresholds,
  landscape,
  phaseDiagram,
  flow,
  census,
  dmft,
  reproduce,
  sweep,
  worker,
  serve,
];
