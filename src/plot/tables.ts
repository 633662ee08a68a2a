/**
 * The data behind each figure as tidy tables (one row per drawn value, long
 * format), ready for `toCsv(columns, rows)` of `src/io/`: the files a reader
 * loads with pandas to check or replot a figure. Each builder's data maps to a
 * few named tables; the names become file suffixes (e.g. `phase-p3-lines.csv`).
 */
import type { CsvValue } from '../io/csv.ts';
import type { AmpVsGfData } from './ampVsGf.ts';
import type { ComplexityData } from './complexity.ts';
import type { DynamicsData } from './dynamics.ts';
import type { EscapeTimeData } from './escapeTime.ts';
import type { PhaseDiagramData } from './phaseDiagramData.ts';
import type { SurfingData } from './surfing.ts';

/** One tidy table: header and rows in header order. */
export interface Table {
  columns: string[];
  rows: CsvValue[][];
}

/** Named tables of one figure. */
export type FigureTables = Record<string, Table>;

/**
 * Tables of a phase-diagram panel: `lines` (line, convention, Δp, 1/Δ2; empty 1/Δ2
 * where the line does not exist), `regions` (the region bands as given) and
 * `measured` (extrapolated thresholds with their errors).
 * @example
 * phaseDiagramTables(data).lines.columns; // ['p', 'line', 'convention', 'deltap', 'invDelta2']
 */
export function phaseDiagramTables(data: PhaseDiagramData): FigureTables {
  return {
    lines: {
      columns: ['p', 'line', 'convention', 'deltap', 'invDelta2'],
      rows: data.lines.flatMap((l) =>
        l.points.map((q) => [
          data.p,
          l.kind,
          l.kind === 'triv' ? (l.convention ?? 'all') : null,
          q.deltap,
          q.invDelta2,
        ]),
      ),
    },
    regions: {
      columns: ['p', 'region', 'segment', 'deltap', 'invDelta2From', 'invDelta2To'],
      rows: data.regions.map((r) => [
        data.p,
        r.region,
        r.segment ?? 0,
        r.deltap,
        r.invDelta2From,
        r.invDelta2To,
      ]),
    },
    measured: {
      columns: ['p', 'method', 'deltap', 'invDelta2', 'err'],
      rows: data.measured.map((m) => [data.p, m.method, m.deltap, m.invDelta2, m.err]),
    },
  };
}

/** Tables of the dynamics figure: `theory` (N = ∞), `finiteN` (mean, lo, hi per observable), `thresholds`. */
export function dynamicsTables(data: DynamicsData): FigureTables {
  return {
    theory: {
      columns: ['p', 'deltap', 'invDelta2', 't', 'm', 'e', 'mu'],
      rows: data.theory.map((r) => [data.p, data.deltap, r.invDelta2, r.t, r.m, r.e, r.mu]),
    },
    finiteN: {
      columns: ['p', 'deltap', 'invDelta2', 'N', 'seeds', 't', 'observable', 'mean', 'lo', 'hi'],
      rows: (data.finiteN ?? []).map((r) => [
        data.p,
        data.deltap,
        r.invDelta2,
        data.N ?? null,
        data.seeds ?? null,
        r.t,
        r.observable,
        r.mean,
        r.lo,
        r.hi,
      ]),
    },
    thresholds: {
      columns: ['p', 'deltap', 'invDelta2', 'mu_th', 'e_th'],
      rows: (data.thresholds ?? []).map((r) => [data.p, data.deltap, r.invDelta2, r.mu, r.e]),
    },
  };
}

/** Tables of the surfing figure: `run` (finite N) and `theory` (N = ∞ prediction). */
export function surfingTables(data: SurfingData): FigureTables {
  return {
    run: {
      columns: ['N', 'seed', 't', 'm', 'lambdaMin', 'eigenvectorOverlap2'],
      rows: data.run.map((r) => [data.N, data.seed, r.t, r.m, r.lambdaMin, r.eigenvectorOverlap]),
    },
    theory: {
      columns: ['t', 'm', 'lambdaMin', 'edge', 'overlap2'],
      rows: (data.theory ?? []).map((r) => [r.t, r.m, r.lambdaMin, r.edge, r.overlap]),
    },
  };
}

/** Tables of the complexity figure: `complexity` (Σ_min per 1/Δ2 and m, raw units) and `signal` (m*). */
export function complexityTables(data: ComplexityData): FigureTables {
  const regime = new Map(data.curves.map((c) => [c.invDelta2, c.regime ?? null]));
  return {
    complexity: {
      columns: ['p', 'deltap', 'invDelta2', 'regime', 'm', 'complexity'],
      rows: data.rows.map((r) => [
        data.p,
        data.deltap,
        r.invDelta2,
        regime.get(r.invDelta2) ?? null,
        r.m,
        r.complexity,
      ]),
    },
    signal: {
      columns: ['p', 'deltap', 'invDelta2', 'mStar'],
      rows: (data.signal ?? []).map((s) => [data.p, data.deltap, s.invDelta2, s.m]),
    },
  };
}

/** Tables of the escape-time figure: `points` (per case) and `fits` (a_c, error, θ, A, closed form). */
export function escapeTimeTables(data: EscapeTimeData): FigureTables {
  const byId = new Map(data.cases.map((c) => [c.id, c]));
  return {
    points: {
      columns: ['case', 'p', 'deltap', 'level', 'invDelta2', 'time'],
      rows: data.points.map((q) => [
        q.caseId,
        byId.get(q.caseId)?.p ?? null,
        byId.get(q.caseId)?.deltap ?? null,
        data.level,
        q.invDelta2,
        q.time,
      ]),
    },
    fits: {
      columns: ['case', 'p', 'deltap', 'threshold', 'thresholdError', 'exponent', 'amplitude', 'gfThreshold'],
      rows: data.cases.map((c) => [
        c.id,
        c.p,
        c.deltap,
        c.fit?.threshold ?? null,
        c.fit?.thresholdError ?? null,
        c.fit?.exponent ?? null,
        c.fit?.amplitude ?? null,
        c.gfThreshold ?? null,
      ]),
    },
  };
}

/** Tables of the ML-AMP vs GF figure: `amp` (state evolution and finite N by iteration) and `gf` (large N and finite N by time). */
export function ampVsGfTables(data: AmpVsGfData): FigureTables {
  const common = [data.p, data.deltap, data.invDelta2, data.fixedPoint];
  return {
    amp: {
      columns: ['p', 'deltap', 'invDelta2', 'mStar', 'source', 'iteration', 'm', 'lo', 'hi'],
      rows: [
        ...data.stateEvolution.map((r) => [...common, 'stateEvolution', r.iteration, r.m, null, null]),
        ...(data.ampFiniteN ?? []).map((r) => [
          ...common,
          `N=${data.N ?? ''}`,
          r.iteration,
          r.mean,
          r.lo,
          r.hi,
        ]),
      ],
    },
    gf: {
      columns: ['p', 'deltap', 'invDelta2', 'mStar', 'source', 't', 'm', 'lo', 'hi'],
      rows: [
        ...data.dmft.map((r) => [...common, 'largeN', r.t, r.m, null, null]),
        ...(data.gfFiniteN ?? []).map((r) => [...common, `N=${data.N ?? ''}`, r.t, r.mean, r.lo, r.hi]),
      ],
    },
  };
}
