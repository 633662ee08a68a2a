import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { Lane, Superseded } from './lane.ts';

/**
 * A stand-in for a module worker: Comlink over a MessageChannel, with `terminate` recorded.
 * `slow(x)` answers only when `release()` is called, like a long task, and rejects when
 * `cancel()` aborts it (as worker.ts aborts the task's signal); `stuck(x)` ignores `cancel()`,
 * like a worker busy in a stretch without a check.
 */
function fakeWorkers() {
  const made: { terminated: boolean; cancels: number; release: () => void }[] = [];
  const factory = () => {
    const { port1, port2 } = new MessageChannel();
    const entry = { terminated: false, cancels: 0, release: () => release() };
    let release = () => {};
    let abort = () => {};
    Comlink.expose(
      {
        double: (x: number) => 2 * x,
        slow: (x: number) =>
          new Promise<number>((resolve, reject) => {
            release = () => resolve(x);
            abort = () => reject(Object.assign(new Error('cancelled'), { name: 'TaskCancelledError' }));
          }),
        stuck: (x: number) =>
          new Promise<number>((resolve) => {
            release = () => resolve(x);
          }),
        cancel: () => {
          entry.cancels++;
          abort();
        },
      },
      port2,
    );
    made.push(entry);
    // A MessagePort is an EventTarget: the lane's 'error' listener attaches to it harmlessly.
    const fake = Object.assign(port1, {
      terminate() {
        entry.terminated = true;
        port1.close();
        port2.close();
      },
    });
    return fake as unknown as Worker;
  };
  return { made, factory };
}

type FakeApi = {
  double(x: number): number;
  slow(x: number): Promise<number>;
  stuck(x: number): Promise<number>;
};
const remote = (r: unknown) => r as Comlink.Remote<FakeApi>;
const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms));

describe('Lane', () => {
  it('runs jobs on one worker, reusing it while idle', async () => {
    const { made, factory } = fakeWorkers();
    const lane = new Lane(factory);
    expect(await lane.run((r) => remote(r).double(21))).toBe(42);
    expect(await lane.run((r) => remote(r).double(5))).toBe(10);
    expect(made).toHaveLength(1);
    expect(lane.busy).toBe(false);
    lane.cancel(); // idle: nothing to stop
    expect(made[0]!.terminated).toBe(false);
    expect(made[0]!.cancels).toBe(0);
    lane.dispose();
    expect(made[0]!.terminated).toBe(true);
  });

  it("stops a busy job through the task's signal and runs the new one on the same worker", async () => {
    const { made, factory } = fakeWorkers();
    const lane = new Lane(factory);
    const first = lane.run((r) => remote(r).slow(1));
    // Let Comlink deliver the call before superseding it.
    await tick();
    expect(lane.busy).toBe(true);
    const second = lane.run((r) => remote(r).slow(2));
    await expect(first).rejects.toBeInstanceOf(Superseded);
    await tick();
    expect(made).toHaveLength(1);
    expect(made[0]!.cancels).toBe(1);
    expect(made[0]!.terminated).toBe(false);
    made[0]!.release();
    expect(await second).toBe(2);
    expect(lane.stats).toEqual({ cancelledBySignal: 1, terminated: 0 });
    expect(lane.busy).toBe(false);
    lane.dispose();
  });

  it('terminates the worker when a cancelled job does not stop within the grace time', async () => {
    const { made, factory } = fakeWorkers();
    const lane = new Lane(factory, 50);
    const first = lane.run((r) => remote(r).stuck(1));
    await tick();
    const second = lane.run((r) => remote(r).slow(2));
    await expect(first).rejects.toBeInstanceOf(Superseded);
    await tick(120);
    expect(made).toHaveLength(2);
    expect(made[0]!.terminated).toBe(true);
    expect(made[1]!.terminated).toBe(false);
    made[1]!.release();
    expect(await second).toBe(2);
    expect(lane.stats).toEqual({ cancelledBySignal: 0, terminated: 1 });
    lane.dispose();
  });

  it('rejects a job superseded while the previous one is still stopping, without running it', async () => {
    const { made, factory } = fakeWorkers();
    const lane = new Lane(factory, 50);
    const first = lane.run((r) => remote(r).stuck(1));
    await tick();
    let ran = false;
    const second = lane.run((r) => {
      ran = true;
      return remote(r).double(2);
    });
    const third = lane.run((r) => remote(r).double(3));
    await expect(first).rejects.toBeInstanceOf(Superseded);
    await expect(second).rejects.toBeInstanceOf(Superseded);
    expect(await third).toBe(6);
    expect(ran).toBe(false);
    expect(made).toHaveLength(2);
    lane.dispose();
  });
});
