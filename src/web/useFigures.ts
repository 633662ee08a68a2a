/**
 * The figure builders, loaded as a separate chunk right when the page starts
 * (see `figures.ts`). Components get `undefined` until it has arrived and re-render then.
 */
import { useEffect, useState } from 'preact/hooks';

export type Figures = typeof import('./figures.ts');

let loaded: Figures | undefined;
const loading: Promise<Figures> = import('./figures.ts').then((m) => {
  loaded = m;
  return m;
});

/** The figure builders, or undefined while their chunk is loading. */
export function useFigures(): Figures | undefined {
  const [figures, setFigures] = useState<Figures | undefined>(loaded);
  useEffect(() => {
    if (figures !== undefined) return;
    let live = true;
    loading.then((m) => {
      if (live) setFigures(m);
    });
    return () => {
      live = false;
    };
  }, [figures]);
  return figures;
}
