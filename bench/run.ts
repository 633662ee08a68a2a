/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports one or more
 * `async function benchXxx(): Promise<BenchRow[]>`) and prints one table per module.
 * Rows measured side by side in the same run carry their ratios in `note`; absolute
 * times on this shared 2-core machine are noisy. `npm run bench -- dmft model` runs
 * only the named modules.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileWasmOptimised } from '../src/cli/wasmTiering.ts';

export interface BenchRow {
  name: string;
  ms: number;
  note?: string;
}

// Every bench measures the code the CLI runs: WebAssembly optimised from the start (src/cli/wasmTiering.ts).
compileWasmOptimised();
const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && f !== 'util.ts')
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
  .sort();

for (const file of modules) {
  const mod = (await import(`./${file}`)) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(mod)) {
    if (!name.startsWith('bench') || typeof fn !== 'function') continue;
    process.stdout.write(`\n## ${file}: ${name}\n`);
    const rows = (await (fn as () => Promise<BenchRow[]>)()) ?? [];
    const width = Math.max(4, ...rows.map((r) => r.name.length));
    process.stdout.write(`${'case'.padEnd(width)}  ${'ms'.padStart(10)}  note\n`);
    for (const row of rows) {
      process.stdout.write(
        `${row.name.padEnd(width)}  ${row.ms.toFixed(2).padStart(10)}  ${row.note ?? ''}\n`,
      );
    }
  }
}
