/**
 * Dynamics at N = ∞ and at finite N (THEORY §2, §3): the dynamics figure of
 * `saddlesurf reproduce`.
 * Pure and deterministic: no I/O, no clock, randomness only through seeded `Rng`s, so reruns
 * are identical.
 */
import type { NpyArray } from '../io/index.ts';
import { signalMinimum, thresholdEnergy } from '../landscape/index.ts';
import { spikedCovariance } from '../model/index.ts';
import { gfThreshold } from '../phase/index.ts';
import type { DynamicsFiniteNRow, DynamicsTheoryRow } from '../plot/index.ts';
import type { DynamicsFigureConfig } from './config.ts';
import { finiteNFlows, largeNFlow, quantileBand } from './finiteNFlows.ts';
import { fmt } from './format.ts';
import type { StageProgress, StageResult } from './types.ts';

/**
 * m(t), e(t), μ(t) of gradient flow at several 1/Δ2 around the threshold (THEORY §3):
 * N = ∞ curves from m0 = 1/√N, finite-N runs from overlap exactly m0 (mean and min–max
 * over seeds), with the threshold values μ_th = 2σ and e_th marked (THEORY §3, §4.1).
 * @example
 * dynamicsStage(QUICK.dynamics, () => {}).keyNumbers.gfThreshold; // 2
 */
export function dynamicsStage(config: DynamicsFigureConfig, progress: StageProgress): StageResult {
  const m0 = 1 / Math.sqrt(config.n);
  const theory: DynamicsTheoryRow[] = [];
  const matched: DynamicsTheoryRow[] = [];
  const finiteN: DynamicsFiniteNRow[] = [];
  const thresholdsRows: { invDelta2: number; mu: number; e: number }[] = [];
  const arrays: Record<string, NpyArray> = {};
  const finalRows: (number | string | null)[][] = [];
  const total = config.invDelta2.length * (2 + config.seeds.length);
  let done = 0;
  for (const [j, x] of config.invDelta2.entries()) {
    const cov = spikedCovariance({ p: config.p, delta2: 1 / x, deltap: config.deltap });
    const largeN = (start: number) => largeNFlow(cov, start, config);
    const run = largeN(config.m0);
    progress(++done / total, `N = ∞, 1/Δ2 = ${x}`);
    for (let i = 0; i < run.t.length; i++)
      theory.push({ invDelta2: x, t: run.t[i], m: run.m[i], e: run.energy[i], mu: run.mu[i] });
    const same = largeN(m0);
    progress(++done / total, `N = ∞ from m0 = 1/√N, 1/Δ2 = ${x}`);
    for (let i = 0; i < same.t.length; i++)
      matched.push({ invDelta2: x, t: same.t[i], m: same.m[i], e: same.energy[i], mu: same.mu[i] });
    arrays[`dmft_${j}_t`] = { data: run.t, shape: [run.t.length] };
    arrays[`dmft_${j}_m`] = { data: run.m, shape: [run.m.length] };
    arrays[`dmft_${j}_e`] = { data: run.energy, shape: [run.energy.length] };
    arrays[`dmft_${j}_mu`] = { data: run.mu, shape: [run.mu.length] };
    thresholdsRows.push({ invDelta2: x, mu: 2 * Math.sqrt(cov.d2f(1)), e: thresholdEnergy(cov) });
    const flows = finiteNFlows({ ...config, invDelta2: x }, m0, config.seeds, () =>
      progress(++done / total, `N = ${config.n}, 1/Δ2 = ${x}`),
    );
    const nObs = flows.t.length;
    const mArr = new Float64Array(config.seeds.length * nObs);
    for (const [k, s] of flows.m.entries()) mArr.set(s, k * nObs);
    arrays[`finite_${j}_t`] = { data: flows.t, shape: [nObs] };
    arrays[`finite_${j}_m`] = { data: mArr, shape: [config.seeds.length, nObs] };
    for (let k = 0; k < nObs; k++) {
      for (const [obs, series] of [
        ['m', flows.m],
        ['e', flows.energy],
        ['mu', flows.mu],
      ] as const) {
        finiteN.push({ invDelta2: x, t: flows.t[k], observable: obs, ...quantileBand(series, k) });
      }
    }
    const end = signalMinimum(cov);
    finalRows.push([
      x,
      run.t[run.t.length - 1],
      run.m[run.m.length - 1],
      run.energy[run.energy.length - 1],
      run.mu[run.mu.length - 1],
      run.stats.status,
      quantileBand(flows.m, nObs - 1).mean,
      end?.m ?? null,
      end?.energy ?? null,
      // Outcomes of the finite-N runs: near the signal minimum, or at negative m (for odd p the
      // mirror minimum, THEORY §4.2), judged at the last recorded time.
      flows.m.filter((s) => end !== null && s[nObs - 1] > 0.5 * end.m).length,
      flows.m.filter((s) => s[nObs - 1] < 0).length,
    ]);
  }
  arrays.inv_delta2 = { data: Float64Array.from(config.invDelta2), shape: [config.invDelta2.length] };
  const gf = gfThreshold(config.p, config.deltap);
  const th = thresholdsRows[0];
  const caption =
    `Gradient flow in the spiked ${config.p}-spin + matrix model, Δp = ${config.deltap}, at 1/Δ2 = ` +
    `${config.invDelta2.join(', ')} (closed-form GF threshold ${fmt(gf)}, THEORY §5). Solid: N = ∞ ` +
    `dynamics (THEORY §3, adaptive grid window ${config.window}, tol ${config.tol}) from m0 = ${config.m0}: ` +
    `m stays small on a plateau where e(t) and μ(t) approach the threshold values (dotted, in the colour ` +
    `of each 1/Δ2: μ_th = 2σ = ${fmt(th.mu)} and e_th, THEORY §3, §4.1); above the threshold the flow ` +
    `then escapes, below it (1/Δ2 = ${Math.min(...config.invDelta2)}) it stays there (aging). Thin dash-dotted: ` +
    `N = ∞ from m0 = 1/√N = ${fmt(m0)}, the overlap of a random start at N = ${config.n}: the plateau is ` +
    `short and the flow escapes even below the threshold, which is a statement about m0 → 0⁺. Short ` +
    `dashes and bands: N = ${config.n} gradient flows (THEORY §2, Dormand–Prince 5(4), rtol 1e-6) started ` +
    `at overlap exactly 1/√N, median and 10–90 % quantile band over ${config.seeds.length} seeds ` +
    `(${config.seeds[0]}–${config.seeds.at(-1)}). m is the signed overlap: for odd p a finite-N run can end ` +
    `in the mirror minimum at negative m (THEORY §4.2), which pulls the band down.\n\n` +
    finalRows
      .map(
        (r) =>
          `1/Δ2 = ${r[0]}: at t = ${fmt(r[1] as number)}, N = ∞ m = ${fmt(r[2] as number)}, finite-N median m = ` +
          `${fmt(r[6] as number)} (${r[9]} of ${config.seeds.length} runs above m*/2, ${r[10]} at negative m); ` +
          `end state of THEORY §3 m* = ${r[7] === null ? 'none' : fmt(r[7] as number)}.`,
      )
      .join(' ');
  return {
    id: 'dynamics',
    title: 'Gradient-flow dynamics around the threshold: plateau and escape',
    caption,
    figure: {
      kind: 'dynamics',
      data: {
        p: config.p,
        deltap: config.deltap,
        // The figure starts at the first recorded finite-N time; the CSV/NPZ keep every solver point.
        theory: theory.filter((r) => r.t >= config.tmax * 1e-4),
        matched: matched.filter((r) => r.t >= config.tmax * 1e-4),
        m0: config.m0,
        matchedM0: m0,
        finiteN,
        N: config.n,
        seeds: config.seeds.length,
        finiteNSummary: `N = ${config.n} from m0 = 1/√N: median and 10–90 % over ${config.seeds.length} seeds`,
        thresholds: thresholdsRows,
      },
    },
    tables: [
      {
        name: 'theory',
        columns: ['inv_delta2', 't', 'm', 'energy', 'mu'],
        rows: theory.map((r) => [r.invDelta2, r.t, r.m, r.e, r.mu]),
      },
      {
        name: 'theory-matched-m0',
        columns: ['inv_delta2', 't', 'm', 'energy', 'mu'],
        rows: matched.map((r) => [r.invDelta2, r.t, r.m, r.e, r.mu]),
      },
      {
        // Wide: one row per (1/Δ2, t), the median and 10 % / 90 % quantiles of each observable.
        name: 'finite-n',
        columns: [
          'inv_delta2',
          't',
          // One name per quantity in files (src/cli/README.md): energy, not e.
          ...(['m', 'energy', 'mu'] as const).flatMap((o) => [`${o}_median`, `${o}_q10`, `${o}_q90`]),
        ],
        rows: finiteN
          .filter((r) => r.observable === 'm')
          .map((r) => {
            const at = (o: 'e' | 'mu') =>
              finiteN.find((q) => q.invDelta2 === r.invDelta2 && q.t === r.t && q.observable === o)!;
            const e = at('e');
            const mu = at('mu');
            return [r.invDelta2, r.t, r.mean, r.lo, r.hi, e.mean, e.lo, e.hi, mu.mean, mu.lo, mu.hi];
          }),
      },
      {
        name: 'thresholds',
        columns: ['inv_delta2', 'mu_threshold', 'energy_threshold'],
        rows: thresholdsRows.map((r) => [r.invDelta2, r.mu, r.e]),
      },
      {
        name: 'final',
        columns: [
          'inv_delta2',
          't',
          'm_dmft',
          'energy_dmft',
          'mu_dmft',
          'dmft_status',
          'm_finite_n_median',
          'm_star',
          'energy_star',
          'finite_n_runs_above_half_m_star',
          'finite_n_runs_negative_m',
        ],
        rows: finalRows,
      },
    ],
    arrays,
    params: { ...config, m0FiniteN: m0 },
    keyNumbers: {
      gfThreshold: gf,
      final: finalRows.map((r) => ({ invDelta2: r[0], mDmft: r[2], mFiniteN: r[6], mStar: r[7] })),
    },
  };
}
