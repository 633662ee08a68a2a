/**
 * The explorer's landscape panels at the selected point (THEORY §4): Σ_min(m), the Hessian
 * spectrum of the threshold states with its BBP outlier, and the table of threshold values.
 */
import { useMemo } from 'preact/hooks';
import { fmt } from '../plot/theme.ts';
import type { LandscapeResult, PointThresholds } from './api.ts';
import { FigurePanel, statusOf } from './components.tsx';
import { downloadCsv } from './exporters.ts';
import { type JobState, useJob } from './jobs.ts';
import type { Lanes } from './lane.ts';
import { complexityCsv, type ThresholdRow, thresholdsCsv } from './panelCsv.ts';
import { spectrumCsv } from './spectrumData.ts';
import { modelKey, modelOf, type ViewState } from './state.ts';
import { useFigures } from './useFigures.ts';

export type LandscapeJob = JobState<{ land: LandscapeResult; point: PointThresholds }>;

/** The landscape of the selected point, computed once for the figures and the threshold table. */
export function useLandscapeJob(state: ViewState, lanes: Lanes): LandscapeJob {
  const model = modelOf(state);
  return useJob(lanes.landscape, modelKey(state), async (remote) => ({
    land: await remote.landscape(model),
    point: await remote.pointThresholds(model),
  }));
}

export function LandscapePanels({ state, job }: { state: ViewState; job: LandscapeJob }) {
  const result = job.kind === 'done' ? job.value.land : undefined;
  const point = job.kind === 'done' ? job.value.point : undefined;
  const figs = useFigures();
  const csvs = useMemo(() => {
    if (result === undefined) return undefined;
    return { complexity: complexityCsv(result), spectrum: spectrumCsv(result) };
  }, [result]);
  const figures = useMemo(() => {
    if (result === undefined || figs === undefined) return undefined;
    const a = state.invDelta2;
    const rows = Array.from(result.m, (m, i) => ({ invDelta2: a, m, complexity: result.complexity[i] }));
    const complexity = figs.complexityFigure(
      {
        p: state.p,
        deltap: state.deltap,
        curves: [{ invDelta2: a, regime: regimeOf(a, point) }],
        rows,
        signal: result.signal === null ? [] : [{ invDelta2: a, m: result.signal.m }],
      },
      { width: 600, height: 300 },
    );
    return { complexity, spectrum: figs.spectrumFigure(result, a, document) };
    // The figures depend on the result only; state values are those the result was computed for.
  }, [result, point, figs]);
  const stem = `p${state.p}-dp${state.deltap}-snr${state.invDelta2}`;
  const landscapeStatus = (r: LandscapeResult) =>
    r.signal === null
      ? 'no signal minimum at this point'
      : `signal minimum at m* = ${fmt(r.signal.m)}; Σ_min(m) on ${r.m.length} overlaps`;
  return (
    <>
      <FigurePanel
        id="complexity"
        title="Complexity of minima Σ_min(m)"
        status={statusOf(job, 'Kac–Rice complexity', (v) => landscapeStatus(v.land))}
        svg={figures?.complexity}
        csv={csvs?.complexity}
        provenance={result?.provenance}
        fileName={`complexity-${stem}`}
      >
        <p class="note">
          Annealed Kac–Rice complexity of local minima at overlap m (THEORY §4.2); Σ &lt; 0 means no minima
          there.
        </p>
      </FigurePanel>
      <FigurePanel
        id="spectrum"
        title="Hessian spectrum at the threshold states"
        status={statusOf(job, 'spectrum', ({ land: r }) =>
          r.spectrum.outlier === null
            ? `no outlier: θ = 1/Δ2 = ${fmt(r.spectrum.theta)} ≤ σ = ${fmt(r.spectrum.sigma)}, the threshold states are marginal minima`
            : `outlier λ = ${fmt(r.spectrum.outlier)} < 0: the threshold states are saddles towards the signal`,
        )}
        svg={figures?.spectrum}
        csv={csvs?.spectrum}
        provenance={result?.provenance}
        fileName={`spectrum-${stem}`}
      >
        <p class="note">
          Bulk semicircle on [μ − 2σ, μ + 2σ] with μ = μ_th = 2σ, and the BBP outlier at μ − θ − σ²/θ when θ =
          1/Δ2 &gt; σ (THEORY §4.1).
        </p>
      </FigurePanel>
    </>
  );
}

/** Where 1/Δ2 sits relative to the GF and trivialisation (all m) lines (THEORY §5). */
function regimeOf(a: number, point: PointThresholds | undefined) {
  if (point === undefined) return undefined;
  const { gf, trivAllM } = point.lines;
  if (gf !== null && a < gf) return 'belowGf' as const;
  if (trivAllM !== null && a < trivAllM) return 'betweenGfTriv' as const;
  return 'aboveTriv' as const;
}

const REGIME_TEXT = {
  belowGf:
    'below the GF threshold: the threshold states are marginal minima, where GF from m0 → 0⁺ ends (a finite m0 may still escape during the transient)',
  betweenGfTriv:
    'between GF and trivialisation: spurious minima exist, yet GF surfs on the saddles to the signal',
  aboveTriv: 'above trivialisation: no spurious minima with positive complexity',
} as const;

/** Rows of the threshold table computed by one task: each ends with that task's provenance. */
function withProvenance(
  from: ThresholdRow[3],
  rows: readonly (readonly [key: string, label: string, value: number | null])[],
): ThresholdRow[] {
  return rows.map(([key, label, value]) => [key, label, value, from]);
}

export function ThresholdTable({ state, job }: { state: ViewState; job: LandscapeJob }) {
  const result = job.kind === 'done' ? job.value.land : undefined;
  const point = job.kind === 'done' ? job.value.point : undefined;
  // Each group of rows carries the provenance of the task that computed it (thresholds, landscape).
  const rows: ThresholdRow[] =
    result === undefined || point === undefined
      ? []
      : [
          ...withProvenance(point.provenance, [
            ['gf', '1/Δ2 of the GF threshold (closed form)', point.lines.gf],
            ['triv_all_m', '1/Δ2 of trivialisation (minima at any m)', point.lines.trivAllM],
            ['triv_nonneg_m', '1/Δ2 of trivialisation (minima at m ≥ 0)', point.lines.trivNonNegativeM],
            ['ml_amp', '1/Δ2 of the ML-AMP instability', point.lines.mlAmp],
            ['ml_amp_spinodal', '1/Δ2 of the ML-AMP spinodal', point.lines.mlAmpSpinodal],
            ['bayes_it', '1/Δ2 of the Bayes IT threshold', point.lines.bayesIT],
            ['bayes_amp', '1/Δ2 of the Bayes AMP threshold', point.lines.bayesAMP],
            ['langevin_conjecture', '1/Δ2 of Langevin T = 1 (conjecture)', point.lines.langevinConjecture],
          ]),
          ...withProvenance(result.provenance, [
            ['mu_th', 'threshold multiplier μ_th = 2σ', result.threshold.mu],
            ['e_th', 'threshold energy e_th', result.threshold.energy],
            ['sigma_th', 'threshold complexity Σ_th', result.threshold.complexity],
            ['theta', 'BBP strength θ(0) = 1/Δ2', result.spectrum.theta],
            ['sigma', 'σ = √f″(1) (bulk radius 2σ)', result.spectrum.sigma],
            ['lambda_outlier', 'outlier eigenvalue (threshold states)', result.spectrum.outlier],
            ['m_star', 'signal minimum overlap m*', result.signal?.m ?? null],
            ['e_star', 'signal minimum energy e*', result.signal?.energy ?? null],
            ['mu_star', 'signal minimum multiplier μ*', result.signal?.mu ?? null],
          ]),
        ];
  const csv = result === undefined ? undefined : thresholdsCsv(rows);
  const titleId = 'thresholds-title';
  return (
    <section class="panel" id="thresholds" aria-labelledby={titleId} data-status={job.kind}>
      <h2 id={titleId}>Threshold values</h2>
      {result === undefined || point === undefined ? (
        <p class="status" role="status">
          {job.kind === 'error' ? `failed: ${job.message}` : 'computing…'}
        </p>
      ) : (
        <>
          <p class="note" data-testid="regime">
            At 1/Δ2 = {state.invDelta2}, Δp = {state.deltap}: {REGIME_TEXT[regimeOf(state.invDelta2, point)!]}
            . Bayes-optimal inference is {point.bayes} here.
          </p>
          <table>
            <caption class="visually-hidden">Threshold values at the selected point</caption>
            <thead>
              <tr>
                <th scope="col">quantity</th>
                <th scope="col">value</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([key, label, v]) => (
                <tr key={key} data-key={key}>
                  <th scope="row">{label}</th>
                  <td class="num">{v === null ? '—' : fmt(v, 6)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <fieldset class="exports">
        <legend class="visually-hidden">Threshold values: export</legend>
        <button
          type="button"
          disabled={csv === undefined}
          onClick={() =>
            csv && downloadCsv(csv, `thresholds-p${state.p}-dp${state.deltap}-snr${state.invDelta2}`)
          }
        >
          CSV
        </button>
      </fieldset>
    </section>
  );
}
