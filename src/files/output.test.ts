import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpz } from '../io/npz.ts';
import { paramsDocument } from '../tasks/provenance.ts';
import { UsageError } from '../tasks/usageError.ts';
import { checkOutputTarget, withOutputDir, writeFileAtomic, writeFileAtomicAsync } from './output.ts';
import { cleanStalePartials, isSaddlesurfNpz, MARKER_FILE, partialPath } from './outputTarget.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const partials = (parent: string) => readdirSync(parent).filter((f) => f.includes('.partial-'));

/** The UsageError `fn` throws (fails the test if it throws anything else or nothing). */
async function usageError(fn: () => unknown): Promise<UsageError> {
  try {
    await fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

/** A PID that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('withOutputDir', () => {
  it('renames into place on success, with a marker listing the files, and leaves nothing on failure', async () => {
    const target = join(dir, 'run');
    await withOutputDir(target, false, (out) => out.text('a.txt', 'x'));
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('x');
    expect(JSON.parse(readFileSync(join(target, MARKER_FILE), 'utf8')).files).toEqual(['a.txt']);
    await expect(withOutputDir(target, false, () => undefined)).rejects.toThrow(UsageError);
    const failing = join(dir, 'failing');
    await expect(
      withOutputDir(failing, false, (out) => {
        out.text('half.txt', 'half');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(failing)).toBe(false);
    expect(partials(dir)).toEqual([]);
    await withOutputDir(target, true, (out) => out.text('b.txt', 'y'));
    expect(readdirSync(target).sort()).toEqual([MARKER_FILE, 'b.txt']);
  });

  it('refuses a file as output directory, a symbolic link and a missing parent', async () => {
    writeFileSync(join(dir, 'file'), '');
    await expect(withOutputDir(join(dir, 'file'), true, () => undefined)).rejects.toThrow(/not a directory/);
    symlinkSync(join(dir, 'run'), join(dir, 'link'));
    await expect(withOutputDir(join(dir, 'link'), true, () => undefined)).rejects.toThrow(/symbolic link/);
    await expect(withOutputDir(join(dir, 'no', 'such'), false, () => undefined)).rejects.toThrow(
      /does not exist/,
    );
  });

  it('--force replaces only an empty directory or a saddlesurf output (marker or params.json)', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await withOutputDir(empty, false, (out) => out.text('a.txt', 'x'));
    expect(readFileSync(join(empty, 'a.txt'), 'utf8')).toBe('x');

    const legacy = join(dir, 'legacy');
    mkdirSync(legacy);
    writeFileSync(join(legacy, 'params.json'), JSON.stringify(paramsDocument('flow', {})));
    writeFileSync(join(legacy, 'trajectory.csv'), 't,m\n');
    await withOutputDir(legacy, true, (out) => out.text('a.txt', 'new'));
    expect(readdirSync(legacy).sort()).toEqual([MARKER_FILE, 'a.txt']);

    const user = join(dir, 'user');
    mkdirSync(join(user, 'thesis'), { recursive: true });
    writeFileSync(join(user, 'notes.txt'), 'mine');
    const e = await usageError(() => withOutputDir(user, true, (out) => out.text('a.txt', 'x')));
    expect(e.message).toContain(`--out: ${user} exists and it is not a saddlesurf output`);
    expect(readFileSync(join(user, 'notes.txt'), 'utf8')).toBe('mine');

    // A saddlesurf output to which the user added a file is not replaced either.
    writeFileSync(join(empty, 'my-notes.txt'), 'mine');
    const added = await usageError(() => checkOutputTarget(empty, true));
    expect(added.message).toContain('holds files saddlesurf did not write there (my-notes.txt)');
    // A params.json that is not saddlesurf's is no marker.
    const fake = join(dir, 'fake');
    mkdirSync(fake);
    writeFileSync(join(fake, 'params.json'), '{"lr": 0.1}');
    await usageError(() => checkOutputTarget(fake, true));
    expect(partials(dir)).toEqual([]);
  });

  it('never takes /, $HOME, the current directory or its ancestors, with or without --force', async () => {
    const cwd = process.cwd();
    for (const [path, why] of [
      ['/', 'the root directory'],
      [homedir(), 'your home directory'],
      ['.', 'the current directory'],
      [cwd, 'the current directory'],
      ['..', 'an ancestor of the current directory'],
      [dirname(cwd), 'an ancestor of the current directory'],
    ] as const) {
      for (const force of [true, false]) {
        if (path === homedir() && (cwd === homedir() || cwd.startsWith(`${homedir()}/`))) continue;
        const e = await usageError(() => withOutputDir(path, force, (out) => out.text('a.txt', 'x')));
        expect(e.message).toBe(
          `--out: ${path} is ${why}; name a new directory for the output (e.g. --out run1)`,
        );
      }
    }
  });

  it('keeps temporary names within 255 bytes: a legal 240-character --out works', async () => {
    const long = join(dir, 'é'.repeat(10) + 'x'.repeat(230)); // 250 bytes of UTF-8, 240 characters
    await withOutputDir(long, false, (out) => out.text('a.txt', 'x'));
    expect(readFileSync(join(long, 'a.txt'), 'utf8')).toBe('x');
    await withOutputDir(long, true, (out) => out.text('a.txt', 'y'));
    expect(readFileSync(join(long, 'a.txt'), 'utf8')).toBe('y');
    expect(Buffer.byteLength(partialPath(long, 'old').split('/').at(-1)!)).toBeLessThanOrEqual(255);
    const e = await usageError(() => withOutputDir(join(dir, 'y'.repeat(256)), false, () => undefined));
    expect(e.message).toContain('longer than 255 bytes');
  });

  it('removes partials of dead processes on the next run into the same parent, not of live ones', async () => {
    const parent = join(dir, 'stale');
    mkdirSync(parent);
    const dead = `.old-run.partial-${deadPid()}-abcdefgh`;
    const deadAside = `.run.partial-${deadPid()}-abcdefgh-old`;
    const earlier = `.sample.npz.partial-${deadPid()}-1733400000000`; // PID-TIMESTAMP, earlier versions
    const live = `.other.partial-${process.pid}-abcdefgh`;
    for (const name of [dead, deadAside, earlier, live]) mkdirSync(join(parent, name));
    writeFileSync(join(parent, dead, 'big.npy'), 'x');
    writeFileSync(join(parent, '.notes.partial-x'), 'not ours: no PID pattern');
    await withOutputDir(join(parent, 'run'), false, (out) => out.text('a.txt', 'x'));
    expect(readdirSync(parent).sort()).toEqual(['.notes.partial-x', live, 'run'].sort());
    expect(cleanStalePartials(parent)).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  const npz = (params: unknown) => {
    const text = new TextEncoder().encode(JSON.stringify(params));
    return encodeNpz({
      x: { data: new Float64Array(3), shape: [3] },
      params: { data: text, shape: [text.length] },
    });
  };

  it('replaces only a saddlesurf NPZ with --force, and refuses before writing anything', () => {
    const file = join(dir, 'inst.npz');
    writeFileAtomic(file, npz(paramsDocument('sample', { n: 3 })), false);
    expect(isSaddlesurfNpz(file)).toBe(true);
    expect(() => writeFileAtomic(file, npz({}), false)).toThrow(/exists; pass --force/);
    writeFileAtomic(file, npz(paramsDocument('sample', { n: 4 })), true);
    expect(readFileSync(file)).toEqual(Buffer.from(npz(paramsDocument('sample', { n: 4 }))));

    const foreign = join(dir, 'data.npz');
    writeFileSync(foreign, npz({ lr: 0.1 })); // an NPZ with a params entry that is not saddlesurf's
    expect(() => writeFileAtomic(foreign, npz(paramsDocument('sample', {})), true)).toThrow(
      `--out: ${foreign} exists and was not written by saddlesurf`,
    );
    const text = join(dir, 'thesis.npz');
    writeFileSync(text, 'not even a zip');
    expect(() => writeFileAtomic(text, npz(paramsDocument('sample', {})), true)).toThrow(/not written by/);
    expect(readFileSync(text, 'utf8')).toBe('not even a zip');
    expect(() => writeFileAtomic(dir, 'x', true)).toThrow(/is a directory/);
    expect(partials(dir)).toEqual([]);
  });
});

describe('writeFileAtomicAsync (large single files, e.g. an N = 1000 instance)', () => {
  // Three 32 MB chunks and a remainder: the loop yields between chunks.
  const content = new Uint8Array(3 * 2 ** 25 + 12345).map((_, i) => (i * 7919) % 251);

  it('writes the bytes exactly, under the final name only', async () => {
    const target = join(dir, 'async-whole.npz');
    await writeFileAtomicAsync(
      target,
      content,
      false,
      () => false,
      () => new Error('never'),
    );
    expect(Buffer.compare(readFileSync(target), Buffer.from(content.buffer))).toBe(0);
    expect(partials(dir)).toEqual([]);
  });

  it('a cancellation seen between chunks throws its error and leaves nothing behind', async () => {
    const target = join(dir, 'async-cancelled.npz');
    let turns = 0;
    const error = await writeFileAtomicAsync(
      target,
      content,
      false,
      () => ++turns === 2,
      () => new Error('cancelled at chunk 2'),
    ).catch((e: unknown) => e);
    expect((error as Error).message).toBe('cancelled at chunk 2');
    expect(turns).toBe(2);
    expect(existsSync(target)).toBe(false);
    expect(partials(dir)).toEqual([]);
  });
});
