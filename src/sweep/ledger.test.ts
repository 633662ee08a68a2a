import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, readLedger } from './ledger.ts';

describe('ledger', () => {
  it('records each task once, survives a torn last line, and cuts it off before appending', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    const a = openLedger(path);
    expect(a.record({ task: 'a', status: 'ok', result: { x: Number.POSITIVE_INFINITY } })).toBe(true);
    expect(a.record({ task: 'a', status: 'ok', result: { x: 2 } })).toBe(false); // duplicate delivery
    a.close();
    appendFileSync(path, '{"task":"b","stat'); // killed while writing
    expect([...readLedger(path).entries.keys()]).toEqual(['a']);
    const b = openLedger(path);
    expect(b.entries.get('a')?.result).toEqual({ x: 'inf' }); // written like --json
    b.record({ task: 'b', status: 'failed', error: 'boom', exitCode: 1 });
    b.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(3); // two records and the final newline
    expect(JSON.parse(lines[1])).toEqual({ task: 'b', status: 'failed', error: 'boom', exitCode: 1 });
  });

  it('refuses a ledger corrupted in the middle (not a torn write)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.jsonl');
    appendFileSync(path, '{"task":"a","status":"ok"}\nnot json\n{"task":"c","status":"ok"}\n');
    expect(() => readLedger(path)).toThrow(/line 2 is not JSON/);
  });
});
