import { describe, expect, it } from 'vitest';
import { parseCsv } from '../io/csv.ts';
import { VERSION } from '../version.ts';
import { landscape, PHASE_DELTAPS, phaseDiagramData, pointThresholds } from './api.ts';
import { complexityCsv, phaseCsv, thresholdsCsv } from './panelCsv.ts';
import { spectrumCsv } from './spectrumData.ts';

const column = (csv: ReturnType<typeof parseCsv>, name: string) => {
  const k = csv.columns.indexOf(name);
  expect(k).toBeGreaterThanOrEqual(0);
  return csv.rows.map((r) => r[k]!);
};

describe('the explorer panel CSVs', async () => {
  const land = await landscape({ p: 3, delta2: 1 / 3, deltap: 1 });
  const command = 'saddlesurf landscape --p 3 --delta2 0.3333333333333333 --deltap 1';

  it("complexity: Σ_min(m) as computed, every row with the task's point, version and command", () => {
    const csv = parseCsv(complexityCsv(land));
    expect(csv.columns).toEqual(['m', 'sigma_min', 'mu', 'p', 'deltap', 'inv_delta2', 'version', 'command']);
    // Shortest round-trip numbers: the parsed values are the computed doubles, bit for bit.
    expect(column(csv, 'm').map(Number)).toEqual(Array.from(land.m));
    expect(column(csv, 'mu').map(Number)).toEqual(Array.from(land.mu));
    for (const [name, value] of [
      ['p', '3'],
      ['deltap', '1'],
      ['inv_delta2', '3'],
      ['version', VERSION],
      ['command', command],
    ] as const)
      expect(new Set(column(csv, name))).toEqual(new Set([value]));
  });

  it("spectrum: the swept 1/Δ2 and its own run's command on the sweep rows, the panel's elsewhere", () => {
    const csv = parseCsv(spectrumCsv(land));
    const parts = column(csv, 'part');
    const snr = column(csv, 'inv_delta2').map(Number);
    const commands = column(csv, 'command');
    const sweep = parts.flatMap((part, i) => (part === 'lowest_vs_snr' ? [i] : []));
    expect(parts.filter((part, i) => part === 'bulk' && (snr[i] !== 3 || commands[i] !== command))).toEqual(
      [],
    );
    expect(new Set(sweep.map((i) => snr[i])).size).toBe(land.lowestVsSnr.invDelta2.length);
    expect(commands[sweep[0]!]).toBe(
      `saddlesurf landscape --p 3 --delta2 ${1 / 0.05} --deltap 1 --points 3 --spectrum-points 3`,
    );
    expect(new Set(column(csv, 'version'))).toEqual(new Set([VERSION]));
  });

  it('thresholds: each row from its task (no 1/Δ2 for the lines); a missing value is an empty cell', async () => {
    const point = await pointThresholds({ p: 3, delta2: 1 / 3, deltap: 1 });
    const csv = parseCsv(
      thresholdsCsv([
        ['gf', 'GF threshold', point.lines.gf, point.provenance],
        ['lambda_outlier', 'outlier', null, land.provenance],
      ]),
    );
    expect(csv.columns).toEqual(['quantity', 'value', 'p', 'deltap', 'inv_delta2', 'version', 'command']);
    expect(csv.rows).toEqual([
      ['gf', '2', '3', '1', '', VERSION, 'saddlesurf thresholds --p 3 --deltap 1'],
      ['lambda_outlier', '', '3', '1', '3', VERSION, command],
    ]);
  });

  it('phase diagram: one row per Δp with the closed-form GF line, the version and the command', async () => {
    const csv = parseCsv(phaseCsv(await phaseDiagramData(3)));
    expect(csv.rows).toHaveLength(PHASE_DELTAPS.length);
    expect(column(csv, 'deltap').map(Number)).toEqual([...PHASE_DELTAPS]);
    // The GF line against THEORY §5's closed form 1/Δ2 = (1 + √(1 + 4(p − 1)/Δp))/2, written out
    // here; 12 digits: the CSV's text is the shortest round-trip of a double, so only the
    // library's own rounding (a few ulps) can differ.
    const gf = column(csv, 'gf').map(Number);
    for (const [i, dp] of PHASE_DELTAPS.entries())
      expect(gf[i]).toBeCloseTo((1 + Math.sqrt(1 + 8 / dp)) / 2, 12);
    expect(new Set(column(csv, 'version'))).toEqual(new Set([VERSION]));
    expect(new Set(column(csv, 'command'))).toEqual(
      new Set(['saddlesurf phase-diagram --p 3 --deltap-min 0.02 --deltap-max 4 --points 120']),
    );
  });
});
