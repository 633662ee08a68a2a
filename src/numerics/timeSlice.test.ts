import { describe, expect, it } from 'vitest';
import { timeSlice } from './timeSlice.ts';

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
