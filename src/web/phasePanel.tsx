/**
 * The explorer's phase-diagram panel (THEORY §5, §6): the threshold lines and Bayes regions of
 * order p, computed once per p in a worker; the selected point is picked on it.
 */
import { useCallback, useEffect, useMemo, useRef } from 'preact/hooks';
import { fmt } from '../plot/theme.ts';
import type { PhaseResult } from './api.ts';
import { FigurePanel, statusOf } from './components.tsx';
import { useJob } from './jobs.ts';
import type { Lanes } from './lane.ts';
import { phaseCsv } from './panelCsv.ts';
import { chartDomains, drawMarker, findChart, pointerToData } from './pick.ts';
import { FIELDS, roundPick, type ViewState } from './state.ts';
import { update } from './store.ts';
import { useFigures } from './useFigures.ts';

/**
 * Δp window of the phase diagram: the Δp field's range, on a log axis (the plot's default for a
 * positive window spanning more than a decade): every line rises steeply at small Δp (THEORY §5),
 * which a linear axis squeezed into a sliver.
 */
const DELTAP_DOMAIN: [number, number] = [FIELDS.deltap.min, FIELDS.deltap.max];
const SNR_DOMAIN: [number, number] = [0, 4];

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

/** The phase diagram of order p (THEORY §5, §6): pick a point by click, drag or arrow keys. */
export function PhasePanel({ state, lanes }: { state: ViewState; lanes: Lanes }) {
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
      provenance={result?.provenance}
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
