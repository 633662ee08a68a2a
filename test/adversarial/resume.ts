/**
 * The SIGKILL-and-resume trial of `--checkpoint-every` / `--resume` (issue 11), shared by the
 * flow and dmft test files: a reference run straight through; the same run with checkpoints,
 * killed with SIGKILL at a random moment after its first checkpoint (optionally twice: the resumed
 * run is killed again), then resumed into the same --out. The resumed output must equal the
 * reference file for file, byte for byte, except `params.json`, which must differ ONLY by its
 * `resumedFrom` field (the times the run was resumed from); the --json documents must be equal
 * except `out`; the checkpoint must be gone and no partial left.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { checkpointPath } from '../../src/cli/checkpoint.ts';
import { toJson } from '../../src/io/json.ts';
import { BIN, partials, spawnCli } from './helpers.ts';

/** Start the CLI and SIGKILL it at a random moment (up to `maxDelayMs`) after its first checkpoint. */
async function killAfterCheckpoint(
  args: string[],
  checkpoint: string,
  maxDelayMs: number,
  env: NodeJS.ProcessEnv,
): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
  let err = '';
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.on('exit', (_code, signal) => done(signal)),
  );
  let finished = false;
  void exited.then(() => {
    finished = true;
  });
  // A checkpoint newer than this run (a resumed run starts from an older one).
  const before = existsSync(checkpoint) ? readFileSync(checkpoint) : null;
  while (
    !finished &&
    (!existsSync(checkpoint) || (before !== null && readFileSync(checkpoint).equals(before)))
  )
    await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, Math.random() * maxDelayMs));
  child.kill('SIGKILL');
  expect(await exited, `the run ended before it was killed: make it longer\n${err}`).toBe('SIGKILL');
  return err;
}

/** `env`: the environment of the checkpointed runs (e.g. SADDLESURF_ISOLATE_ENTRIES=0: on a worker thread). */
export async function resumeTrial(
  dir: string,
  name: string,
  args: string[],
  kills = 1,
  maxDelayMs = 600,
  env: NodeJS.ProcessEnv = process.env,
) {
  const ref = join(dir, `${name}-ref`);
  const out = join(dir, `${name}-resumed`);
  const checkpoint = checkpointPath(out);
  const straight = await spawnCli([...args, '--out', ref, '--json']);
  expect(straight.status, straight.err).toBe(0);
  const withCheckpoints = [...args, '--out', out, '--checkpoint-every', '0.1'];
  await killAfterCheckpoint(withCheckpoints, checkpoint, maxDelayMs, env);
  for (let k = 1; k < kills; k++)
    await killAfterCheckpoint([...withCheckpoints, '--resume'], checkpoint, maxDelayMs, env);
  expect(existsSync(checkpoint)).toBe(true);
  expect(existsSync(out)).toBe(false);
  const resumed = await spawnCli([...withCheckpoints, '--resume', '--json'], { env });
  expect(resumed.status, resumed.err).toBe(0);
  expect(resumed.err).toMatch(/resuming from the checkpoint at t = /);
  // Byte for byte, except the provenance field resumedFrom of params.json.
  const files = readdirSync(ref).sort();
  expect(readdirSync(out).sort()).toEqual(files);
  for (const file of files) {
    const a = readFileSync(join(ref, file));
    const b = readFileSync(join(out, file));
    if (file !== 'params.json') {
      expect(b.equals(a), `${file} differs`).toBe(true);
      continue;
    }
    const { resumedFrom, ...rest } = JSON.parse(b.toString()) as { resumedFrom?: number[] };
    expect(resumedFrom).toHaveLength(kills);
    expect(resumedFrom!.every((t, k) => t > 0 && (k === 0 || t >= resumedFrom![k - 1]))).toBe(true);
    expect(toJson(rest)).toBe(a.toString());
  }
  const doc = (text: string) => ({ ...JSON.parse(text), out: null });
  expect(doc(resumed.out)).toEqual(doc(straight.out));
  expect(existsSync(checkpoint)).toBe(false);
  expect(partials(dir)).toEqual([]);
}
