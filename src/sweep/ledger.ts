/**
 * The ledger: the durable record of finished tasks, one JSON line per task in
 * `DIR/ledger.jsonl`. A task counts as finished the moment its line is written and
 * fsynced; its files (if any) are in place before that. A coordinator killed while
 * writing leaves at most a torn last line, which `openLedger` cuts off before appending.
 * Recording is idempotent by task id: a task that (under at-least-once delivery) finishes
 * twice is recorded once.
 */

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { toJson } from '../io/json.ts';

/** One finished task. */
export interface LedgerEntry {
  readonly task: string;
  readonly status: 'ok' | 'failed';
  /** The command's --json document (status ok). */
  readonly result?: unknown;
  /** What went wrong (status failed) and the exit status the single command would have had. */
  readonly error?: string;
  readonly exitCode?: number;
  /** Names of the files written under tasks/<task>/. */
  readonly files?: readonly string[];
  /** Wall time of the run, seconds (not part of results.csv: it differs between runs). */
  readonly seconds?: number;
}

export interface Ledger {
  readonly entries: ReadonlyMap<string, LedgerEntry>;
  /** Append and fsync; returns false (and writes nothing) when the task is already recorded. */
  record(entry: LedgerEntry): boolean;
  close(): void;
}

/** Read the entries of a ledger file; a torn (unterminated or unparsable) last line is ignored. */
export function readLedger(path: string): { entries: Map<string, LedgerEntry>; validBytes: number } {
  const entries = new Map<string, LedgerEntry>();
  if (!existsSync(path)) return { entries, validBytes: 0 };
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  let validBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const terminated = i < lines.length - 1;
    if (!terminated) break; // text after the last newline is a torn write
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(line) as LedgerEntry;
    } catch {
      if (i === lines.length - 2) break; // torn last line that happens to end in a newline
      throw new Error(`ledger ${path}: line ${i + 1} is not JSON (the file was edited?)`);
    }
    if (!entries.has(entry.task)) entries.set(entry.task, entry);
    validBytes += Buffer.byteLength(line, 'utf8') + 1;
  }
  return { entries, validBytes };
}

/** Open (creating) a ledger for appending, cutting off a torn tail first. */
export function openLedger(path: string): Ledger {
  const { entries, validBytes } = readLedger(path);
  if (existsSync(path)) truncateSync(path, validBytes);
  const fd = openSync(path, 'a');
  return {
    entries,
    record(entry) {
      if (entries.has(entry.task)) return false;
      writeSync(fd, toJson(entry, 0)); // ±Infinity as "inf", like --json
      fsyncSync(fd);
      entries.set(entry.task, entry);
      return true;
    },
    close: () => closeSync(fd),
  };
}
