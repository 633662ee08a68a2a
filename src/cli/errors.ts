/**
 * A user error in the command line: names the flag and what it accepts. The CLI
 * prints `saddlesurf <command>: <message>` and exits with status 2.
 */
export class UsageError extends Error {
  readonly flag: string | null;

  constructor(flag: string | null, message: string) {
    super(flag === null ? message : `${flag}: ${message}`);
    this.name = 'UsageError';
    this.flag = flag;
  }
}

/** A run that was stopped from outside (a signal, or a cancelled worker): the tasks' error. */
export { TaskCancelledError as CancelledError } from '../tasks/task.ts';
