/**
 * The explorer's parameter form (THEORY §1): the fields of the view (`state.ts`), each kept in
 * the address bar; switching p lowers N to the new order's limit and says so.
 */
import { useState } from 'preact/hooks';
import { NumberField } from './components.tsx';
import { FIELDS, MAX_N, ORDERS, type ViewState } from './state.ts';
import { update } from './store.ts';

/** The numeric fields in page order: the view's key, its label, the input's step. */
const FORM_FIELDS: readonly [name: keyof typeof FIELDS, label: string, step: number | 'any'][] = [
  ['deltap', 'Δp (tensor noise)', 0.01],
  ['invDelta2', '1/Δ2 (matrix signal-to-noise)', 0.01],
  ['m0', 'm0 (initial overlap)', 'any'],
  ['tmax', 't_max (time horizon)', 'any'],
  ['n', 'N (finite-N run)', 1],
  ['seed', 'seed (finite-N run)', 1],
];

/** The view's fields: p, Δp, 1/Δ2, m0, t_max, N, seed (`state.ts`), kept in the address bar. */
export function Controls({ state }: { state: ViewState }) {
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
      {FORM_FIELDS.map(([name, label, step]) => (
        <NumberField
          key={name}
          id={name === 'invDelta2' ? 'snr' : name}
          label={label}
          value={state[name]}
          min={FIELDS[name].min}
          max={name === 'n' ? MAX_N[state.p] : FIELDS[name].max}
          step={step}
          onCommit={(value) => update({ [name]: value })}
        />
      ))}
      {notice === undefined ? null : (
        <p class="note" role="status" data-testid="n-notice">
          {notice}
        </p>
      )}
    </form>
  );
}
