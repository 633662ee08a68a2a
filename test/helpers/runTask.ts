/**
 * Test helper: run a task as the CLI does (validate, execute, write) and keep what it wrote in
 * memory. Not part of the library.
 */
import type { AnyTask } from '../../src/tasks/index.ts';

/** Validate and execute a task; its document and files (text as written, bytes, JSON as text). */
export async function runTask(task: AnyTask, raw: Record<string, unknown>) {
  const params = task.validate(raw);
  const output = await task.execute(params);
  const files: Record<string, string | Uint8Array> = {};
  output.write({
    text: (name: string, content: string) => {
      files[name] = content;
    },
    bytes: (name: string, content: Uint8Array) => {
      files[name] = content;
    },
    json: (name: string, value: unknown) => {
      files[name] = JSON.stringify(value);
    },
  });
  return { params, document: output.document as Record<string, unknown>, files };
}
