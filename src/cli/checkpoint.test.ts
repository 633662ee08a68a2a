/**
 * `--checkpoint-every` / `--resume` usage rules, in process (the SIGKILL trials are in
 * test/adversarial/resume-*.test.ts): the flags need --out; a left checkpoint is never silently
 * overwritten; a resume with other parameters, another version or a damaged file is exit 2
 * naming the flag, with the checkpoint left intact; Ctrl-C keeps the last checkpoint and a resume
 * from it ends bit-identical to an uninterrupted run; a successful run removes it.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentOwner } from '../files/index.ts';
import { decodeCheckpoint, encodeCheckpoint } from '../io/checkpoint.ts';
import { flowFlags } from '../tasks/flow.ts';
import { checkpointPath, differingFlag } from './checkpoint.ts';
import { memoryContext } from './context.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], abortOnCheckpoint?: string) {
  const ctx = memoryContext();
  let timer: NodeJS.Timeout | undefined;
  if (abortOnCheckpoint !== undefined)
    timer = setInterval(() => {
      if (existsSync(abortOnCheckpoint)) ctx.controller.abort('SIGINT');
    }, 5);
  const status = await main(['node', 'saddlesurf', ...args], ctx);
  clearInterval(timer);
  return { status, out: ctx.out, err: ctx.err };
}

// h = 0.025: ~1 s of work, so that a checkpoint (every 0.1 s) comes well before the end even on an
// idle machine (at h = 0.05 a run once ended before it).
const BASE: Record<string, string> = { grid: 'fixed', h: '0.025', tmax: '30' };
/** A short fixed-grid dmft run, with some flags changed. */
const dmft = (changed: Record<string, string> = {}) => [
  'dmft',
  ...Object.entries({ ...BASE, ...changed }).flatMap(([k, v]) => [`--${k}`, v]),
];
const DMFT = dmft();

describe('--checkpoint-every / --resume', () => {
  it('need --out', async () => {
    const a = await run([...DMFT, '--json', '--checkpoint-every', '1']);
    expect([a.status, a.err]).toEqual([2, expect.stringContaining('--checkpoint-every: needs --out')]);
    const b = await run([...DMFT, '--json', '--resume']);
    expect([b.status, b.err]).toEqual([2, expect.stringContaining('--resume: needs --out')]);
    const c = await run([...DMFT, '--out', join(dir, 'x'), '--checkpoint-every', '0.01']);
    expect([c.status, c.err]).toEqual([2, expect.stringContaining('--checkpoint-every')]);
  });

  it('Ctrl-C keeps the checkpoint; a resume ends bit-identical; mismatches are exit 2 naming the flag', async () => {
    const ref = join(dir, 'ref');
    const out = join(dir, 'run');
    const path = checkpointPath(out);
    expect(path).toBe(join(dir, '.run.checkpoint'));
    expect((await run([...DMFT, '--out', ref])).status).toBe(0);
    const cancelled = await run([...DMFT, '--out', out, '--checkpoint-every', '0.1'], path);
    expect(cancelled.status).toBe(130);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes('.partial-'))).toEqual([]);
    const saved = readFileSync(path);

    // Left without --resume: refused, naming --resume.
    const again = await run([...DMFT, '--out', out]);
    expect(again.status).toBe(2);
    expect(again.err).toMatch(/--resume: a checkpoint of an interrupted run is beside .*t = \d/);
    // Other parameters: refused naming the flag (derived ones by the flag that sets them).
    for (const [flags, name] of [
      [{ tmax: '31' }, '--tmax'],
      [{ m0: '0.001' }, '--m0'],
      [{ scheme: 'euler' }, '--scheme'],
      [{ level: '0.5' }, '--level'],
    ] as const) {
      const r = await run([...dmft(flags), '--out', out, '--resume']);
      expect(r.status, r.err).toBe(2);
      expect(r.err).toContain(`${name}: differs from the checkpoint's`);
    }
    const flow = await run(['flow', '--n', '10', '--out', out, '--resume']);
    expect([flow.status, flow.err]).toEqual([
      2,
      expect.stringMatching(/--resume: .* is of 'dmft', not 'flow'/),
    ]);
    // Another version, a damaged file: refused naming --resume.
    const { meta, tree } = decodeCheckpoint(saved);
    writeFileSync(path, encodeCheckpoint({ ...(meta as object), saddlesurf: '0.0.1' }, tree));
    const old = await run([...DMFT, '--out', out, '--resume']);
    expect([old.status, old.err]).toEqual([
      2,
      expect.stringMatching(/--resume: .*written by saddlesurf 0\.0\.1/),
    ]);
    const damaged = Buffer.from(saved);
    damaged[damaged.length - 5] ^= 0xff;
    writeFileSync(path, damaged);
    const bad = await run([...DMFT, '--out', out, '--resume']);
    expect([bad.status, bad.err]).toEqual([
      2,
      expect.stringMatching(/--resume: .*is damaged \(checkpoint checksum mismatch\)/),
    ]);
    // Every refusal left the checkpoint as it was (restored here after the two edits above).
    writeFileSync(path, saved);

    const resumed = await run([...DMFT, '--out', out, '--resume']);
    expect(resumed.status, resumed.err).toBe(0);
    expect(resumed.err).toMatch(/dmft: resuming from the checkpoint at t = \d/);
    expect(readFileSync(join(out, 'dynamics.csv')).equals(readFileSync(join(ref, 'dynamics.csv')))).toBe(
      true,
    );
    const params = JSON.parse(readFileSync(join(out, 'params.json'), 'utf8'));
    expect(params.resumedFrom).toEqual([(decodeCheckpoint(saved).meta as { t: number }).t]);
    expect(existsSync(path)).toBe(false);
  });

  it('--force without --resume discards a checkpoint; --resume without one starts at t = 0', async () => {
    const out = join(dir, 'forced');
    const path = checkpointPath(out);
    expect((await run([...DMFT, '--out', out, '--checkpoint-every', '0.1'], path)).status).toBe(130);
    expect(existsSync(path)).toBe(true);
    const forced = await run([...DMFT, '--out', out, '--force']);
    expect(forced.status, forced.err).toBe(0);
    expect(existsSync(path)).toBe(false);
    const fresh = await run([...DMFT, '--out', join(dir, 'fresh'), '--resume']);
    expect(fresh.status).toBe(0);
    expect(fresh.err).toContain('--resume: no checkpoint beside');
    expect(JSON.parse(readFileSync(join(dir, 'fresh', 'params.json'), 'utf8')).resumedFrom).toBeUndefined();
  });

  it('a resume on an --instance file replaced since the checkpoint is exit 2 naming --instance', async () => {
    // The checkpoint records the file's SHA-256: the same path holding another instance (here
    // another seed) must not be continued as if it were the interrupted run's.
    const inst = join(dir, 'inst.npz');
    expect((await run(['sample', '--n', '30', '--seed', '1', '--out', inst])).status).toBe(0);
    const out = join(dir, 'on-file');
    const path = checkpointPath(out);
    const args = ['flow', '--instance', inst, '--tmax', '2000', '--observations', '20', '--out', out];
    expect((await run([...args, '--checkpoint-every', '0.1'], path)).status).toBe(130);
    expect(existsSync(path)).toBe(true);
    expect((await run(['sample', '--n', '30', '--seed', '2', '--out', inst, '--force'])).status).toBe(0);
    const r = await run([...args, '--checkpoint-every', '0.1', '--resume']);
    expect([r.status, r.err]).toEqual([
      2,
      expect.stringContaining('--instance: differs from the checkpoint'),
    ]);
    expect(existsSync(path)).toBe(true);
    // The original file back: the resume is accepted.
    expect((await run(['sample', '--n', '30', '--seed', '1', '--out', inst, '--force'])).status).toBe(0);
    const again = await run([...args, '--checkpoint-every', '0.1', '--resume']);
    expect(again.status, again.err).toBe(0);
    expect(again.err).toContain('resuming from the checkpoint');
  });
});

describe('one run per checkpoint', () => {
  it('a live owner of the checkpoint refuses a second run naming --out; a gone one does not', async () => {
    const out = join(dir, 'held');
    const owner = `${checkpointPath(out)}.owner`;
    // A record of a live process (this one: another run into the same --out in progress).
    writeFileSync(owner, JSON.stringify(currentOwner()));
    const r = await run([...DMFT, '--out', out, '--checkpoint-every', '1']);
    expect([r.status, r.err]).toEqual([
      2,
      expect.stringMatching(/--out: another process \(PID \d+ on .*\) is running into/),
    ]);
    // The same record from a host silent for two hours: gone; the run goes ahead and leaves nothing beside.
    const old = new Date(Date.now() - 2 * 3600_000);
    writeFileSync(owner, JSON.stringify({ ...currentOwner(), host: 'node17' }));
    utimesSync(owner, old, old);
    const ok = await run([...DMFT, '--out', out, '--checkpoint-every', '1']);
    expect(ok.status, ok.err).toBe(0);
    expect(readdirSync(dir).filter((n) => n.startsWith('.held'))).toEqual([]);
  });
});

describe('differingFlag', () => {
  it('names the flag of a flow parameter, the seed, and a derived parameter by the flag that sets it', () => {
    const params = { parameters: { n: 10, tmax: 100, rtol: 1e-6, atol: 1e-8, dt: 'inf' }, seed: 1 };
    expect(differingFlag(params, params, flowFlags)).toBeNull();
    expect(differingFlag(params, { ...params, seed: 2 }, flowFlags)?.flag).toBe('--seed');
    const changed = (k: string, v: unknown) => ({ ...params, parameters: { ...params.parameters, [k]: v } });
    expect(differingFlag(params, changed('dt', 0.1), flowFlags)).toEqual({
      flag: '--dt',
      was: 'inf',
      now: 0.1,
    });
    expect(differingFlag(params, changed('atol', 1e-9), flowFlags)?.flag).toBe('--rtol');
    expect(differingFlag(params, changed('hessianEvery', 3), flowFlags)?.flag).toBe('--hessian-every');
  });
});
