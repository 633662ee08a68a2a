/**
 * The `anneal` figure of `saddlesurf reproduce` (issue 15): Langevin at T = 1 with and without the
 * annealing protocol (src/dmft/anneal.ts: tensor channel seen with Δp + C e^{−t/τ}) at N = ∞,
 * at 1/Δ2 below, on and above the conjectured Langevin line of THEORY §6.3, from a small m0:
 * m(t), e(t), μ(t), the escape times t(m = level) and the end states against the Nishimori values
 * μ∞ = 1 + f'(1), e∞ = −f(1) of THEORY §3.
 */
import { crossingTime, solveDynamics } from '../dmft/index.ts';
import type { NpyArray } from '../io/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { langevinConjecture } from '../phase/index.ts';
import type { AnnealRow, AnnealRun } from '../plot/index.ts';
import type { StageProgress, StageResult } from './types.ts';

/** Settings of the annealing figure. */
export interface AnnealStageConfig {
  readonly p: number;
  readonly deltap: number;
  /** 1/Δ2 as multiples of the conjectured Langevin line (THEORY §6.3). */
  readonly ratios: readonly number[];
  /** The protocol Δp_eff(t) = Δp + c e^{−t/τ}. */
  readonly c: number;
  readonly tau: number;
  readonly m0: number;
  /** Level of m defining the escape time. */
  readonly level: number;
  readonly tmax: number;
  /**
   * Fixed-grid step of the second-order scheme (`heun`); absent: the adaptive grid (default
   * tolerance), whose cost grows like log t, so that runs reach t ~ 10³ near the line. At T = 1
   * escape times are strongly h-biased (THEORY §6.3): p = 3, Δp = 1, 1/Δ2 = 1.2 × line, m0 = 0.05,
   * t(m = 0.3) = 12.86 on the adaptive grid; heun 12.49 at h = 0.05 (−3 %); the published euler
   * 11.08 / 11.94 / 12.40 at h = 0.1 / 0.05 / 0.025 (first order, −14 % at h = 0.1).
   */
  readonly h?: number;
}

/**
 * The figure's rows (its time axis is logarithmic): from t = 0.05 (the adaptive grid starts at
 * t ~ 1e-8, which would stretch the axis over decades of nothing), at most one point per 0.2 % of
 * t, and the last. The arrays keep every point.
 */
const FIGURE_T0 = 0.05;
const FIGURE_DLOG = 0.002;

const fmt = (x: number, digits = 4): string => Number(x.toPrecision(digits)).toString();

/** What the runs say: at each 1/Δ2, does the protocol escape earlier (or at all) than plain Langevin? */
function annealVerdict(summary: readonly Record<string, unknown>[]): string {
  const byInv = new Map<number, Record<string, unknown>[]>();
  for (const r of summary) byInv.set(r.invDelta2 as number, [...(byInv.get(r.invDelta2 as number) ?? []), r]);
  return [...byInv.entries()]
    .map(([inv, pair]) => {
      const plain = pair.find((r) => r.protocol === 'plain')!;
      const annealed = pair.find((r) => r.protocol === 'annealed')!;
      const tp = plain.escapeTime as number | null;
      const ta = annealed.escapeTime as number | null;
      const what =
        tp !== null && ta !== null
          ? `the protocol escapes ${ta < tp ? `earlier, by ${fmt((100 * (tp - ta)) / tp, 2)} %` : `later, by ${fmt((100 * (ta - tp)) / tp, 2)} %`}`
          : ta !== null
            ? 'only the annealed run escapes'
            : tp !== null
              ? 'only the plain run escapes'
              : `neither escapes (m = ${fmt(annealed.m as number, 3)} annealed against ${fmt(plain.m as number, 3)} plain)`;
      return `At 1/Δ2 = ${fmt(inv)}: ${what}.`;
    })
    .join(' ');
}

/**
 * Annealed against plain Langevin (T = 1) at N = ∞ near the conjectured Langevin line.
 * @example
 * annealStage({ p: 3, deltap: 1, ratios: [1], c: 10, tau: 10, m0: 0.01, level: 0.3, tmax: 20, h: 0.1 }, () => {}).id; // 'anneal'
 */
export function annealStage(config: AnnealStageConfig, progress: StageProgress): StageResult {
  const line = langevinConjecture(config.p, config.deltap);
  const grid =
    config.h === undefined
      ? ({ kind: 'adaptive' } as const)
      : ({ kind: 'fixed', h: config.h, scheme: 'heun' } as const);
  const gridText =
    config.h === undefined
      ? 'adaptive grid, default tolerance: escape times within 0.2 % of the extrapolated fixed grid'
      : `fixed grid, second-order scheme, h = ${config.h}; at h = 0.05 escape times come ≈ 3 % early`;
  const theory: AnnealRow[] = [];
  const runs: AnnealRun[] = [];
  const nishimori: { invDelta2: number; mu: number; e: number }[] = [];
  const rows: (number | string | null)[][] = [];
  const arrays: Record<string, NpyArray> = {};
  const summary: Record<string, unknown>[] = [];
  const total = 2 * config.ratios.length;
  let done = 0;
  for (const [j, ratio] of config.ratios.entries()) {
    const invDelta2 = Number((line * ratio).toFixed(4));
    const covariance = spikedCovariance({ p: config.p, delta2: 1 / invDelta2, deltap: config.deltap });
    nishimori.push({ invDelta2, mu: 1 + covariance.df(1), e: -covariance.f(1) });
    for (const annealed of [false, true]) {
      const run = solveDynamics({
        covariance,
        temperature: 1,
        m0: config.m0,
        tmax: config.tmax,
        grid,
        ...(annealed ? { anneal: { c: config.c, tau: config.tau } } : {}),
      });
      const key = 2 * j + (annealed ? 1 : 0);
      const name = annealed ? 'annealed' : 'plain';
      progress(++done / total, `${name} Langevin, 1/Δ2 = ${invDelta2}`);
      let shown = 0;
      for (let i = 0; i < run.t.length; i++) {
        const t = run.t[i];
        const last = i === run.t.length - 1;
        if (!last && (t < FIGURE_T0 || (shown > 0 && Math.log(t / shown) < FIGURE_DLOG))) continue;
        shown = t;
        theory.push({ key, t, m: run.m[i], e: run.energy[i], mu: run.mu[i] });
      }
      for (const [k, v] of [
        ['t', run.t],
        ['m', run.m],
        ['e', run.energy],
        ['mu', run.mu],
      ] as const)
        arrays[`${name}_${j}_${k}`] = { data: v, shape: [v.length] };
      const last = run.t.length - 1;
      const escapeTime = crossingTime(run, config.level);
      const row = {
        invDelta2,
        ratio,
        protocol: name,
        escapeTime,
        tEnd: run.t[last],
        m: run.m[last],
        e: run.energy[last],
        mu: run.mu[last],
        muNishimori: 1 + covariance.df(1),
        eNishimori: -covariance.f(1),
        status: run.stats.status,
      };
      summary.push(row);
      runs.push({ key, invDelta2, ratio, annealed, escapeTime });
      rows.push(Object.values(row) as (number | string | null)[]);
    }
  }
  const sentence = (r: Record<string, unknown>) =>
    `${fmt(r.invDelta2 as number)} ${r.protocol}: ${
      r.escapeTime === null
        ? `no escape by t = ${fmt(config.tmax)}`
        : `escape at t = ${fmt(r.escapeTime as number)}`
    }; at t = ${fmt(config.tmax)}: m = ${fmt(r.m as number, 3)}, μ = ${fmt(r.mu as number)} (Nishimori ${fmt(
      r.muNishimori as number,
    )}), e = ${fmt(r.e as number)} (${fmt(r.eNishimori as number)})`;
  return {
    id: 'anneal',
    title: `Annealed against plain Langevin (T = 1, N = ∞) near the conjectured Langevin line, p = ${config.p}, Δp = ${config.deltap}`,
    caption:
      `Langevin at T = 1 from m0 = ${config.m0} (N = ∞, ${gridText}), ` +
      `plain and with the annealing protocol Δp_eff(t) = Δp + C e^{−t/τ}, C = ${config.c}, τ = ${config.tau} ` +
      `(the tensor channel is first nearly off, then relaxes to its true noise), at 1/Δ2 = ` +
      `${config.ratios.map((r) => fmt(r, 3)).join(', ')} × the conjectured Langevin line ${fmt(line)} (THEORY §6.3, ` +
      `a conjecture). Panels: m(t) with the escape level (escape time: first t with m ≥ ${config.level}, dots), ` +
      `e(t) and μ(t) of the loss being descended (the annealed one under the protocol; by t = ${fmt(config.tmax)} ` +
      `Δp_eff − Δp = ${fmt(config.c * Math.exp(-config.tmax / config.tau), 2)}) with the Nishimori values ` +
      `μ∞ = 1 + f'(1), e∞ = −f(1) of THEORY §3 dotted (the T = 1 end state once the signal is found), and ` +
      `Δp_eff(t). ${summary.map(sentence).join('; ')}. ${annealVerdict(summary)}`,
    figure: {
      kind: 'anneal',
      data: {
        p: config.p,
        deltap: config.deltap,
        c: config.c,
        tau: config.tau,
        level: config.level,
        runs,
        rows: theory,
        nishimori,
      },
    },
    tables: [
      {
        name: 'escape-and-end',
        columns: [
          'invDelta2',
          'ratio_to_line',
          'protocol',
          'escape_time',
          't_end',
          'm',
          'e',
          'mu',
          'mu_nishimori',
          'e_nishimori',
          'status',
        ],
        rows,
      },
    ],
    arrays,
    params: {
      ...config,
      temperature: 1,
      grid: grid.kind,
      ...(grid.kind === 'fixed' ? { scheme: 'heun' } : {}),
      langevinLine: line,
    },
    keyNumbers: { langevinLine: line, runs: summary },
  };
}
