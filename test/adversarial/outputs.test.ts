/**
 * Outputs under a careless or hostile user (issue 11): `--force` at foreign directories,
 * the current directory and its parent, concurrent writers, a read-only parent, long
 * names, a killed run's partials, an existing instance file, repeated flags.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../src/files/index.ts';
import { BIN, cli, partials, RAW_ERROR, spawnCli } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-adv-out-'));
afterAll(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

/** The cheapest command with an output directory: a coarse Kac–Rice grid (milliseconds). */
const LANDSCAPE = ['landscape', '--points', '5', '--spectrum-points', '5'];
const LANDSCAPE_FILES = [MARKER_FILE, 'complexity.csv', 'params.json', 'spectrum.csv'];

/** A directory of the user's own files. */
function userDirectory(path: string): void {
  mkdirSync(join(path, 'thesis'), { recursive: true });
  writeFileSync(join(path, 'notes.txt'), 'three years of notes');
  writeFileSync(join(path, 'thesis', 'main.tex'), '\\documentclass{article}');
}

const untouched = (path: string) =>
  readFileSync(join(path, 'notes.txt'), 'utf8') === 'three years of notes' &&
  existsSync(join(path, 'thesis', 'main.tex'));

describe('--force at directories saddlesurf did not write', () => {
  it('refuses a foreign directory, naming it, and touches nothing', async () => {
    const foreign = join(dir, 'foreign');
    userDirectory(foreign);
    const r = await cli(...LANDSCAPE, '--out', foreign, '--force');
    expect(r.status).toBe(2);
    expect(r.err).toContain(`--out: ${foreign} exists and it is not a saddlesurf output`);
    expect(untouched(foreign)).toBe(true);
    expect(partials(dir)).toEqual([]);
  });

  it('refuses `--out .` and `--out ..` run from inside the user directory, and $HOME', async () => {
    const parent = join(dir, 'cwd-parent');
    const cwd = join(parent, 'work');
    userDirectory(cwd);
    writeFileSync(join(parent, 'sibling.txt'), 'also mine');
    const home = join(dir, 'home');
    userDirectory(home);
    // Real processes: the current directory is theirs to have, not this test's.
    const env = { ...process.env, HOME: home };
    const runs = await Promise.all([
      spawnCli(['flow', '--n', '10', '--tmax', '1', '--out', '.', '--force'], { cwd, env }),
      spawnCli([...LANDSCAPE, '--out', '..', '--force'], { cwd, env }),
      spawnCli([...LANDSCAPE, '--out', home, '--force'], { cwd, env }),
    ]);
    expect(runs.map((r) => r.status)).toEqual([2, 2, 2]);
    expect(runs[0]!.err).toContain('--out: . is the current directory');
    expect(runs[1]!.err).toContain('--out: .. is an ancestor of the current directory');
    expect(runs[2]!.err).toContain(`--out: ${home} is your home directory`);
    for (const r of runs) expect(r.err).not.toMatch(RAW_ERROR);
    expect(untouched(cwd) && untouched(home)).toBe(true);
    expect(readFileSync(join(parent, 'sibling.txt'), 'utf8')).toBe('also mine');
    expect(partials(cwd).concat(partials(parent))).toEqual([]);
  }, 180_000);

  it('replaces its own output, including one an earlier version wrote (params.json only)', async () => {
    const own = join(dir, 'own');
    expect((await cli(...LANDSCAPE, '--out', own)).status).toBe(0);
    expect(readdirSync(own).sort()).toEqual(LANDSCAPE_FILES);
    rmSync(join(own, MARKER_FILE)); // as written before the marker existed
    const again = await cli(...LANDSCAPE, '--p', '4', '--out', own, '--force');
    expect(again.status, again.err).toBe(0);
    expect(JSON.parse(readFileSync(join(own, 'params.json'), 'utf8')).parameters.p).toBe(4);
    // ...but not once the user has put a file of their own into it.
    writeFileSync(join(own, 'fit.py'), 'import numpy');
    const refused = await cli(...LANDSCAPE, '--out', own, '--force');
    expect(refused.status).toBe(2);
    expect(refused.err).toContain('holds files saddlesurf did not write there (fit.py)');
  });
});

describe('concurrent writers', () => {
  it('6 processes `landscape --force --out same` end with one complete output; without --force one wins', async () => {
    const same = join(dir, 'same');
    expect((await cli(...LANDSCAPE, '--out', same)).status).toBe(0);
    const fresh = join(dir, 'fresh');
    const forced = Array.from({ length: 6 }, (_, k) =>
      spawnCli([...LANDSCAPE, '--p', String(3 + k), '--out', same, '--force']),
    );
    const plain = Array.from({ length: 3 }, (_, k) =>
      spawnCli([...LANDSCAPE, '--p', String(3 + k), '--out', fresh]),
    );
    const [a, b] = await Promise.all([Promise.all(forced), Promise.all(plain)]);
    for (const r of [...a, ...b]) expect(r.err).not.toMatch(RAW_ERROR);
    expect(
      a.map((r) => r.status),
      a.map((r) => r.err).join('\n'),
    ).toEqual([0, 0, 0, 0, 0, 0]);
    expect(b.filter((r) => r.status === 0)).toHaveLength(1);
    for (const r of b.filter((r) => r.status !== 0)) {
      expect(r.status).toBe(2);
      expect(r.err).toMatch(/--out: .*fresh (exists and is not empty|was created by another process)/);
    }
    for (const out of [same, fresh]) {
      // One complete output: every file, and the files of one run (one p throughout).
      expect(readdirSync(out).sort()).toEqual(LANDSCAPE_FILES);
      const p = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8')).parameters.p;
      const rerun = join(dir, `rerun-${basename(out)}`);
      expect((await cli(...LANDSCAPE, '--p', String(p), '--out', rerun)).status).toBe(0);
      for (const file of LANDSCAPE_FILES)
        expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(rerun, file), 'utf8'));
    }
    expect(partials(dir)).toEqual([]);
  }, 300_000);
});

// root ignores permissions: the read-only test runs as nobody then (setpriv is part of
// util-linux). nobody must be able to read the checkout: a clone inside a private (0700)
// directory, such as `mktemp -d`, is not, and the test then says loudly that it was skipped.
const NOBODY =
  process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
const nobodyCanRun =
  NOBODY.length === 0 || spawnSync(NOBODY[0]!, [...NOBODY.slice(1), 'test', '-r', BIN]).status === 0;
if (!nobodyCanRun)
  console.warn(
    `\n!!! adversarial outputs: the read-only-parent test is SKIPPED: user nobody cannot read ${BIN} ` +
      '(the checkout lies in a directory closed to other users); clone into a world-readable folder to run it.',
  );

describe('file-system limits and leftovers', () => {
  it.skipIf(!nobodyCanRun)(
    'a read-only parent is exit 2 naming it, before any work, for directories and files',
    async () => {
      const ro = join(dir, 'ro');
      mkdirSync(ro);
      chmodSync(dir, 0o755);
      chmodSync(ro, 0o555);
      const wrapper = NOBODY;
      const env = { ...process.env, HOME: ro };
      const [d, f] = await Promise.all([
        spawnCli([...LANDSCAPE, '--out', join(ro, 'run')], { wrapper, env, cwd: ro }),
        spawnCli(['sample', '--n', '10', '--out', join(ro, 'inst.npz')], { wrapper, env, cwd: ro }),
      ]);
      for (const r of [d, f]) {
        expect(r.status, r.err).toBe(2);
        expect(r.err).toContain(`--out: cannot write in ${ro} (permission denied)`);
        expect(r.err).not.toMatch(RAW_ERROR);
      }
      expect(f.err).not.toContain('sampling');
      expect(readdirSync(ro)).toEqual([]);
    },
    180_000,
  );

  it('a legal 240-character name works, also when replaced', async () => {
    const long = join(dir, 'r'.repeat(240));
    expect((await cli(...LANDSCAPE, '--out', long)).status).toBe(0);
    const r = await cli(...LANDSCAPE, '--out', long, '--force');
    expect(r.status, r.err).toBe(0);
    expect(readdirSync(long).sort()).toEqual(LANDSCAPE_FILES);
    const file = join(dir, `${'s'.repeat(236)}.npz`);
    expect((await cli('sample', '--n', '5', '--out', file)).status).toBe(0);
    expect((await cli('sample', '--n', '5', '--out', file, '--force')).status).toBe(0);
    expect(partials(dir)).toEqual([]);
  });

  it("a SIGKILLed run's partial is removed by the next run into the same parent", async () => {
    const parent = join(dir, 'killed');
    mkdirSync(parent);
    // A long DMFT run: its temporary directory exists from the start.
    const child = spawn(process.execPath, [BIN, 'dmft', '--tmax', '1e6', '--out', join(parent, 'long')], {
      stdio: 'ignore',
    });
    const exited = new Promise((done) => child.on('close', done));
    const deadline = Date.now() + 150_000;
    const directories = () => partials(parent).filter((name) => !name.endsWith('.owner'));
    while (directories().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const left = partials(parent);
    child.kill('SIGKILL');
    await exited;
    // The partial and its owner record (src/files/liveness.ts).
    expect(left.sort()).toEqual([directories()[0], `${directories()[0]}.owner`].sort());
    expect(partials(parent)).toEqual(left); // SIGKILL cannot be caught: the partial stays...
    expect((await cli(...LANDSCAPE, '--out', join(parent, 'next'))).status).toBe(0);
    expect(readdirSync(parent)).toEqual(['next']); // ...until the next run into the same parent
  }, 200_000);

  it('sample --out existing.npz refuses before sampling; repeated flags are refused naming them', async () => {
    const file = join(dir, 'existing.npz');
    writeFileSync(file, 'the user’s data');
    const r = await cli('sample', '--n', '400', '--out', file);
    expect(r.status).toBe(2);
    expect(r.err).toContain(`--out: ${file} exists; pass --force to replace it`);
    expect(r.err).not.toContain('sampling N'); // printed just before sampling starts
    const forced = await cli('sample', '--n', '400', '--out', file, '--force');
    expect(forced.status).toBe(2);
    expect(forced.err).toContain('was not written by saddlesurf');
    expect(forced.err).not.toContain('sampling N');
    expect(readFileSync(file, 'utf8')).toBe('the user’s data');
    const twice = await cli(...LANDSCAPE, '--p', '3', '--p', '4', '--out', join(dir, 'twice'));
    expect(twice.status).toBe(2);
    expect(twice.err).toContain("--p: given 2 times ('3', '4'); give it once");
    expect(existsSync(join(dir, 'twice'))).toBe(false);
  });
});
