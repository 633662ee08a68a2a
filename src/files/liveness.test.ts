/**
 * Liveness of a partial's owner beyond the PID (issue 11): a reused PID, another host, boot or
 * PID namespace on a shared file system, and the cleaning of partials by `cleanStalePartials`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  currentOwner,
  FOREIGN_STALE_MS,
  type OwnerRecord,
  ownerGone,
  ownerPath,
  processStart,
} from './liveness.ts';
import { cleanStalePartials } from './outputTarget.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-liveness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const linux = existsSync('/proc/self/stat');

/** A process that outlives the test's checks (its PID is "in use"). */
async function sleeper() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  return child;
}

/** A PID that no process has (a child that has exited and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn('true', { stdio: 'ignore' });
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('owner liveness', () => {
  const me = currentOwner();

  it('this process is alive by its own record', () => {
    expect(ownerGone(me, me.pid, Date.now())).toBe(false);
    if (linux) expect(me.start).toBeGreaterThan(0);
  });

  it.runIf(linux)(
    'same host and boot: a dead PID is gone; a PID reused by another process is gone',
    async () => {
      expect(ownerGone({ ...me, pid: await deadPid() }, 0, Date.now())).toBe(true);
      const other = await sleeper();
      try {
        const pid = other.pid!;
        const start = processStart(pid)!;
        // The record of that very process: alive. A record with the same PID but another start: reused.
        expect(ownerGone({ ...me, pid, start }, pid, Date.now())).toBe(false);
        expect(ownerGone({ ...me, pid, start: start - 1 }, pid, Date.now())).toBe(true);
      } finally {
        other.kill();
      }
    },
  );

  it('another host, boot or PID namespace: kept while refreshed, gone after an hour of silence', () => {
    const now = Date.now();
    const elsewhere: OwnerRecord[] = [
      { ...me, host: `${me.host}-other` },
      { ...me, bootId: 'another-boot' },
      { ...me, pidNamespace: 'pid:[1]' },
    ];
    for (const record of elsewhere) {
      // Its PID here means nothing: this process's own PID must not make it alive or dead.
      expect(ownerGone(record, me.pid, now - 1000, now), JSON.stringify(record)).toBe(false);
      expect(ownerGone(record, me.pid, now - FOREIGN_STALE_MS - 1000, now)).toBe(true);
    }
  });

  it('a partial of an earlier version (no record) is judged by its PID', async () => {
    expect(ownerGone(null, me.pid, 0)).toBe(false);
    expect(ownerGone(null, await deadPid(), 0)).toBe(true);
  });
});

describe('cleanStalePartials with owner records', () => {
  it.runIf(linux)(
    'removes exactly the partials whose owner is provably gone, with their records',
    async () => {
      const parent = mkdtempSync(join(dir, 'clean-'));
      const other = await sleeper();
      const pid = other.pid!;
      const me = currentOwner();
      const partial = (name: string, owner: OwnerRecord | null, ageMs = 0) => {
        const path = join(parent, name);
        mkdirSync(path);
        writeFileSync(join(path, 'data.csv'), 'x\n');
        if (owner !== null) {
          writeFileSync(ownerPath(path), JSON.stringify(owner));
          const t = new Date(Date.now() - ageMs);
          utimesSync(ownerPath(path), t, t);
        }
      };
      try {
        const dead = await deadPid();
        // PID reuse: the name's PID is alive (the sleeper), but not the process that wrote it.
        partial(`.reused.partial-${pid}-aaaaaaaa`, { ...me, pid, start: processStart(pid)! - 7 });
        partial(`.live.partial-${pid}-bbbbbbbb`, { ...me, pid, start: processStart(pid) });
        partial(`.dead.partial-${dead}-cccccccc`, { ...me, pid: dead });
        partial(`.far.partial-${pid}-dddddddd`, { ...me, host: 'node17', pid }, 1000);
        partial(`.farold.partial-${pid}-eeeeeeee-old`, { ...me, host: 'node17', pid }, 2 * FOREIGN_STALE_MS);
        partial(`.legacy.partial-${pid}-ffffffff`, null);
        partial(`.legacydead.partial-${dead}-gggggggg`, null);
        // An owner record whose partial is already gone, of a gone owner.
        writeFileSync(
          join(parent, `.orphan.partial-${dead}-hhhhhhhh.owner`),
          JSON.stringify({ ...me, pid: dead }),
        );
        const removed = cleanStalePartials(parent).sort();
        expect(removed).toEqual([
          `.dead.partial-${dead}-cccccccc`,
          `.farold.partial-${pid}-eeeeeeee-old`,
          `.legacydead.partial-${dead}-gggggggg`,
          `.reused.partial-${pid}-aaaaaaaa`,
        ]);
        expect(readdirSync(parent).sort()).toEqual(
          [
            `.far.partial-${pid}-dddddddd`,
            `.far.partial-${pid}-dddddddd.owner`,
            `.legacy.partial-${pid}-ffffffff`,
            `.live.partial-${pid}-bbbbbbbb`,
            `.live.partial-${pid}-bbbbbbbb.owner`,
          ].sort(),
        );
      } finally {
        other.kill();
      }
    },
  );
});
