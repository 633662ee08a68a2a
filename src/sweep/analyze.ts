/**
 * Analyses of sweep results. `escapeThresholds`: a dmft sweep of escape times over Δ2 becomes,
 * per group of the other varying parameters (Δp, p, T, …), the extrapolated threshold
 * 1/Δ2 = a_c of `t ≈ A (1/Δ2 − a_c)^(−θ)` with its error bar (THEORY §5 "GF, measured"), by
 * the same fit (`fitEscapeTimes`, src/phase/) and figure (`escapeTimeFigure`, src/plot/) as
 * `reproduce`, beside the closed form (gradient flow, T = 0) or the conjecture (T > 0, §6.3).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withOutputDir } from '../files/index.ts';
import { numberFromJson } from '../io/json.ts';
import { fitEscapeTimes, gfThreshold, langevinConjecture, type PowerLawFit } from '../phase/index.ts';
import { createHeadlessDocument, escapeTimeFigure, svgToPng, svgToString } from '../plot/node.ts';
import { UsageError } from '../tasks/usageError.ts';
import { readLedger } from './ledger.ts';
import { LEDGER_FILE, SWEEP_FILE } from './sweepDir.ts';

/** One finished dmft task as the analysis sees it. */
export interface EscapeRecord {
  /** The varying parameters other than delta2 (they define the group). */
  readonly group: Readonly<Record<string, unknown>>;
  readonly p: number;
  readonly deltap: number;
  readonly temperature: number;
  readonly invDelta2: number;
  /** null: m never reached the level before tmax. */
  readonly escapeTime: number | null;
  readonly level: number;
}

export interface ThresholdRow {
  readonly group: Readonly<Record<string, unknown>>;
  readonly p: number;
  readonly deltap: number;
  readonly temperature: number;
  readonly runs: number;
  readonly escaped: number;
  readonly fit: PowerLawFit | null;
  /** Closed-form GF threshold (T = 0) or the Langevin conjecture (T > 0), as 1/Δ2. */
  readonly reference: number;
  readonly referenceName: 'gf' | 'langevinConjecture';
}

/** Group by everything but Δ2 and fit each group with at least 4 escapes. */
export function escapeThresholds(records: readonly EscapeRecord[]): ThresholdRow[] {
  const groups = new Map<string, EscapeRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.group, r.p, r.deltap, r.temperature, r.level]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const { group, p, deltap, temperature } = rs[0];
    const escaped = rs.filter(
      (r): r is EscapeRecord & { escapeTime: number } => r.escapeTime !== null && r.escapeTime > 0,
    );
    const fit =
      escaped.length >= 4 ? fitEscapeTimes(escaped.map((r) => ({ x: r.invDelta2, t: r.escapeTime }))) : null;
    const isGf = temperature === 0;
    return {
      group,
      p,
      deltap,
      temperature,
      runs: rs.length,
      escaped: escaped.length,
      fit,
      reference: isGf ? gfThreshold(p, deltap) : langevinConjecture(p, deltap, temperature),
      referenceName: isGf ? 'gf' : 'langevinConjecture',
    };
  });
}

/** The escape records of a sweep directory (a dmft sweep with delta2 among the varying keys). */
export function readEscapeRecords(dir: string): EscapeRecord[] {
  let sweep: { command?: string; varying?: string[]; spec?: unknown };
  try {
    sweep = JSON.parse(readFileSync(join(dir, SWEEP_FILE), 'utf8'));
  } catch {
    throw new UsageError(null, `${dir} is not a sweep output (no readable ${SWEEP_FILE})`);
  }
  if (sweep.command !== 'dmft')
    throw new UsageError(
      '--escape-threshold',
      `needs a dmft sweep, ${dir} is a ${String(sweep.command)} sweep`,
    );
  const varying = sweep.varying ?? [];
  if (!varying.includes('delta2'))
    throw new UsageError(
      '--escape-threshold',
      `needs delta2 among the swept parameters (swept: ${varying.join(', ')})`,
    );
  const others = varying.filter((k) => k !== 'delta2');
  const records: EscapeRecord[] = [];
  for (const entry of readLedger(join(dir, LEDGER_FILE)).entries.values()) {
    if (entry.status !== 'ok') continue;
    const doc = entry.result as { escapeTime: number | null; parameters: Record<string, unknown> };
    const q = doc.parameters;
    records.push({
      group: Object.fromEntries(others.map((k) => [k, q[k] ?? null])),
      p: numberFromJson(q.p),
      deltap: numberFromJson(q.deltap),
      temperature: numberFromJson(q.temperature),
      invDelta2: 1 / numberFromJson(q.delta2),
      escapeTime: doc.escapeTime,
      level: numberFromJson(q.escapeLevel),
    });
  }
  records.sort((a, b) => a.invDelta2 - b.invDelta2);
  return records;
}

const CSV_COLUMNS = [
  'p',
  'deltap',
  'temperature',
  'runs',
  'escaped',
  'threshold',
  'thresholdError',
  'statisticalError',
  'systematicError',
  'exponent',
  'exponentError',
  'rmsResidual',
  'reference',
  'referenceName',
] as const;

/** Write DIR/analysis (or `out`): escape-threshold.csv, .json, .svg, .png. */
export async function analyzeEscapeThreshold(options: { dir: string; out?: string; force: boolean }) {
  const records = readEscapeRecords(options.dir);
  if (records.length === 0) throw new UsageError(null, `${options.dir} has no finished dmft tasks yet`);
  const rows = escapeThresholds(records);
  const out = options.out ?? join(options.dir, 'analysis');
  const groupKeys = Object.keys(rows[0].group).filter((k) => !['p', 'deltap', 'temperature'].includes(k));
  const level = records[0].level;
  const caseId = (r: ThresholdRow) => JSON.stringify([r.group, r.p, r.deltap, r.temperature]);
  await withOutputDir(out, options.force, (dirOut) => {
    dirOut.csv(
      'escape-threshold.csv',
      [...CSV_COLUMNS, ...groupKeys],
      rows.map((r) => [
        r.p,
        r.deltap,
        r.temperature,
        r.runs,
        r.escaped,
        r.fit?.threshold,
        r.fit?.thresholdError,
        r.fit?.statisticalError,
        r.fit?.systematicError,
        r.fit?.exponent,
        r.fit?.exponentError,
        r.fit?.rmsResidual,
        r.reference,
        r.referenceName,
        ...groupKeys.map((k) => r.group[k] as number | string | null),
      ]),
    );
    dirOut.json('escape-threshold.json', { sweep: options.dir, level, thresholds: rows });
    const svg = svgToString(
      escapeTimeFigure(
        {
          level,
          cases: rows.map((r) => ({
            id: caseId(r),
            p: r.p,
            deltap: r.deltap,
            label: `p = ${r.p}, Δp = ${r.deltap}${r.temperature ? `, T = ${r.temperature}` : ''}${groupKeys.map((k) => `, ${k} = ${r.group[k]}`).join('')}`,
            ...(r.fit ? { fit: r.fit } : {}),
            ...(r.temperature === 0 ? { gfThreshold: r.reference } : {}),
          })),
          points: records
            .filter((q) => q.escapeTime !== null)
            .map((q) => ({
              caseId: caseId({
                group: q.group,
                p: q.p,
                deltap: q.deltap,
                temperature: q.temperature,
              } as ThresholdRow),
              invDelta2: q.invDelta2,
              time: q.escapeTime as number,
            })),
        },
        { document: createHeadlessDocument() },
      ),
    );
    dirOut.text('escape-threshold.svg', svg);
    dirOut.bytes('escape-threshold.png', svgToPng(svg));
  });
  return { out, level, rows };
}
