/**
 * The tidy CSVs behind the explorer's phase, landscape and threshold panels. Like every file
 * the CLI writes, each row carries what reproduces it, taken from the provenance of the task
 * that computed it (`provenance.ts`): the model point (p, Δp, 1/Δ2 where the task has one), the
 * saddlesurf version of its `params.json`, and the command line that computes the row again
 * (the dynamics panel: `dynamicsCsv.ts`).
 */
import { type CsvValue, toCsv } from '../io/csv.ts';
import type { LandscapeResult, PhaseResult } from './api.ts';
import type { Provenance } from './provenance.ts';

/** The columns that end every one-point CSV. */
export const POINT_COLUMNS = ['p', 'deltap', 'inv_delta2', 'version', 'command'] as const;

/** A parameter of a task's provenance as a number (Infinity from 'inf'), or null when absent. */
function parameter(provenance: Provenance, key: string): number | null {
  const v = provenance.document.parameters[key];
  return typeof v === 'number' ? v : v === 'inf' ? Number.POSITIVE_INFINITY : null;
}

/** p, Δp, 1/Δ2 (empty when the task has no Δ2), the version and the command of a task run. */
export function pointCells(provenance: Provenance): CsvValue[] {
  const delta2 = parameter(provenance, 'delta2');
  return [
    parameter(provenance, 'p'),
    parameter(provenance, 'deltap'),
    delta2 === null ? null : 1 / delta2,
    provenance.document.saddlesurf,
    provenance.command,
  ];
}

/**
 * Σ_min(m) of the complexity panel (THEORY §4.2): one row per overlap, each ending with the
 * `landscape` run's point, version and command.
 */
export function complexityCsv(land: LandscapeResult): string {
  const tail = pointCells(land.provenance);
  return toCsv(
    ['m', 'sigma_min', 'mu', ...POINT_COLUMNS],
    Array.from(land.m, (m, i) => [m, land.complexity[i]!, land.mu[i]!, ...tail]),
  );
}

/** One row of the threshold table: a key, its label, its value (null where it does not exist) and the task run it comes from. */
export type ThresholdRow = readonly [key: string, label: string, value: number | null, from: Provenance];

/**
 * The threshold table at one point (THEORY §4–§6): one row per quantity, each ending with the
 * point, version and command of the task that computed it (`thresholds` has no 1/Δ2).
 */
export function thresholdsCsv(rows: readonly ThresholdRow[]): string {
  return toCsv(
    ['quantity', 'value', ...POINT_COLUMNS],
    rows.map(([key, , value, from]) => [key, value, ...pointCells(from)]),
  );
}

/**
 * The phase diagram of order p (THEORY §5, §6): one row per Δp, every line's 1/Δ2 and the Bayes
 * regions as `region:from:to` intervals of 1/Δ2, then the `phase-diagram` run's version and command.
 */
export function phaseCsv(result: PhaseResult): string {
  const names = Object.keys(result.table[0]?.values ?? {});
  const regions = new Map<number, string[]>();
  // The drawn bands include zero-height rows that close a band between grid points; the CSV
  // lists the real intervals at each Δp, in order of 1/Δ2.
  const rows = result.data.regions
    .filter((r) => r.invDelta2To > r.invDelta2From)
    .sort((a, b) => a.deltap - b.deltap || a.invDelta2From - b.invDelta2From);
  for (const r of rows) {
    const to = r.invDelta2To === Number.POSITIVE_INFINITY ? 'inf' : String(r.invDelta2To);
    const list = regions.get(r.deltap) ?? [];
    list.push(`${r.region}:${r.invDelta2From}:${to}`);
    regions.set(r.deltap, list);
  }
  const { document, command } = result.provenance;
  return toCsv(
    ['p', 'deltap', ...names, 'bayes_regions', 'version', 'command'],
    result.table.map((r) => [
      result.data.p,
      r.deltap,
      ...names.map((n) => r.values[n as keyof typeof r.values]),
      (regions.get(r.deltap) ?? []).join(' '),
      document.saddlesurf,
      command,
    ]),
  );
}
