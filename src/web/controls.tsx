/**
 * The explorer's parameter form (THEORY §1): the fields of the view (`state.ts`), each kept in
 * the address bar; switching p lowers N to the new order's limit and says so.
 */
import { useState } from 'preact/hooks';
import { NumberField } from './components.tsx';
import { FIELDS, MAX_N, ORDERS, type ViewState } from './state.ts';
import { update } from './store.ts';

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
