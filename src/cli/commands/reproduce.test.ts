import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossingTime, solveDynamics } from '../../dmft/index.ts';
import { parseCsv } from '../../io/index.ts';
import { complexityMinima } from '../../landscape/index.ts';
import { spikedCovariance } from '../../model/index.ts';
import { fitEscapeTimes, gfThreshold, thresholds } from '../../phase/index.ts';
import { QUICK } from '../../reproduce/index.ts';
import { memoryContext } from '../context.ts';
import { main } from '../main.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-reproduce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = async (...args: string[]) => {
  const ctx = memoryContext();
  const status = await main(['node', 'saddlesurf', 'reproduce', ...args], ctx);
  return { status, out: ctx.out, err: ctx.err };
};

const FIGURES = ['escape-time', 'phase-diagram', 'dynamics', 'surfing', 'complexity', 'amp-vs-gf'];
const a = join(dir, 'a');
const b = join(dir, 'b');
let first: Awaited<ReturnType<typeof run>>;
let refused: Awaited<ReturnType<typeof run>>;
let second: Awaited<ReturnType<typeof run>>;

const csv = (path: string) => {
  const { columns, rows } = parseCsv(readFileSync(path, 'utf8'));
  return rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]])));
};

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  // One quick run shared by the assertions; then the same run into an existing non-empty
  // directory, refused without --force and done with it (the rerun for byte identity).
  // --force replaces only a saddlesurf output: b holds an earlier run's params.json.
  first = await run('--out', a, '--quick', '--json');
  mkdirSync(b);
  writeFileSync(join(b, 'params.json'), '{"saddlesurf": "0.0.1", "command": "reproduce"}');
  writeFileSync(join(b, 'keep.txt'), 'from the earlier run');
  refused = await run('--out', b, '--quick');
  second = await run('--out', b, '--quick', '--force');
}, 120_000);

describe('saddlesurf reproduce --quick', () => {
  it('writes every figure as SVG and PNG with its data, report.html, summary.json and params.json', () => {
    expect(first.status).toBe(0);
    for (const id of FIGURES) {
      const meta = JSON.parse(readFileSync(join(a, `${id}.json`), 'utf8'));
      expect(meta.saddlesurf).toMatch(/^\d+\.\d+\.\d+/);
      expect(meta.figure).toBe(id);
      for (const f of [`${id}.svg`, `${id}.png`, ...meta.files]) expect(existsSync(join(a, f))).toBe(true);
      expect(meta.files.some((f: string) => f.endsWith('.csv'))).toBe(true);
      const png = readFileSync(join(a, `${id}.png`));
      expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(readFileSync(join(a, `${id}.svg`), 'utf8').startsWith('<?xml')).toBe(true);
    }
    for (const f of ['report.html', 'summary.json', 'params.json']) expect(existsSync(join(a, f))).toBe(true);
    // No temporary directory left next to the output.
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('--json prints one document: the summary, with both report cases beside their closed forms', () => {
    const doc = JSON.parse(first.out);
    expect(doc.preset).toBe('quick');
    expect(doc.gfThresholds.map((s: { p: number; deltap: number }) => [s.p, s.deltap])).toEqual([
      [3, 1],
      [4, 4],
    ]);
    for (const s of doc.gfThresholds) {
      expect(s.closedForm).toBe(gfThreshold(s.p, s.deltap));
      expect(s.thresholdError).toBeGreaterThan(0);
      // Quick preset: ln(level/m0) ≈ 3.9 only, so the extrapolation sits ~10% below the
      // m0 → 0⁺ closed form (escape.ts); it must still be below and within 20%.
      expect(s.threshold).toBeLessThan(s.closedForm);
      expect(s.threshold).toBeGreaterThan(0.8 * s.closedForm);
    }
    expect(JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'))).toEqual(
      Object.fromEntries(Object.entries(doc).filter(([k]) => k !== 'out')),
    );
  });

  it('report.html shows every figure with its caption and loads nothing from the network', () => {
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    for (const id of FIGURES) expect(html).toContain(`<section id="${id}">`);
    expect(html.match(/<svg\b/g)?.length ?? 0).toBeGreaterThanOrEqual(FIGURES.length);
    // Namespaces (xmlns="http://www.w3.org/…") are names, not resources; nothing else may be a URL.
    const withoutNamespaces = html.replace(/xmlns(:\w+)?="[^"]*"/g, '');
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script\b|<link\b|@import/);
    // Captions state the key numbers: the extrapolated threshold beside the closed form.
    expect(html).toMatch(
      /p = 3, Δp = 1, gradient flow: extrapolated 1\/Δ2 = [\d.]+ ± [\d.]+ .* vs closed form 2/,
    );
  });

  it('refuses an existing non-empty --out without --force (exit 2, naming the flag) and leaves it alone', () => {
    expect(refused.status).toBe(2);
    expect(refused.err).toMatch(/--out/);
    expect(refused.err).toMatch(/--force/);
    expect(second.status).toBe(0);
    expect(existsSync(join(b, 'keep.txt'))).toBe(false);
  });

  it('a rerun with the same seeds reproduces every data file byte for byte', () => {
    const data = readdirSync(a).filter((f) => /\.(csv|json|npz|npy)$/.test(f));
    expect(data.length).toBeGreaterThan(20);
    expect(readdirSync(b).sort()).toEqual(readdirSync(a).sort());
    for (const f of data) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
  });

  it('figure data are the library’s: lines, complexity, escape times and the fit recomputed directly', () => {
    const lines = csv(join(a, 'phase-diagram-lines.csv'));
    const gf = lines.filter((r) => r.line === 'gf');
    expect(gf.length).toBe(2 * QUICK.phase.points);
    for (const r of gf) expect(Number(r.inv_delta2)).toBe(gfThreshold(Number(r.p), Number(r.deltap)));
    const triv = lines.find((r) => r.line === 'trivAllM' && r.p === '4' && r.inv_delta2 !== '')!;
    // thresholdLines continues the root search from the previous Δp; a fresh search agrees to its tolerance.
    expect(Number(triv.inv_delta2)).toBeCloseTo(thresholds(4, Number(triv.deltap)).trivAllM as number, 6);

    const sigma = csv(join(a, 'complexity-sigma.csv'));
    for (const r of [sigma[3], sigma[57], sigma[100]]) {
      const cov = spikedCovariance({ p: 3, delta2: 1 / Number(r.inv_delta2), deltap: 1 });
      expect(Number(r.complexity)).toBe(complexityMinima(cov, Number(r.m)).complexity);
    }

    // Escape time: the full run to tmax (no early stop) crossed at the same time.
    const pts = csv(join(a, 'escape-time-points.csv')).filter((r) => r.p === '3');
    const e = QUICK.escape;
    const x = Number(pts[1].inv_delta2);
    const full = solveDynamics({
      covariance: spikedCovariance({ p: 3, delta2: 1 / x, deltap: 1 }),
      temperature: 0,
      m0: e.m0,
      tmax: e.tmax,
      grid: { kind: 'adaptive', window: e.window, tol: e.tol },
    });
    expect(Number(pts[1].time)).toBe(crossingTime(full, e.level));
    const fit = fitEscapeTimes(pts.map((r) => ({ x: Number(r.inv_delta2), t: Number(r.time) })));
    const row = csv(join(a, 'escape-time-fit.csv')).find((r) => r.p === '3')!;
    expect(Number(row.threshold)).toBe(fit.threshold);
    expect(Number(row.fit_error)).toBe(fit.thresholdError);
    // The reported error adds the fit-window drift: the fits of the four nearest and four farthest points.
    const xt = pts.map((r) => ({ x: Number(r.inv_delta2), t: Number(r.time) })).sort((p, q) => p.x - q.x);
    const drift = Math.abs(fitEscapeTimes(xt.slice(0, 4)).threshold - fitEscapeTimes(xt.slice(-4)).threshold);
    expect(Number(row.window_drift)).toBe(drift);
    expect(Number(row.threshold_error)).toBe(Math.hypot(fit.thresholdError, drift));
  });

  it('numpy reads the NPZ arrays, equal to the CSV data', () => {
    if (!hasNumpy()) {
      // Without python3+numpy there is no independent reader (the io/ tests cover the codec).
      expect(hasNumpy()).toBe(false);
      return;
    }
    const theory = csv(join(a, 'dynamics-theory.csv')).filter(
      (r) => r.inv_delta2 === String(QUICK.dynamics.invDelta2[0]),
    );
    const script = `
import numpy as np, json
z = np.load(${JSON.stringify(join(a, 'dynamics.npz'))})
seeds = z['finite_0_m'].shape[0]
print(json.dumps({"n": int(z['dmft_0_t'].shape[0]), "m_last": float(z['dmft_0_m'][-1]), "seeds": seeds, "dtype": str(z['dmft_0_m'].dtype)}))`;
    const out = JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8' }));
    expect(out.dtype).toBe('float64');
    expect(out.n).toBe(theory.length);
    expect(out.m_last).toBe(Number(theory.at(-1)!.m));
    expect(out.seeds).toBe(QUICK.dynamics.seeds.length);
  });
});
