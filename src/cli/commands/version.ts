import { VERSION } from '../../version.ts';
import type { CommandModule } from '../command.ts';
import { addFlags, readFlags } from '../flags.ts';
import { jsonFlag } from '../options.ts';

const flags = { json: jsonFlag } as const;

/** `saddlesurf version`: the package, Node and platform versions (for bug reports). */
export const command: CommandModule = {
  name: 'version',
  register(program, ctx) {
    const cmd = program.command('version').description('print the saddlesurf, Node.js and platform versions');
    addFlags(cmd, flags).action(() => {
      const { json } = readFlags(cmd, flags);
      const info = {
        saddlesurf: VERSION,
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
      };
      ctx.stdout(
        json
          ? `${JSON.stringify(info)}\n`
          : `saddlesurf ${info.saddlesurf} (node ${info.node}, ${info.platform})\n`,
      );
    });
  },
};
