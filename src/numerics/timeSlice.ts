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

/**
 * Runs a step generator to its end and returns its result (the synchronous form of a solver
 * written as a generator that yields after every step).
 * @example
 * runToEnd((function* () { yield; return 42; })()); // 42
 */
export function runToEnd<R>(steps: Generator<unknown, R>): R {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * {@link runToEnd} that returns to the event loop about every `sliceMs` of work ({@link timeSlice}),
 * so that a flag set by a signal handler or a message, read inside the generator, takes effect.
 * Same steps, same result.
 */
export async function runInSlices<R>(steps: Generator<unknown, R>, sliceMs = 50): Promise<R> {
  const slice = timeSlice(sliceMs);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const turn = slice.tick();
    if (turn) await turn;
  }
}
