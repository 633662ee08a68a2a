/**
 * Task identity: a content hash of (command, canonical validated parameters, package
 * version). Two grid points that validate to the same parameters are the same task, a new
 * package version is a new task, and key order or an explicit default never matters.
 */
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level and ±Infinity as "inf"/"-inf", NaN as null. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    if (value === Number.POSITIVE_INFINITY) return '"inf"';
    if (value === Number.NEGATIVE_INFINITY) return '"-inf"';
    if (Number.isNaN(value)) return 'null';
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value))
    return `[${Array.from(value as ArrayLike<unknown>, canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`cannot hash a ${typeof value}`);
}

/** Length of a task id in hex digits (64 bits: a collision in 10⁶ tasks has odds ~3e-8). */
export const TASK_ID_LENGTH = 16;

/** The task id: the first 16 hex digits of SHA-256 over the canonical (version, command, parameters). */
export function taskId(command: string, parameters: unknown, version: string): string {
  const text = canonicalJson({ command, parameters, saddlesurf: version });
  return createHash('sha256').update(text).digest('hex').slice(0, TASK_ID_LENGTH);
}

/** SHA-256 (hex) of a string, for whole-spec identity. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
