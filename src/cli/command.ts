import type { Command } from 'commander';
import type { CliContext } from './context.ts';

/**
 * A CLI command: `register` adds a subcommand to the program, whose action parses
 * its flags with `readFlags` (throwing UsageError on bad input) and writes through
 * the context.
 */
export interface CommandModule {
  readonly name: string;
  register(program: Command, ctx: CliContext): void;
}
