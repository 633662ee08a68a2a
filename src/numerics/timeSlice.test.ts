import { describe, expect, it } from 'vitest';
import { runInSlices, runToEnd, timeSlice } from './timeSlice.ts';

describe('timeSlice', () => {
  it('returns nothing within the slice, then one turn of the event loop in which timers run', async () => {
    const slice = timeSlice(20);
    // Within the first 20 ms of work no turn is due (a 0-length busy loop here).
    expect(slice.tick()).toBeUndefined();
    let fired = false;
    setTimeout(() => {
      fired = true;
    }, 0);
    const start = performance.now();
    while (performance.now() - start < 25) {
      // busy: the timer cannot fire during synchronous work
    }
    expect(fired).toBe(false);
    const turn = slice.tick();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    expect(fired).toBe(true);
    // The slice restarts after the turn.
    expect(slice.tick()).toBeUndefined();
  });
});

describe('runToEnd / runInSlices', () => {
  function* count(n: number): Generator<void, number> {
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += i;
      yield;
    }
    return s;
  }

  it('return the generator result; the sliced form lets a timer run while it works', async () => {
    expect(runToEnd(count(1000))).toBe(499500);
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    // Steps of ~1 ms each for ~30 ms with 5 ms slices: the zero-delay timer must fire before the end.
    function* slow(): Generator<void, boolean> {
      for (let i = 0; i < 30; i++) {
        const t = performance.now();
        while (performance.now() - t < 1);
        yield;
      }
      return timerRan;
    }
    expect(await runInSlices(slow(), 5)).toBe(true);
    expect(await runInSlices(count(1000), 5)).toBe(499500);
  });
});
