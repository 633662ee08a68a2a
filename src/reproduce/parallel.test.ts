import { describe, expect, it } from 'vitest';
import { QUICK } from './config.ts';
import { runStagesParallel } from './parallel.ts';
import { reproduceStages } from './run.ts';

describe('runStagesParallel', () => {
  it('gives exactly the sequential results (quick preset) on 2 threads', async () => {
    const sequential = reproduceStages(QUICK).map((s) => s.run(() => {}));
    const progress: number[] = [];
    const parallel = await runStagesParallel(QUICK, {
      workers: 2,
      onProgress: (done) => progress.push(done),
    });
    // toStrictEqual: same numbers bit for bit (Object.is on every leaf), same typed arrays
    expect(parallel).toStrictEqual(sequential);
    expect(progress).toEqual(progress.map((_, i) => i + 1));
    // Four independent stages, the anneal and census stages when the preset has them, and every escape-time point.
    const total =
      4 +
      (QUICK.anneal === undefined ? 0 : 1) +
      (QUICK.census === undefined ? 0 : 1) +
      [...QUICK.escape.gf, ...QUICK.escape.langevin].reduce(
        (s, c) => s + c.invDelta2.length + (c.near?.length ?? 0),
        0,
      );
    expect(progress.at(-1)).toBe(total);
  }, 180_000);

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const running = runStagesParallel(QUICK, { workers: 1, signal: controller.signal });
    controller.abort('SIGINT');
    await expect(running).rejects.toBe('SIGINT');
  }, 60_000);
});
