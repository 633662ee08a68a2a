/**
 * Compile the command line ahead of time (`npm run build`, run by `prepare`, so `npm ci`
 * does it): esbuild bundles src/cli into dist/ as plain ES modules, one file per command
 * (loaded only when that command runs) plus shared chunks, with node_modules left external.
 * bin/saddlesurf runs dist/cli/main.js when it is up to date with every source it was built
 * from (dist/cli/build.json lists them), and the TypeScript sources through tsx otherwise.
 *
 * The output mirrors src/ (dist/cli/commands/*.js, shared chunks beside them in dist/cli/chunks)
 * so that paths a module computes from its own location (`import.meta.url`) stay valid.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** What bin/saddlesurf checks: the sources (repository-relative) and when the build started. */
export interface BuildRecord {
  readonly builtAt: number;
  readonly inputs: readonly string[];
}

/** The entry points: the CLI and every command module (not their tests). */
export function entryPoints(repo = REPO): string[] {
  const commands = join(repo, 'src/cli/commands');
  const modules = readdirSync(commands)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts')
    .map((f) => join(commands, f));
  return [join(repo, 'src/cli/main.ts'), ...modules];
}

/** Build into `outdir` (default dist/ of the repository); returns the record written beside the CLI. */
export async function buildCli(outdir = join(REPO, 'dist'), repo = REPO): Promise<BuildRecord> {
  const { build } = await import('esbuild');
  // Anything modified from here on is newer than the build: bin/saddlesurf will not trust it.
  const builtAt = Date.now();
  rmSync(join(outdir, 'cli'), { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints: entryPoints(repo),
    outbase: join(repo, 'src'),
    outdir,
    chunkNames: 'cli/chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    metafile: true,
    logLevel: 'warning',
    legalComments: 'none',
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => relative(repo, join(repo, p)));
  const record: BuildRecord = { builtAt, inputs: [...new Set(inputs)].sort() };
  writeFileSync(join(outdir, 'cli', 'build.json'), `${JSON.stringify(record, null, 1)}\n`);
  return record;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const t0 = performance.now();
    const record = await buildCli();
    const ms = (performance.now() - t0).toFixed(0);
    process.stdout.write(
      `saddlesurf: compiled the CLI into dist/ (${record.inputs.length} sources, ${ms} ms)\n`,
    );
  } catch (error) {
    // Never break an install: bin/saddlesurf runs the TypeScript sources without dist/.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`saddlesurf: could not compile the CLI (${message}); it will run through tsx.\n`);
  }
}
