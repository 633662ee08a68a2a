/**
 * What reproduces a number the explorer shows: the task's provenance document (what the CLI
 * writes as `params.json`: version, command, every validated parameter, the seed) and the
 * command line that computes it again. The worker builds both from the raw parameters it gave
 * the task (`taskProvenance`); the page's exports carry them (CSV columns, PNG text chunk,
 * SVG metadata). No task code here, so the page's first bundle stays small.
 */

/** `params.json` as the tasks write it (src/tasks/provenance.ts). */
export interface ParamsDocument {
  readonly saddlesurf: string;
  readonly command: string;
  readonly parameters: Record<string, unknown>;
  readonly seed?: number | null;
  readonly [key: string]: unknown;
}

/** A result's provenance: the task's document and the command line that reproduces it. */
export interface Provenance {
  readonly document: ParamsDocument;
  /** `saddlesurf <command> --flag value …` (two commands joined by `&&` for a sampled instance). */
  readonly command: string;
}

/** `spectrumPoints` → `--spectrum-points`. */
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A raw value as typed on the command line (Infinity → inf; shortest round-trip numbers). */
function flagValue(value: string | number): string {
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  return String(value);
}

/**
 * The command line of a task run from the raw parameters given to its `validate` (the CLI
 * validates the same flags the same way, so it computes the same thing).
 * @example
 * commandLine('landscape', { p: 3, delta2: 0.4, spectrumPoints: 3 }); // 'saddlesurf landscape --p 3 --delta2 0.4 --spectrum-points 3'
 */
export function commandLine(command: string, raw: Readonly<Record<string, string | number>>): string {
  const flags = Object.entries(raw).map(([key, value]) => `${flagName(key)} ${flagValue(value)}`);
  return ['saddlesurf', command, ...flags].join(' ');
}

/** The provenance of a task run: its document and the command line of its raw parameters. */
export function taskProvenance(
  document: ParamsDocument,
  raw: Readonly<Record<string, string | number>>,
): Provenance {
  return { document, command: commandLine(document.command, raw) };
}

/** The provenance as one line of JSON (PNG text chunk, SVG metadata). */
export function provenanceJson(provenance: Provenance | readonly Provenance[]): string {
  return JSON.stringify(provenance, (_, v) => (v === Number.POSITIVE_INFINITY ? 'inf' : v));
}
