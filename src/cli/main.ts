/**
 * The `saddlesurf` command line: a thin shell over the library. Exit status 0 on
 * success, 2 on a usage error (bad flag value, unknown flag or command), 1 on a
 * failure while running; the message names the flag and its allowed range. A run cancelled by
 * SIGINT, SIGTERM or SIGHUP exits 130, 143 or 129 and leaves no output.
 */
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.ts';
import { commands } from './commands/index.ts';
import { type CliContext, cancelStatus, processContext } from './context.ts';
import { CancelledError, UsageError } from './errors.ts';

/**
 * The program with the command `name` registered in full (its module loaded) and every other
 * command as a name and summary only, for the top-level help; `name` undefined loads none.
 */
export async function buildProgram(ctx: CliContext, name?: string): Promise<Command> {
  const program = new Command('saddlesurf')
    .description(
      'Gradient flow in the spiked matrix–tensor model: finite-N dynamics, large-N (DMFT) ' +
        'equations, Kac–Rice landscape, message passing, thresholds and the paper’s figures.',
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.stdout(s), writeErr: (s) => ctx.stderr(s) })
    // Commands not loaded have no flags registered; list every command as it will parse.
    .configureHelp({
      subcommandTerm: (c) => (c.name() === 'help' ? 'help [command]' : `${c.name()} [options]`),
    })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nRun `saddlesurf COMMAND --help` for the flags of a command, with ranges and defaults.',
    );
  for (const entry of commands) {
    if (entry.name === name) (await entry.load()).register(program, ctx);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/** Run the CLI on `argv` (node-style: argv[0] = node, argv[1] = script). Returns the exit status. */
export async function main(argv: readonly string[], ctx: CliContext = processContext()): Promise<number> {
  const name = argv[2] && !argv[2].startsWith('-') ? argv[2] : undefined;
  // `saddlesurf help COMMAND` shows that command's flags: load it.
  const program = await buildProgram(ctx, name === 'help' ? argv[3] : name);
  const prefix = name ? `saddlesurf ${name}` : 'saddlesurf';
  if (argv.length <= 2) {
    ctx.stdout(program.helpInformation());
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return 0;
      }
      return 2; // commander already printed the message (unknown option/command, missing value)
    }
    if (error instanceof UsageError) {
      ctx.stderr(
        `${prefix}: ${error.message}\n${name ? `(run 'saddlesurf ${name} --help' for usage)\n` : ''}`,
      );
      return 2;
    }
    if (error instanceof CancelledError || ctx.signal?.aborted) {
      const reason = ctx.signal?.aborted ? ` by ${String(ctx.signal.reason)}` : '';
      const what = error instanceof CancelledError ? error.message : 'interrupted';
      // A sweep keeps what it finished (its message says where); other commands write nothing.
      const kept = (error as { outputKept?: unknown }).outputKept === true;
      ctx.stderr(`${prefix}: ${what}${reason}${kept ? '' : '; no output written'}\n`);
      return cancelStatus(ctx.signal?.reason);
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.stderr(`${prefix}: error: ${message}\n`);
    return 1;
  }
}
