/**
 * Who owns a partial output, and whether that owner is provably gone (issue 11). A PID alone
 * says little: PIDs are reused, a container has its own PID namespace, and on a shared file
 * system the writer may run on another host. So each partial gets an owner record beside it,
 * `PARTIAL.owner` (JSON): host name, kernel boot id, PID namespace, PID and the process's start
 * time (clock ticks since boot, /proc/PID/stat). A partial is stale when
 * - its owner ran on this host, this boot and this PID namespace, and no process with that PID
 *   and that start time exists (dead, or the PID was reused by another process); or
 * - its owner ran elsewhere (another host, boot or namespace: nothing here can be asked) and its
 *   record has not been refreshed for `FOREIGN_STALE_MS` (a live owner refreshes it every
 *   `HEARTBEAT_MS` while it works).
 * A partial without a record (written by an earlier version) falls back to the PID: stale when
 * no process has that PID. Without /proc (macOS) the start time is unknown and the PID decides.
 */
import { readFileSync, readlinkSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** A live owner refreshes its record this often. */
export const HEARTBEAT_MS = 60_000;
/** A record from another host, boot or namespace not refreshed for this long is stale. */
export const FOREIGN_STALE_MS = 60 * 60_000;

export interface OwnerRecord {
  readonly host: string;
  /** /proc/sys/kernel/random/boot_id (null where there is none). */
  readonly bootId: string | null;
  /** The PID namespace, e.g. 'pid:[4026531836]' (null where there is none). */
  readonly pidNamespace: string | null;
  readonly pid: number;
  /** Start time of the process in clock ticks since boot (null without /proc). */
  readonly start: number | null;
}

const read = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

/** Field 22 of /proc/PID/stat (after the parenthesised command name, which may hold spaces). */
export function processStart(pid: number | 'self'): number | null {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]);
  return Number.isFinite(start) ? start : null;
}

function pidNamespace(): string | null {
  try {
    return readlinkSync('/proc/self/ns/pid');
  } catch {
    return null;
  }
}

/** This process as an owner. */
export function currentOwner(): OwnerRecord {
  return {
    host: hostname(),
    bootId: read('/proc/sys/kernel/random/boot_id'),
    pidNamespace: pidNamespace(),
    pid: process.pid,
    start: processStart('self'),
  };
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, someone else's
  }
}

/**
 * Whether the owner of a partial is provably gone. `record` null: a partial of an earlier
 * version (judged by `pid` alone); `refreshedAt`: when its record was last written (ms).
 */
export function ownerGone(
  record: OwnerRecord | null,
  pid: number,
  refreshedAt: number,
  now = Date.now(),
  me: OwnerRecord = currentOwner(),
): boolean {
  if (record === null) return !pidExists(pid);
  const here =
    record.host === me.host &&
    record.bootId === me.bootId &&
    record.pidNamespace === me.pidNamespace &&
    record.bootId !== null &&
    record.pidNamespace !== null;
  if (!here) return now - refreshedAt > FOREIGN_STALE_MS;
  if (!pidExists(record.pid)) return true;
  // The PID is in use: by the owner only if it started at the same tick.
  const start = processStart(record.pid);
  return start !== null && record.start !== null && start !== record.start;
}

/** The owner record of a partial. */
export const ownerPath = (partial: string) => `${partial}.owner`;

/** Claim `partial` for this process (write its owner record before creating it). */
export function claimPartial(partial: string): void {
  writeFileSync(ownerPath(partial), `${JSON.stringify(currentOwner())}\n`);
}

/** Drop the claim (after the partial was renamed into place or removed). */
export function releasePartial(partial: string): void {
  rmSync(ownerPath(partial), { force: true });
}

/** Refresh the claims on `partials` every HEARTBEAT_MS while `work` runs (for owners elsewhere to see). */
export async function withHeartbeat<T>(
  partials: () => readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const timer = setInterval(() => {
    const now = new Date();
    for (const p of partials())
      try {
        utimesSync(ownerPath(p), now, now);
      } catch {
        // Released meanwhile.
      }
  }, HEARTBEAT_MS);
  timer.unref();
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** The owner record of `partial` and when it was last refreshed, or null (none, unreadable). */
export function readOwner(partial: string): { record: OwnerRecord; refreshedAt: number } | null {
  try {
    const path = ownerPath(partial);
    const record = JSON.parse(readFileSync(path, 'utf8')) as OwnerRecord;
    if (typeof record?.pid !== 'number' || typeof record.host !== 'string') return null;
    return { record, refreshedAt: statSync(path).mtimeMs };
  } catch {
    return null;
  }
}
