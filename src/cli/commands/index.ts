/**
 * The registry of CLI commands: each module exports `command: CommandModule`.
 * Add one line per command.
 */
import type { CommandModule } from '../command.ts';
import { command as amp } from './amp.ts';
import { command as sample } from './sample.ts';
import { command as version } from './version.ts';

export const commands: readonly CommandModule[] = [version, sample, amp];
