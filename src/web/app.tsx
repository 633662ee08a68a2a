/**
 * The explorer page (issue 7): pick (Δp, 1/Δ2) on the phase diagram (THEORY §5)
 * and watch the large-N gradient-flow dynamics (§3), the landscape (§4) and the
 * thresholds respond. All numerics run in Web Workers with the library code the
 * CLI uses; the figures come from the shared `src/plot` builders.
 */
import { useEffect } from 'preact/hooks';
import { Controls } from './controls.tsx';
import { DynamicsPanel } from './dynamicsPanel.tsx';
import { LandscapePanels, ThresholdTable, useLandscapeJob } from './landscapePanels.tsx';
import type { Lane, Lanes } from './lane.ts';
import { PhasePanel } from './phasePanel.tsx';
import { ignoredParams, view } from './store.ts';

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
