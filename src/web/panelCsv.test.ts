import { describe, expect, it } from 'vitest';
import { parseCsv } from '../io/csv.ts';
import { VERSION } from '../version.ts';
import { landscape, PHASE_DELTAPS, phaseDiagramData } from './api.ts';
import { complexityCsv, phaseCsv, thresholdsCsv } from './panelCsv.ts';
import { spectrumCsv } from './spectrumData.ts';

const at = { p: 3, deltap: 1, invDelta2: 3 } as const;
const column = (csv: ReturnType<typeof parseCsv>, name: string) => {
  const k = csv.columns.indexOf(name);
  expect(k).toBeGreaterThanOrEqual(0);
  return csv.rows.map((r) => r[k]!);
};

describe('the explorer panel CSVs', () => {
  const land = landscape({ p: 3, delta2: 1 / 3, deltap: 1 });

  it('complexity: Σ_min(m) as computed, every row with the point and the version', () => {
    const csv = parseCsv(complexityCsv(land, at));
    expect(csv.columns).toEqual(['m', 'sigma_min', 'mu', 'p', 'deltap', 'inv_delta2', 'version']);
    // Shortest round-trip numbers: the parsed values are the computed doubles, bit for bit.
    expect(column(csv, 'm').map(Number)).toEqual(Array.from(land.m));
    expect(column(csv, 'mu').map(Number)).toEqual(Array.from(land.mu));
    for (const [name, value] of [
      ['p', '3'],
      ['deltap', '1'],
      ['inv_delta2', '3'],
      ['version', VERSION],
    ] as const)
      expect(new Set(column(csv, name))).toEqual(new Set([value]));
  });

  it('spectrum: the swept 1/Δ2 stays in inv_delta2, the point in p, deltap, and the version', () => {
    const csv = parseCsv(spectrumCsv(land, at));
    expect(csv.columns.slice(-3)).toEqual(['p', 'deltap', 'version']);
    const parts = column(csv, 'part');
    const snr = column(csv, 'inv_delta2').map(Number);
    expect(snr.filter((_, i) => parts[i] === 'bulk').every((a) => a === 3)).toBe(true);
    expect(new Set(snr.filter((_, i) => parts[i] === 'lowest_vs_snr')).size).toBe(
      land.lowestVsSnr.invDelta2.length,
    );
    expect(new Set(column(csv, 'version'))).toEqual(new Set([VERSION]));
  });

  it('thresholds: a missing value is an empty cell, not a number', () => {
    const csv = parseCsv(
      thresholdsCsv(
        [
          ['gf', 'GF threshold', 2],
          ['lambda_outlier', 'outlier', null],
        ],
        at,
      ),
    );
    expect(csv.columns).toEqual(['quantity', 'value', 'p', 'deltap', 'inv_delta2', 'version']);
    expect(csv.rows).toEqual([
      ['gf', '2', '3', '1', '3', VERSION],
      ['lambda_outlier', '', '3', '1', '3', VERSION],
    ]);
  });

  it('phase diagram: one row per Δp with the closed-form GF line and the version', () => {
    const csv = parseCsv(phaseCsv(phaseDiagramData(3)));
    expect(csv.rows).toHaveLength(PHASE_DELTAPS.length);
    expect(column(csv, 'deltap').map(Number)).toEqual([...PHASE_DELTAPS]);
    // The GF line against THEORY §5's closed form 1/Δ2 = (1 + √(1 + 4(p − 1)/Δp))/2, written out
    // here; 12 digits: the CSV's text is the shortest round-trip of a double, so only the
    // library's own rounding (a few ulps) can differ.
    const gf = column(csv, 'gf').map(Number);
    for (const [i, dp] of PHASE_DELTAPS.entries())
      expect(gf[i]).toBeCloseTo((1 + Math.sqrt(1 + 8 / dp)) / 2, 12);
    expect(new Set(column(csv, 'version'))).toEqual(new Set([VERSION]));
  });
});
