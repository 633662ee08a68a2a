/**
 * The page's reactive state: the view (kept in sync with the URL) and helpers to
 * change it. Components read `view.value`; every change writes the canonical query
 * string with `history.replaceState`, so the address bar is always a shareable link
 * to what is on screen, and Back/Forward (popstate) restore earlier links.
 */
import { signal } from '@preact/signals';
import { formatState, parseState, type ViewState } from './state.ts';

const initial = parseState(globalThis.location?.search ?? '');

/** What the page shows. */
export const view = signal<ViewState>(initial.state);

/** URL parameters that were ignored when the page loaded (shown once, so a bad link is visible). */
export const ignoredParams = signal<readonly string[]>(initial.ignored);

/** Change part of the view; the URL follows. */
export function update(patch: Partial<ViewState>): void {
  const next = { ...view.value, ...patch };
  const same = (Object.keys(next) as (keyof ViewState)[]).every((k) => next[k] === view.value[k]);
  if (!same) view.value = next;
}

/** Keep the address bar in sync (called once at start-up). */
export function syncUrl(): () => void {
  const unsubscribe = view.subscribe((state) => {
    const query = formatState(state);
    if (location.search !== query)
      history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
  });
  const onPop = () => {
    const parsed = parseState(location.search);
    view.value = parsed.state;
    ignoredParams.value = parsed.ignored;
  };
  addEventListener('popstate', onPop);
  return () => {
    unsubscribe();
    removeEventListener('popstate', onPop);
  };
}
