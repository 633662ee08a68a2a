/**
 * The dynamics panel: large-N gradient flow m(t), e(t), μ(t) (THEORY §3) computed in
 * a worker and drawn as it progresses, with a finite-N run (THEORY §2) at the chosen
 * N and seed overlaid. Changing any input cancels the runs in flight (their workers
 * are terminated) and starts new ones.
 */
import * as Comlink from 'comlink';
import { useMemo, useRef, useState } from 'preact/hooks';
import { progressStatus } from '../dmft/outcome.ts';
import type { DynamicsFiniteNRow, DynamicsTheoryRow } from '../plot/dynamics.ts';
import { fmt } from '../plot/theme.ts';
import { FigurePanel, type PanelStatus, statusOf } from './components.tsx';
import type { LargeNResult, Trajectory } from './dynamicsApi.ts';
import { dynamicsCsv } from './dynamicsCsv.ts';
import { type JobState, useJob } from './jobs.ts';
import type { Lanes } from './lane.ts';
import { modelKey, modelOf, type ViewState } from './state.ts';
import { useFigures } from './useFigures.ts';

/** Least time between redraws of the growing curve, ms (a redraw costs a few ms; the worker sends hundreds of points). */
const REDRAW_MS = 200;

/**
 * Progress of a run whose work grows like log t (the adaptive grid doubles its step),
 * as a fraction: ln(1 + t)/ln(1 + t_max).
 */
export function logProgress(t: number, tmax: number): number {
  return Math.min(1, Math.max(0, Math.log1p(t) / Math.log1p(tmax)));
}

function theoryRows(a: number, traj: Trajectory): DynamicsTheoryRow[] {
  return Array.from(traj.t, (t, i) => ({
    invDelta2: a,
    t,
    m: traj.m[i]!,
    e: traj.energy[i]!,
    mu: traj.mu[i]!,
  }));
}

/**
 * Rows of the finite-N run. For even p the loss is invariant under x → −x (both channels
 * have even order), so −x* is as good as x*: the overlap is drawn as |m| (THEORY §1).
 */
function finiteRows(a: number, traj: Trajectory, p: number): DynamicsFiniteNRow[] {
  const rows: DynamicsFiniteNRow[] = [];
  const m = p % 2 === 0 ? traj.m.map(Math.abs) : traj.m;
  for (const [observable, values] of [
    ['m', m],
    ['e', traj.energy],
    ['mu', traj.mu],
  ] as const) {
    // One seed: the "spread" band collapses onto the curve.
    for (let i = 0; i < traj.t.length; i++)
      rows.push({
        invDelta2: a,
        t: traj.t[i]!,
        observable,
        mean: values[i]!,
        lo: values[i]!,
        hi: values[i]!,
      });
  }
  return rows;
}

interface Partial {
  readonly key: string;
  readonly t: number[];
  readonly m: number[];
  /** μ and e at the last point (THEORY §3), shown live. */
  readonly mu?: number;
  readonly energy?: number;
}

function largeStatus(job: JobState<LargeNResult>, partial: Partial | undefined, tmax: number): PanelStatus {
  // Two points make a curve: the status reports progress once the figure can show it.
  if (job.kind === 'running' && partial !== undefined && partial.t.length > 1) {
    const t = partial.t.at(-1)!;
    return {
      kind: 'running',
      text:
        `large N: t = ${fmt(t, 3)} of ${fmt(tmax)}, m = ${fmt(partial.m.at(-1)!, 3)}` +
        (partial.mu === undefined ? '' : `, μ = ${fmt(partial.mu, 4)}`) +
        (partial.energy === undefined ? '' : `, e = ${fmt(partial.energy, 4)}`),
      fraction: logProgress(t, tmax),
    };
  }
  return statusOf(job, 'large N', (r) =>
    r.status === 'ok'
      ? `large N done: m(${fmt(r.t.at(-1)!)}) = ${fmt(r.m.at(-1)!)}, e = ${fmt(r.energy.at(-1)!)}, μ = ${fmt(r.mu.at(-1)!)} (${r.steps} steps)`
      : `large N stopped early (${r.status}): ${r.message ?? ''}`,
  );
}

export function DynamicsPanel({ state, lanes }: { state: ViewState; lanes: Lanes }) {
  const model = modelOf(state);
  const largeKey = `${modelKey(state)}|${state.m0}|${state.tmax}`;
  const finiteKey = `${largeKey}|${state.n}|${state.seed}`;
  const [partial, setPartial] = useState<Partial | undefined>(undefined);
  const lastDraw = useRef(0);

  const large = useJob(lanes.dynamics, largeKey, (remote, ctx) => {
    // The worker's points accumulate here; the page sees copies (a new value per redraw).
    const points: Partial = { key: largeKey, t: [], m: [] };
    setPartial({ key: largeKey, t: [], m: [] });
    const onProgress = (_: number, v?: Readonly<Record<string, number>>) => {
      if (v?.t === undefined || v.m === undefined) return;
      const { t, m, μ: mu, e: energy } = v;
      points.t.push(t);
      points.m.push(m);
      const now = performance.now();
      if (now - lastDraw.current < REDRAW_MS) return;
      lastDraw.current = now;
      // A copy, so the figure sees a new value; stale runs' messages carry another key and are ignored.
      setPartial((current) =>
        current?.key === largeKey
          ? {
              key: largeKey,
              t: [...points.t],
              m: [...points.m],
              ...(mu === undefined ? {} : { mu }),
              ...(energy === undefined ? {} : { energy }),
            }
          : current,
      );
      ctx.progress(logProgress(t, state.tmax), progressStatus(t, m, mu, energy));
    };
    return remote.largeN({ ...model, m0: state.m0, tmax: state.tmax }, Comlink.proxy(onProgress));
  });

  const finite = useJob(lanes.finiteN, finiteKey, (remote, ctx) =>
    remote.finiteN(
      { ...model, m0: state.m0, tmax: state.tmax, n: state.n, seed: state.seed },
      Comlink.proxy((fraction: number, v?: Readonly<Record<string, number>>) =>
        ctx.progress(fraction, v?.t === undefined ? 'drawing the instance' : `t = ${fmt(v.t, 3)}`),
      ),
    ),
  );

  const largeDone = large.kind === 'done' ? large.value : undefined;
  const finiteDone = finite.kind === 'done' ? finite.value : undefined;
  // Only while this run is going (a late progress message must not resurrect the partial curve).
  const live = large.kind === 'running' && partial?.key === largeKey ? partial : undefined;

  const figs = useFigures();
  const figure = useMemo(() => {
    if (figs === undefined) return undefined;
    const a = state.invDelta2;
    let theory: DynamicsTheoryRow[] = [];
    if (largeDone !== undefined) theory = theoryRows(a, largeDone);
    else if (live !== undefined && live.t.length > 1)
      // While running only (t, m) is streamed: e and μ are drawn when the run ends.
      theory = live.t.map((t, i) => ({ invDelta2: a, t, m: live.m[i]!, e: Number.NaN, mu: Number.NaN }));
    if (theory.length === 0 && finiteDone === undefined) return undefined;
    return figs.dynamicsFigure(
      {
        p: state.p,
        deltap: state.deltap,
        theory,
        ...(finiteDone === undefined
          ? {}
          : { finiteN: finiteRows(a, finiteDone, state.p), N: state.n, seeds: 1 }),
        ...(largeDone === undefined
          ? {}
          : { thresholds: [{ invDelta2: a, mu: largeDone.muTh, e: largeDone.eTh }] }),
      },
      { width: 600, panelHeight: 170, timeDomain: [state.tmax * 1e-4, state.tmax] },
    );
    // The keys fix every state value the figure uses.
  }, [largeDone, finiteDone, live, largeKey, finiteKey, figs]);

  const csv = useMemo(() => dynamicsCsv(largeDone, finiteDone), [largeDone, finiteDone]);
  const provenance = useMemo(
    () => [largeDone?.provenance, finiteDone?.provenance].filter((p) => p !== undefined),
    [largeDone, finiteDone],
  );
  const stem = `dynamics-p${state.p}-dp${state.deltap}-snr${state.invDelta2}-m0${state.m0}-t${state.tmax}`;
  const finiteStatus = statusOf(finite, `N = ${state.n}, seed ${state.seed}`, (r) => {
    return `N = ${state.n} done: m(${fmt(r.t.at(-1)!)}) = ${fmt(r.m.at(-1)!)}`;
  });
  return (
    <FigurePanel
      id="dynamics"
      title="Gradient flow: m(t), e(t), μ(t)"
      status={largeStatus(large, live, state.tmax)}
      svg={figure}
      csv={csv}
      provenance={provenance}
      fileName={stem}
    >
      <p class="note">
        Solid: N = ∞ (CHSCK equations, THEORY §3, adaptive grid) from m0 = {state.m0}. Dashed: one
        gradient-flow run at N = {state.n} (THEORY §2) started at the same overlap
        {state.p % 2 === 0 ? ', drawn as |m| (for even p the loss is even in x: −x* is as good as x*)' : ''}
        {'; '}its O(1/√N) fluctuations ({fmt(1 / Math.sqrt(state.n), 2)} here) act like a larger m0, so below
        that scale a finite-N run leaves the plateau earlier than the N = ∞ curve. Dotted: μ_th = 2σ and e_th
        of the threshold states. The CSV holds the signed overlap.
      </p>
      <p
        class={`status status-${finiteStatus.kind}`}
        role="status"
        aria-live="polite"
        data-testid="finite-status"
        data-state={finite.kind}
      >
        {finiteStatus.kind === 'running' && finiteStatus.fraction !== undefined ? (
          <progress max={1} value={finiteStatus.fraction} aria-label="finite-N run: progress" />
        ) : null}{' '}
        {finiteStatus.text}
      </p>
    </FigurePanel>
  );
}
