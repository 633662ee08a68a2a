/**
 * The explorer page (issue 7): pick (Δp, 1/Δ2) on the phase diagram (THEORY §5)
 * and watch the large-N gradient-flow dynamics (§3), the landscape (§4) and the
 * thresholds respond. All numerics run in Web Workers with the library code the
 * CLI uses; the figures come from the shared `src/plot` builders.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { fmt } from '../plot/theme.ts';
import type { LandscapeResult, PhaseResult, pointThresholds } from './api.ts';
import { FigurePanel, NumberField, statusOf } from './components.tsx';
import { DynamicsPanel } from './dynamicsPanel.tsx';
import { downloadCsv } from './exporters.ts';
import { type JobState, useJob } from './jobs.ts';
import type { Lane, Lanes } from './lane.ts';
import { complexityCsv, phaseCsv, type ThresholdRow, thresholdsCsv } from './panelCsv.ts';
import { chartDomains, drawMarker, findChart, pointerToData } from './pick.ts';
import { spectrumCsv } from './spectrumData.ts';
import { FIELDS, MAX_N, modelKey, modelOf, ORDERS, roundPick, type ViewState } from './state.ts';
import { ignoredParams, update, view } from './store.ts';
import { useFigures } from './useFigures.ts';

/** Window of the phase diagram: both axes from 0 to 4, as in the papers' figures. */
/**
 * Δp window of the phase diagram: the Δp field's range, on a log axis (the plot's default for a
 * positive window spanning more than a decade): every line rises steeply at small Δp (THEORY §5),
 * which a linear axis squeezed into a sliver.
 */
const DELTAP_DOMAIN: [number, number] = [FIELDS.deltap.min, FIELDS.deltap.max];
const SNR_DOMAIN: [number, number] = [0, 4];

function Controls({ state }: { state: ViewState }) {
  // Switching to an order with a smaller N limit lowers N: say so instead of doing it silently.
  const [notice, setNotice] = useState<string | undefined>(undefined);
  return (
    <form class="controls" aria-label="parameters" onSubmit={(e) => e.preventDefault()}>
      <fieldset class="orders">
        <legend>tensor order p</legend>
        {ORDERS.map((p) => (
          <label key={p}>
            <input
              type="radio"
              name="p"
              value={p}
              checked={state.p === p}
              onChange={() => {
                setNotice(
                  state.n > MAX_N[p]
                    ? `N lowered from ${state.n} to ${MAX_N[p]}, the largest finite-N run for p = ${p} here (it must finish in seconds in the browser).`
                    : undefined,
                );
                update({ p, n: Math.min(state.n, MAX_N[p]) });
              }}
            />{' '}
            p = {p}
          </label>
        ))}
      </fieldset>
      <NumberField
        id="deltap"
        label="Δp (tensor noise)"
        value={state.deltap}
        min={FIELDS.deltap.min}
        max={FIELDS.deltap.max}
        step={0.01}
        onCommit={(deltap) => update({ deltap })}
      />
      <NumberField
        id="snr"
        label="1/Δ2 (matrix signal-to-noise)"
        value={state.invDelta2}
        min={FIELDS.invDelta2.min}
        max={FIELDS.invDelta2.max}
        step={0.01}
        onCommit={(invDelta2) => update({ invDelta2 })}
      />
      <NumberField
        id="m0"
        label="m0 (initial overlap)"
        value={state.m0}
        min={FIELDS.m0.min}
        max={FIELDS.m0.max}
        step="any"
        onCommit={(m0) => update({ m0 })}
      />
      <NumberField
        id="tmax"
        label="t_max (time horizon)"
        value={state.tmax}
        min={FIELDS.tmax.min}
        max={FIELDS.tmax.max}
        step="any"
        onCommit={(tmax) => update({ tmax })}
      />
      <NumberField
        id="n"
        label="N (finite-N run)"
        value={state.n}
        min={FIELDS.n.min}
        max={MAX_N[state.p]}
        step={1}
        onCommit={(n) => update({ n })}
      />
      <NumberField
        id="seed"
        label="seed (finite-N run)"
        value={state.seed}
        min={FIELDS.seed.min}
        max={FIELDS.seed.max}
        step={1}
        onCommit={(seed) => update({ seed })}
      />
      {notice === undefined ? null : (
        <p class="note" role="status" data-testid="n-notice">
          {notice}
        </p>
      )}
    </form>
  );
}

/**
 * Keyboard steps on the phase diagram: 1 % of the window per arrow press, 10 % with Shift
 * (on the log Δp axis, 1 % of the window's width in log Δp, so a press moves the crosshair
 * by the same distance everywhere).
 */
const KEY_STEP = 0.01;

/** `x` moved by the fraction `f` of the window `[a, b]`, in log space on a log axis. */
function stepAlong([a, b]: [number, number], log: boolean, x: number, f: number): number {
  return log ? x * (b / a) ** f : x + (b - a) * f;
}

/** Phase diagrams already computed this session, by p (they depend on nothing else). */
const phaseCache = new Map<number, PhaseResult>();

/**
 * CSV of the phase diagram: one row per Δp with every threshold line of `phase/`, and the
 * Bayes regions along 1/Δ2 at that Δp as `region:from:to` items separated by spaces
 * (`to` may be `inf`), exactly the bands drawn.
 */
function PhasePanel({ state, lanes }: { state: ViewState; lanes: Lanes }) {
  const p = state.p;
  const job = useJob(lanes.phase, `phase|${p}`, async (remote) => {
    const cached = phaseCache.get(p);
    if (cached !== undefined) return cached;
    const result = await remote.phaseDiagramData(p);
    phaseCache.set(p, result);
    return result;
  });
  const result = job.kind === 'done' && job.value.data.p === p ? job.value : undefined;
  const figs = useFigures();
  // Until the lines arrive the axes alone are drawn, so a point can be picked at once.
  const svg = useMemo(
    () =>
      figs?.phaseDiagram(result?.data ?? { p, lines: [], regions: [], measured: [] }, {
        width: 560,
        height: 420,
        deltapDomain: DELTAP_DOMAIN,
        invDelta2Domain: SNR_DOMAIN,
        regionLabels: result !== undefined,
      }),
    [p, result, figs],
  );
  const csv = useMemo(() => (result === undefined ? undefined : phaseCsv(result)), [result]);
  const stateRef = useRef(state);
  stateRef.current = state;

  // Keep the crosshair on the selected point.
  useEffect(() => {
    const chart = svg === undefined ? undefined : findChart(svg);
    if (chart?.isConnected) drawMarker(chart, state.deltap, state.invDelta2);
  }, [svg, state.deltap, state.invDelta2]);

  const onAttach = useCallback((host: HTMLElement, figure: SVGSVGElement) => {
    const chart = findChart(figure);
    if (chart === undefined) return;
    drawMarker(chart, stateRef.current.deltap, stateRef.current.invDelta2);
    const pick = (e: PointerEvent, clamp: boolean) => {
      const d = pointerToData(chart, e.clientX, e.clientY, clamp);
      if (d === undefined) return;
      update({
        deltap: Math.min(FIELDS.deltap.max, Math.max(FIELDS.deltap.min, roundPick(d.x))),
        invDelta2: Math.min(FIELDS.invDelta2.max, Math.max(FIELDS.invDelta2.min, roundPick(d.y))),
      });
    };
    host.onpointerdown = (e) => {
      if (e.button !== 0) return;
      host.setPointerCapture(e.pointerId);
      pick(e, false);
    };
    host.onpointermove = (e) => {
      // A drag that leaves the plot keeps the point on its edge.
      if (host.hasPointerCapture(e.pointerId)) pick(e, true);
    };
    host.onkeydown = (e) => {
      const dom = chartDomains(chart);
      const f = e.shiftKey ? 10 * KEY_STEP : KEY_STEP;
      const dy = (dom.y[1] - dom.y[0]) * f;
      const s = stateRef.current;
      let { deltap, invDelta2 } = s;
      if (e.key === 'ArrowLeft') deltap = stepAlong(dom.x, dom.xLog, deltap, -f);
      else if (e.key === 'ArrowRight') deltap = stepAlong(dom.x, dom.xLog, deltap, f);
      else if (e.key === 'ArrowUp') invDelta2 += dy;
      else if (e.key === 'ArrowDown') invDelta2 -= dy;
      else return;
      e.preventDefault();
      update({
        deltap: Math.min(FIELDS.deltap.max, Math.max(FIELDS.deltap.min, roundPick(deltap))),
        invDelta2: Math.min(FIELDS.invDelta2.max, Math.max(FIELDS.invDelta2.min, roundPick(invDelta2))),
      });
    };
    host.tabIndex = 0;
    host.setAttribute('role', 'application');
    host.setAttribute(
      'aria-label',
      'phase diagram: click or drag to select (Δp, 1/Δ2); arrow keys move the point, Shift for larger steps',
    );
  }, []);

  return (
    <FigurePanel
      id="phase"
      title={`Phase diagram, p = ${p}`}
      status={statusOf(
        job,
        'threshold lines',
        (r) =>
          // One line (a wrapped status would shift the diagram under the pointer).
          `lines: ${r.table.length} Δp in [${fmt(r.table[0]!.deltap)}, ${fmt(r.table.at(-1)!.deltap)}]; pick Δp in [${FIELDS.deltap.min}, ${FIELDS.deltap.max}]`,
      )}
      svg={svg}
      csv={csv}
      fileName={`phase-diagram-p${p}`}
      onAttach={onAttach}
    >
      <p class="note">
        Selected: Δp = <output data-testid="sel-deltap">{state.deltap}</output>, 1/Δ2 ={' '}
        <output data-testid="sel-snr">{state.invDelta2}</output>. Click or drag in the plot, or focus it and
        use the arrow keys.
      </p>
    </FigurePanel>
  );
}

type LandscapeJob = JobState<{ land: LandscapeResult; point: PointThresholds }>;

/** The landscape of the selected point, computed once for the figures and the threshold table. */
function useLandscapeJob(state: ViewState, lanes: Lanes): LandscapeJob {
  const model = modelOf(state);
  return useJob(lanes.landscape, modelKey(state), async (remote) => ({
    land: await remote.landscape(model),
    point: await remote.pointThresholds(model),
  }));
}

function LandscapePanels({ state, job }: { state: ViewState; job: LandscapeJob }) {
  const result = job.kind === 'done' ? job.value.land : undefined;
  const point = job.kind === 'done' ? job.value.point : undefined;
  const figs = useFigures();
  const csvs = useMemo(() => {
    if (result === undefined) return undefined;
    return {
      complexity: complexityCsv(result, state),
      spectrum: spectrumCsv(result, state),
    };
    // The CSVs depend on the result only; state values are those the result was computed for.
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

type PointThresholds = ReturnType<typeof pointThresholds>;

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

function ThresholdTable({ state, job }: { state: ViewState; job: LandscapeJob }) {
  const result = job.kind === 'done' ? job.value.land : undefined;
  const point = job.kind === 'done' ? job.value.point : undefined;
  const rows: ThresholdRow[] =
    result === undefined || point === undefined
      ? []
      : [
          ['gf', '1/Δ2 of the GF threshold (closed form)', point.lines.gf],
          ['triv_all_m', '1/Δ2 of trivialisation (minima at any m)', point.lines.trivAllM],
          ['triv_nonneg_m', '1/Δ2 of trivialisation (minima at m ≥ 0)', point.lines.trivNonNegativeM],
          ['ml_amp', '1/Δ2 of the ML-AMP instability', point.lines.mlAmp],
          ['ml_amp_spinodal', '1/Δ2 of the ML-AMP spinodal', point.lines.mlAmpSpinodal],
          ['bayes_it', '1/Δ2 of the Bayes IT threshold', point.lines.bayesIT],
          ['bayes_amp', '1/Δ2 of the Bayes AMP threshold', point.lines.bayesAMP],
          ['langevin_conjecture', '1/Δ2 of Langevin T = 1 (conjecture)', point.lines.langevinConjecture],
          ['mu_th', 'threshold multiplier μ_th = 2σ', result.threshold.mu],
          ['e_th', 'threshold energy e_th', result.threshold.energy],
          ['sigma_th', 'threshold complexity Σ_th', result.threshold.complexity],
          ['theta', 'BBP strength θ(0) = 1/Δ2', result.spectrum.theta],
          ['sigma', 'σ = √f″(1) (bulk radius 2σ)', result.spectrum.sigma],
          ['lambda_outlier', 'outlier eigenvalue (threshold states)', result.spectrum.outlier],
          ['m_star', 'signal minimum overlap m*', result.signal?.m ?? null],
          ['e_star', 'signal minimum energy e*', result.signal?.energy ?? null],
          ['mu_star', 'signal minimum multiplier μ*', result.signal?.mu ?? null],
        ];
  const csv = result === undefined ? undefined : thresholdsCsv(rows, state);
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

export function App({ lanes }: { lanes: Lanes }) {
  const state = view.value;
  const landscape = useLandscapeJob(state, lanes);
  useEffect(
    () => () => {
      for (const lane of Object.values(lanes) as Lane[]) lane.dispose();
    },
    [lanes],
  );
  return (
    <>
      <header>
        <h1>saddlesurf explorer</h1>
        <p>
          Gradient flow in the spiked matrix–tensor model: pick a point (Δp, 1/Δ2) of the phase diagram and
          watch the large-N dynamics, the landscape and the Hessian of the threshold states respond. The
          address bar always holds a link to this view.
        </p>
        {ignoredParams.value.length > 0 ? (
          <p class="warning" role="alert">
            Ignored in the link: {ignoredParams.value.join('; ')}.
          </p>
        ) : null}
      </header>
      <main>
        <div class="column">
          <Controls state={state} />
          <PhasePanel state={state} lanes={lanes} />
          <ThresholdTable state={state} job={landscape} />
        </div>
        <div class="column">
          <DynamicsPanel state={state} lanes={lanes} />
          <LandscapePanels state={state} job={landscape} />
        </div>
      </main>
    </>
  );
}
