/**
 * The explorer's view state and its URL form. Everything the page shows is a
 * function of this state, so a copied URL restores the same view (issue 7).
 * Parsing is forgiving: a missing or out-of-range value falls back to its
 * default and is reported, so a hand-edited link never breaks the page.
 *
 * The selected point is (Δp, 1/Δ2), the axes of the phase diagram (THEORY §5).
 */

/** Tensor orders with a phase-diagram panel in the papers (THEORY §5: panels p = 3 and p = 4). */
export const ORDERS = [3, 4] as const;
export type Order = (typeof ORDERS)[number];

export interface ViewState {
  /** Tensor order p. */
  readonly p: Order;
  /** Tensor noise variance Δp (x-axis of the phase diagram). */
  readonly deltap: number;
  /** Signal-to-noise ratio of the matrix channel, 1/Δ2 (y-axis). */
  readonly invDelta2: number;
  /** Initial overlap m0 of the large-N run (THEORY §3: m ≡ 0 is invariant, so m0 > 0). */
  readonly m0: number;
  /** Time horizon of both dynamics runs. */
  readonly tmax: number;
  /** Dimension N of the finite-N run. */
  readonly n: number;
  /** Seed of the finite-N instance and initial condition. */
  readonly seed: number;
}

/** A numeric field: its URL key, allowed range and default. */
interface Field {
  readonly key: string;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly label: string;
}

/**
 * The ranges the explorer accepts. The phase-diagram window is Δp ∈ [0.05, 4],
 * 1/Δ2 ∈ [0.05, 4]; m0 must be small but positive; N ≤ 300 keeps the packed
 * tensor of a p = 3 instance at C(300,3) ≈ 4.5·10⁶ entries (18 MB in float32), fine in a worker.
 */
export const FIELDS = {
  deltap: { key: 'dp', min: 0.05, max: 4, integer: false, label: 'Δp' },
  invDelta2: { key: 'snr', min: 0.05, max: 4, integer: false, label: '1/Δ2' },
  m0: { key: 'm0', min: 1e-12, max: 0.5, integer: false, label: 'm0' },
  tmax: { key: 't', min: 1, max: 1000, integer: false, label: 't_max' },
  n: { key: 'n', min: 10, max: 300, integer: true, label: 'N' },
  seed: { key: 'seed', min: 0, max: 2 ** 31 - 1, integer: true, label: 'seed' },
} as const satisfies Record<Exclude<keyof ViewState, 'p'>, Field>;

/**
 * The largest N per order, so that a finite-N gradient flow to t = 100 takes seconds:
 * one gradient costs O(C(N,p)), measured in Node (2 shared cores, loaded) at about
 * 3500 gradients per run. With the JS kernels: p = 3, N = 100: 3 s; N = 150: 9 s;
 * p = 4, N = 60: 12 s; N = 100: 160 s, hence the former caps 150 and 50. With the
 * WebAssembly kernels (src/model, sampled instances use them), measured in one run on
 * the loaded machine (CPU time, flow to t = 100, JS kernels in brackets): p = 3,
 * N = 150: 1.1 s (5.8 s), N = 250: 4.0 s (25.5 s); p = 4, N = 50: 0.6 s (2.6 s),
 * N = 70: 1.8 s (9.4 s), N = 80: 3.6 s (14.7 s). So N = 250 (p = 3) and N = 75 (p = 4)
 * cost no more than the former caps did with the JS kernels. Those are Node timings: the
 * page's workers compile WebAssembly only since its Content-Security-Policy allows
 * 'wasm-unsafe-eval' (before, Chromium refused and the explorer ran the JS kernels: p = 3,
 * N = 250 took 46 s in the page at load ≈ 13). The panel stores the tensor in float32,
 * summed in f32x4 (`api.ts`): in Node (flow to t = 100, two rounds) p = 3 N = 250 float64
 * 4.7–5.2 s, float32 3.3 s at N = 250 and 4.7–5.2 s at N = 300; p = 4 N = 75 gains ≤ 10 %
 * (short blocks: per-block overhead). In the page at load ≈ 13: p = 3 N = 250 19 s, N = 300
 * 22 s, p = 4 N = 75 15 s. So the caps were N = 300 (p = 3) and N = 75 (p = 4). With the
 * grouped and aligned float32 kernels of issue 14 (this session: p = 4 float32 gradient
 * 1.41× float64, was 1.28×), in Node, two interleaved rounds at load ≈ 8 (CPU time, flow to
 * t = 100 from the default state): p = 3 N = 300 6.1 / 6.6 s; p = 4 N = 75 2.1 / 2.6 s,
 * N = 90 4.1 / 4.2 s, N = 100 6.0 / 4.8 s. So p = 4 N = 100 costs what p = 3 N = 300 does:
 * the caps are N = 300 (p = 3) and N = 100 (p = 4) (the page not re-timed).
 */
export const MAX_N: Readonly<Record<Order, number>> = { 3: 300, 4: 100 };

/**
 * The page opens on the papers' running example p = 3, Δp = 1, 1/Δ2 = 3 (above the GF threshold 2).
 * m0 = 1e-6 is small enough that the large-N flow follows the phase diagram: a point picked below
 * the GF threshold stays on the plateau to t_max (from m0 = 0.05 it escaped during the transient).
 */
export const DEFAULT_STATE: ViewState = {
  p: 3,
  deltap: 1,
  invDelta2: 3,
  m0: 1e-6,
  tmax: 100,
  n: 100,
  seed: 1,
};

/** Result of {@link parseState}: the state and the URL parameters that were ignored, with why. */
export interface ParsedState {
  readonly state: ViewState;
  readonly ignored: readonly string[];
}

function parseNumber(text: string): number {
  // Number('') is 0 and Number('0x10') is 16: accept decimal notation only.
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
}

function inRange(field: Field, value: number): boolean {
  return (
    Number.isFinite(value) &&
    value >= field.min &&
    value <= field.max &&
    (!field.integer || Number.isInteger(value))
  );
}

/** Clamp a value into a field's range (integers rounded); used by controls, never by the URL parser. */
export function clampField(name: keyof typeof FIELDS, value: number, p: Order = 3): number {
  const field: Field = FIELDS[name];
  const max = name === 'n' ? Math.min(field.max, MAX_N[p]) : field.max;
  const v = field.integer ? Math.round(value) : value;
  return Math.min(max, Math.max(field.min, v));
}

/**
 * Read the view state from a URL query string (`?p=3&dp=1&snr=3…`).
 * @example
 * parseState('?p=4&dp=0.5&snr=2').state.invDelta2; // 2
 * parseState('?dp=-1').ignored; // ['dp=-1 (Δp must be in [0.05, 4])']
 */
export function parseState(search: string): ParsedState {
  const params = new URLSearchParams(search);
  const ignored: string[] = [];
  const out: { -readonly [K in keyof ViewState]: ViewState[K] } = { ...DEFAULT_STATE };
  const pText = params.get('p');
  if (pText !== null) {
    const p = parseNumber(pText);
    if (p === 3 || p === 4) out.p = p;
    else ignored.push(`p=${pText} (p must be 3 or 4)`);
  }
  for (const [name, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, Field][]) {
    const text = params.get(field.key);
    if (text === null) continue;
    const value = parseNumber(text);
    const max = name === 'n' ? Math.min(field.max, MAX_N[out.p]) : field.max;
    if (inRange({ ...field, max }, value)) out[name] = value;
    else
      ignored.push(
        `${field.key}=${text} (${field.label} must be ${field.integer ? 'an integer ' : ''}in [${field.min}, ${max}])`,
      );
  }
  if (out.n > MAX_N[out.p]) out.n = MAX_N[out.p];
  return { state: out, ignored };
}

/**
 * The canonical query string of a state (fixed key order, shortest round-trip numbers),
 * so equal states give equal URLs.
 * @example
 * formatState(DEFAULT_STATE); // '?p=3&dp=1&snr=3&m0=0.000001&t=100&n=100&seed=1'
 */
export function formatState(state: ViewState): string {
  const parts = [`p=${state.p}`];
  for (const [name, field] of Object.entries(FIELDS) as [keyof typeof FIELDS, Field][]) {
    parts.push(`${field.key}=${String(state[name])}`);
  }
  return `?${parts.join('&')}`;
}

/**
 * Round a coordinate picked with the mouse to 3 significant digits, so the URL and
 * the labels stay readable (the pointer is not more precise than that anyway).
 * @example
 * roundPick(1.23456); // 1.23
 */
export function roundPick(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  return Number(x.toPrecision(3));
}

/** The model parameters of a view state, as the library and the CLI take them (Δ2 = 1/(1/Δ2)). */
export function modelOf(state: ViewState): { p: number; delta2: number; deltap: number } {
  return { p: state.p, delta2: 1 / state.invDelta2, deltap: state.deltap };
}

/** A key naming the model point of a state (jobs that depend only on it rerun exactly when it changes). */
export function modelKey(state: ViewState): string {
  return `${state.p}|${state.deltap}|${state.invDelta2}`;
}
