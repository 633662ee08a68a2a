/**
 * Small building blocks of the page: a figure panel with its status line and
 * export buttons, and labelled numeric inputs. Everything is reachable and usable
 * from the keyboard (native buttons and inputs, visible focus rings in styles.css).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { downloadCsv, downloadPng, downloadSvg, type FigureProvenance } from './exporters.ts';
import type { JobState } from './jobs.ts';

/** What a panel is doing, shown in its status line (an ARIA live region). */
export type PanelStatus =
  | { kind: 'unavailable'; text: string }
  | { kind: 'running'; text: string; fraction?: number }
  | { kind: 'done'; text: string }
  | { kind: 'error'; text: string };

export interface FigurePanelProps {
  /** DOM id, also the stem of exported file names. */
  id: string;
  title: string;
  status: PanelStatus;
  /** The figure (built by a `src/plot` builder); absent while nothing is drawn. */
  svg?: SVGSVGElement | undefined;
  /** The CSV of exactly what the figure draws. */
  csv?: string | undefined;
  /** The provenance of the figure's numbers (tasks' documents and command lines), written into its PNG and SVG. */
  provenance?: FigureProvenance;
  /** Stem of the exported files (default: id). */
  fileName?: string | undefined;
  children?: ComponentChildren;
  /** Extra content under the figure (tables, notes). */
  footer?: ComponentChildren;
  /** Called with the host element after the figure is attached (interaction overlays). */
  onAttach?: ((host: HTMLElement, svg: SVGSVGElement) => void) | undefined;
}

/** A titled panel: description, status line, the figure, and PNG/SVG/CSV export buttons. */
export function FigurePanel(props: FigurePanelProps) {
  const host = useRef<HTMLDivElement>(null);
  const [exporting, setExporting] = useState(false);
  const { svg, onAttach } = props;
  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    el.replaceChildren(...(svg === undefined ? [] : [svg]));
    if (svg !== undefined) onAttach?.(el, svg);
  }, [svg, onAttach]);
  const name = props.fileName ?? props.id;
  const titleId = `${props.id}-title`;
  return (
    <section class="panel" id={props.id} aria-labelledby={titleId} data-status={props.status.kind}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
      <p
        class={`status status-${props.status.kind}`}
        role="status"
        aria-live="polite"
        data-testid={`${props.id}-status`}
      >
        {props.status.kind === 'running' && props.status.fraction !== undefined ? (
          <progress max={1} value={props.status.fraction} aria-label={`${props.title}: progress`} />
        ) : null}{' '}
        {props.status.text}
      </p>
      <div class="figure" ref={host} data-testid={`${props.id}-figure`} />
      {props.footer}
      <fieldset class="exports">
        <legend class="visually-hidden">{props.title}: export</legend>
        <button
          type="button"
          disabled={svg === undefined || exporting}
          onClick={async () => {
            if (svg === undefined) return;
            setExporting(true);
            try {
              await downloadPng(svg, name, props.provenance);
            } finally {
              setExporting(false);
            }
          }}
        >
          PNG
        </button>
        <button
          type="button"
          disabled={svg === undefined}
          onClick={() => svg && downloadSvg(svg, name, props.provenance)}
        >
          SVG
        </button>
        <button
          type="button"
          disabled={props.csv === undefined}
          onClick={() => props.csv && downloadCsv(props.csv, name)}
        >
          CSV
        </button>
      </fieldset>
    </section>
  );
}

export interface NumberFieldProps {
  id: string;
  label: ComponentChildren;
  value: number;
  min: number;
  max: number;
  step: number | 'any';
  /** Called with a valid value when the user commits (Enter, blur, spinner, arrow keys). */
  onCommit: (value: number) => void;
  hint?: string;
}

/**
 * A labelled number input. Invalid text is kept visible with an error message
 * (never silently replaced) until the user fixes it.
 */
export function NumberField(props: NumberFieldProps) {
  const [text, setText] = useState(String(props.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText(String(props.value));
    setError(null);
  }, [props.value]);
  const hintId = `${props.id}-hint`;
  const commit = (raw: string) => {
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < props.min || v > props.max) {
      setError(`must be in [${props.min}, ${props.max}]`);
      return;
    }
    if (props.step !== 'any' && Number.isInteger(props.step) && !Number.isInteger(v)) {
      setError('must be an integer');
      return;
    }
    setError(null);
    props.onCommit(v);
  };
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="number"
        inputMode="decimal"
        min={props.min}
        max={props.max}
        step={props.step}
        value={text}
        aria-invalid={error !== null}
        aria-describedby={hintId}
        onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
        onChange={(e) => commit((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit((e.currentTarget as HTMLInputElement).value);
        }}
      />
      <span id={hintId} class={error === null ? 'hint' : 'hint error'}>
        {error ?? props.hint ?? `${props.min} – ${props.max}`}
      </span>
    </div>
  );
}

/** A panel status from a job state (`what` names the computation in messages). */
export function statusOf<T>(job: JobState<T>, what: string, done: (value: T) => string): PanelStatus {
  switch (job.kind) {
    case 'idle':
      return { kind: 'running', text: `${what}: waiting` };
    case 'running':
      return job.progress === undefined
        ? { kind: 'running', text: `${what}: ${job.detail}` }
        : { kind: 'running', text: `${what}: ${job.detail}`, fraction: job.progress };
    case 'error':
      return { kind: 'error', text: `${what} failed: ${job.message}` };
    case 'done':
      return { kind: 'done', text: done(job.value) };
  }
}
