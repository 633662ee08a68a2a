/**
 * Time slicing for long synchronous computations driven from async code: `tick()` is cheap and
 * returns undefined until about `sliceMs` of work has passed since the last turn of the event
 * loop; then it returns a promise that resolves after one (a zero-delay timer), so that a signal
 * handler, a worker message or a cancellation timer can run. One mechanism for the sampler, the
 * descents, AMP, the census and the tasks' cooperative checkpoints.
 * @example
 * const slice = timeSlice(50);
 * for (const step of steps) {
 *   const turn = slice.tick();
 *   if (turn) { await turn; if (shouldStop()) break; }
 * }
 */
export function timeSlice(sliceMs = 50): { tick(): Promise<void> | undefined } {
  let last = performance.now();
  return {
    tick() {
      if (performance.now() - last <= sliceMs) return undefined;
      return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => {
        last = performance.now();
      });
    },
  };
}
