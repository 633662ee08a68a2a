/**
 * A user error in a task's parameters (a command-line flag, a sweep key, an explorer field):
 * names the flag and what it accepts. The CLI prints `saddlesurf <command>: <message>` and
 * exits with status 2.
 */
export class UsageError extends Error {
  readonly flag: string | null;

  constructor(flag: string | null, message: string) {
    super(flag === null ? message : `${flag}: ${message}`);
    this.name = 'UsageError';
    this.flag = flag;
  }
}
