import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { Lane, Superseded } from './lane.ts';

/**
 * A stand-in for a module worker: Comlink over a MessageChannel, with `terminate`
 * recorded. `slow(x)` answers only when `release()` is called, like a long run.
 */
function fakeWorkers() {
  const made: { terminated: boolean; release: () => void }[] = [];
  const factory = () => {
    const { port1, port2 } = new MessageChannel();
    let release = () => {};
    const entry = { terminated: false, release: () => release() };
    Comlink.expose(
      {
        double: (x: number) => 2 * x,
        slow: (x: number) =>
          new Promise<number>((resolve) => {
            release = () => resolve(x);
          }),
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

type FakeApi = { double(x: number): number; slow(x: number): Promise<number> };

describe('Lane', () => {
  it('runs jobs on one worker, reusing it while idle', async () => {
    const { made, factory } = fakeWorkers();
    const lane = new Lane(factory);
    const remote = (r: unknown) => r as Comlink.Remote<FakeApi>;
    expect(await lane.run((r) => remote(r).double(21))).toBe(42);
    expect(await lane.run((r) => remote(r).double(5))).toBe(10);
    expect(made).toHaveLength(1);
    expect(lane.busy).toBe(false);
    lane.cancel(); // idle: nothing to stop
    expect(made[0]!.terminated).toBe(false);
    lane.dispose();
    expect(made[0]!.terminated).toBe(true);
  });

  it('terminates a busy worker when a new job comes, rejecting the old one with Superseded', async () => {
    const { made, factory } = fakeWorkers();
    const lane = new Lane(factory);
    const remote = (r: unknown) => r as Comlink.Remote<FakeApi>;
    const first = lane.run((r) => remote(r).slow(1));
    // Let Comlink deliver the call before superseding it.
    await new Promise((r) => setTimeout(r, 20));
    expect(lane.busy).toBe(true);
    const second = lane.run((r) => remote(r).slow(2));
    await expect(first).rejects.toBeInstanceOf(Superseded);
    expect(made).toHaveLength(2);
    expect(made[0]!.terminated).toBe(true);
    expect(made[1]!.terminated).toBe(false);
    await new Promise((r) => setTimeout(r, 20));
    made[1]!.release();
    expect(await second).toBe(2);
    expect(lane.busy).toBe(false);
    lane.dispose();
  });
});
