import { describe, expect, it } from 'vitest';
import {
  ampVsGfFixture,
  complexityFixture,
  dynamicsFixture,
  escapeTimeFixture,
  phaseFixture,
  surfingFixture,
} from '../../test/helpers/plotFixtures.ts';
import { parseCsv, toCsv } from '../io/csv.ts';
import {
  ampVsGfTables,
  complexityTables,
  dynamicsTables,
  escapeTimeTables,
  phaseDiagramTables,
  surfingTables,
} from './tables.ts';

describe('figure tables', () => {
  it('have one row per drawn value and rows as long as the header', () => {
    const cases = [
      [
        phaseDiagramTables(phaseFixture(3)),
        { lines: 60 * 4 + 12 + phaseFixture(3).lines[5]!.points.length, regions: 180, measured: 8 },
      ],
      [dynamicsTables(dynamicsFixture()), { theory: 480, finiteN: 240, thresholds: 4 }],
      [surfingTables(surfingFixture()), { run: 27, theory: 80 }],
      [complexityTables(complexityFixture()), { complexity: 393, signal: 3 }],
      [escapeTimeTables(escapeTimeFixture()), { points: 16, fits: 2 }],
      [ampVsGfTables(ampVsGfFixture()), { amp: 41 + 21, gf: 100 + 25 }],
    ] as const;
    for (const [tables, counts] of cases) {
      for (const [name, n] of Object.entries(counts)) {
        const t = tables[name]!;
        expect(t.rows, name).toHaveLength(n);
        for (const row of t.rows) expect(row.length).toBe(t.columns.length);
      }
    }
  });

  it('keep the conventions and gaps readable in CSV (triv convention, null → empty, ∞ → inf)', () => {
    const t = phaseDiagramTables({
      p: 3,
      lines: [{ kind: 'triv', convention: 'nonNegative', points: [{ deltap: 1, invDelta2: null }] }],
      regions: [{ region: 'easy', deltap: 1, invDelta2From: 1, invDelta2To: Infinity }],
      measured: [],
    });
    expect(toCsv(t.lines!.columns, t.lines!.rows)).toBe(
      'p,line,convention,deltap,invDelta2\n3,triv,nonNegative,1,\n',
    );
    const csv = parseCsv(toCsv(t.regions!.columns, t.regions!.rows));
    expect(csv.rows).toEqual([['3', 'easy', '0', '1', '1', 'inf']]);
  });

  it('round-trip the numbers exactly through CSV', () => {
    const data = dynamicsFixture();
    const t = dynamicsTables(data).theory!;
    const back = parseCsv(toCsv(t.columns, t.rows));
    back.rows.forEach((row, i) => {
      const r = data.theory[i]!;
      expect(row.slice(3).map(Number)).toEqual([r.t, r.m, r.e, r.mu]);
    });
  });
});
