/**
 * `--channels` end to end through the tasks (issue 15): validation and exclusivity, the sweep
 * spec, and a 2+p model given as channels equal to the --p/--delta2/--deltap run bit for bit
 * (against theory: channelsTheory.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTask } from '../../test/helpers/runTask.ts';
import { memoryContext } from '../cli/context.ts';
import { main } from '../cli/main.ts';
import { decodeNpz } from '../io/index.ts';
import { expandSpec } from '../sweep/spec.ts';
import { type AnyTask, getTask, tasks } from './index.ts';
import { UsageError } from './usageError.ts';

/** The UsageError a task's validation throws for `raw`. */
function usageError(task: AnyTask, raw: Record<string, unknown>): UsageError {
  try {
    task.validate(raw);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`no UsageError for ${JSON.stringify(raw)}`);
}

/** A JSON value with every `channels` key removed (the one field a --channels run adds). */
function withoutChannels(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'channels' ? undefined : v));
}

describe('--channels: parsing and exclusivity (exit 2 naming the flag)', () => {
  it('is exclusive with --p/--delta2/--deltap on every command that takes it', () => {
    for (const name of ['sample', 'flow', 'amp', 'dmft', 'landscape', 'thresholds'] as const) {
      const task = getTask(name)!;
      expect(task.flags.channels?.name, name).toBe('--channels');
      for (const key of ['p', 'delta2', 'deltap']) {
        if (!(key in task.flags)) continue;
        const error = usageError(task, { channels: '2:0.5,3:2', [key]: key === 'p' ? 3 : 1 });
        expect(error.flag, `${name} --${key}`).toBe(`--${key}`);
        expect(error.message).toMatch(/cannot be combined with --channels/);
      }
    }
    expect(usageError(tasks['phase-diagram'], { channels: '3:*,4:4', p: 3 }).flag).toBe('--p');
  });

  it('refuses malformed sets, naming --channels', () => {
    const bad: [string, RegExp][] = [
      ['2:0.5,2:1', /order 2 is given twice/],
      ['1:0.5', /integers in \[2, 12\]/],
      ['3.5:1', /order:Δ pairs/],
      ['13:1', /integers in \[2, 12\]/],
      ['3:0', /order-3 channel must be a real number > 0 or inf/],
      ['3:-1', /order-3 channel must be/],
      ['3:x', /order-3 channel must be/],
      ['3:inf,4:inf', /every channel is switched off/],
      ['3:1,', /order:Δ pairs/],
      ['', /order:Δ pairs/],
    ];
    for (const [text, message] of bad) {
      const error = usageError(tasks.dmft, { channels: text });
      expect(error.flag, text).toBe('--channels');
      expect(error.message, text).toMatch(message);
    }
    // Orders above N, Δ out of the threshold lines' range, and phase-diagram's one swept channel.
    expect(usageError(tasks.sample, { channels: '2:1,3:1,6:1', n: 5 }).message).toMatch(
      /must not exceed --n \(5\)/,
    );
    expect(usageError(tasks.thresholds, { channels: '3:1e-9' }).flag).toBe('--channels');
    expect(usageError(tasks['phase-diagram'], { channels: '3:2,4:4' }).message).toMatch(
      /exactly that Δ as \*/,
    );
    expect(usageError(tasks['phase-diagram'], { channels: '2:*,3:1' }).message).toMatch(/1\/Δ2 axis/);
    expect(usageError(tasks['phase-diagram'], { channels: '2:1,3:*' }).message).toMatch(/1\/Δ2 axis/);
    // The numerics' own limits, per channel: stiffness (f''(1)·tmax), state evolution, Kac–Rice.
    expect(usageError(tasks.dmft, { channels: '2:1,3:1e-9' }).message).toMatch(
      /^--channels: makes the dynamics too stiff/,
    );
    expect(usageError(tasks.flow, { channels: '2:1,3:1e-9', n: 10 }).flag).toBe('--channels');
    expect(usageError(tasks.amp, { channels: '2:1,3:1e-301', seOnly: true }).message).toMatch(
      /order-3 channel must be in/,
    );
    expect(usageError(tasks.landscape, { channels: '2:1,4:1e-300' }).message).toMatch(
      /order-4 channel must be in/,
    );
  });

  it('is recorded in the parameters, and sweep specs grid over it', () => {
    const p = tasks.dmft.validate({ channels: '4:4,2:0.5,3:2' });
    expect(p).toMatchObject({
      p: 3,
      delta2: 0.5,
      deltap: 2,
      channels: [
        { order: 2, delta: 0.5 },
        { order: 3, delta: 2 },
        { order: 4, delta: 4 },
      ],
    });
    const sweep = expandSpec(
      { command: 'thresholds', grid: { channels: ['3:2,4:4', '3:1,4:4'] } },
      getTask,
      '0.1.0',
      ['thresholds'],
    );
    expect(sweep.tasks).toHaveLength(2);
    expect(new Set(sweep.tasks.map((t) => t.id)).size).toBe(2);
    expect(sweep.tasks[1].raw).toEqual({ channels: '3:1,4:4' });
  });
});

describe('a 2+p model given as --channels equals the --p/--delta2/--deltap run bit for bit', () => {
  const twoPlusP = { p: 4, delta2: 0.5, deltap: 3 };
  const channels = '2:0.5,4:3';

  it('sample: the same arrays in the NPZ', async () => {
    const a = await runTask(tasks.sample, { n: 12, ...twoPlusP, seed: 5 });
    const b = await runTask(tasks.sample, { n: 12, channels, seed: 5 });
    expect(withoutChannels(b.document)).toEqual(a.document);
    const ea = decodeNpz(a.files['instance.npz'] as Uint8Array);
    const eb = decodeNpz(b.files['instance.npz'] as Uint8Array);
    expect(Object.keys(eb).sort()).toEqual(Object.keys(ea).sort());
    for (const name of Object.keys(ea))
      if (name !== 'params') expect(Array.from(eb[name].data), name).toEqual(Array.from(ea[name].data));
  });

  for (const [name, raw] of [
    ['flow', { n: 20, tmax: 5, observations: 20, hessianEvery: 5 }],
    ['flow', { n: 20, tmax: 2, method: 'langevin', observations: 10 }],
    ['amp', { n: 30, iters: 20 }],
    ['amp', { variant: 'bayes', n: 30, iters: 20 }],
    ['amp', { seOnly: true, iters: 20 }],
    ['dmft', { tmax: 5, grid: 'fixed', h: 0.1 }],
    ['dmft', { tmax: 1, m0: 0.01 }],
    ['landscape', { points: 21, spectrumPoints: 5 }],
  ] as const) {
    it(`${name} ${JSON.stringify(raw)}: same document and files`, async () => {
      const task = tasks[name] as AnyTask;
      const a = await runTask(task, { ...raw, ...twoPlusP });
      const b = await runTask(task, { ...raw, channels });
      expect(withoutChannels(b.document)).toEqual(withoutChannels(a.document));
      expect(Object.keys(b.files)).toEqual(Object.keys(a.files));
      for (const file of Object.keys(a.files)) {
        const fa = a.files[file];
        const fb = b.files[file];
        if (file === 'params.json')
          expect(withoutChannels(JSON.parse(fb as string))).toEqual(JSON.parse(fa as string));
        else expect(fb, file).toEqual(fa);
      }
      expect(String(b.files['params.json'] ?? JSON.stringify(b.document))).toContain('"channels"');
    });
  }
});

describe('figures of a channel model', () => {
  it('carry the channel set in their title (dmft, phase-diagram)', async () => {
    const dmft = await tasks.dmft.execute(
      tasks.dmft.validate({ channels: '2:0.5,3:2,4:4', tmax: 1, grid: 'fixed', h: 0.1 }),
    );
    const figure = await dmft.figure!();
    expect((figure.spec.data as { model?: string }).model).toBe('tensor channels Δ3 = 2, Δ4 = 4');
    const pd = await tasks['phase-diagram'].execute(
      tasks['phase-diagram'].validate({ channels: '3:*,4:4', points: 2 }),
    );
    const panel = ((await pd.figure!()).spec.data as unknown as { title?: string }[])[0];
    expect(panel.title).toBe('x axis: Δ3; Δ4 = 4');
  });
});

describe('multi-channel instance files through the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-channels-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = async (...args: string[]) => {
    const ctx = memoryContext();
    const status = await main(['node', 'saddlesurf', ...args], ctx);
    return { status, out: ctx.out, err: ctx.err };
  };

  it('sample writes tensor4/delta4; flow --instance reads it and equals the sampled run', async () => {
    const file = join(dir, 'three.npz');
    const channels = '2:0.3333,3:2,4:4';
    expect(
      (await cli('sample', '--n', '14', '--channels', channels, '--seed', '3', '--out', file)).status,
    ).toBe(0);
    const flowArgs = ['flow', '--tmax', '3', '--observations', '5', '--seed', '3', '--json'];
    const fromFile = await cli(...flowArgs, '--instance', file);
    const sampled = await cli(...flowArgs, '--n', '14', '--channels', channels);
    expect(fromFile.status, fromFile.err).toBe(0);
    const a = JSON.parse(fromFile.out);
    const b = JSON.parse(sampled.out);
    expect(a.final).toEqual(b.final);
    // The file's channel set is recorded although --channels was not given.
    expect(a.parameters.channels).toEqual(b.parameters.channels);
    // Given with the file, --channels must agree (exit 2 naming it).
    const clash = await cli(...flowArgs, '--instance', file, '--channels', '2:0.3333,3:2');
    expect(clash.status).toBe(2);
    expect(clash.err).toMatch(/--channels: is 2:0.3333,3:2 but the instance file has 2:0.3333,3:2,4:4/);
    const wrongN = await cli(...flowArgs, '--instance', file, '--channels', channels, '--n', '15');
    expect(wrongN.err).toMatch(/--n: is 15 but the instance file has 14/);
    // Model flags cannot describe a file with extra channels: refused rather than half-checked.
    const partial = await cli(...flowArgs, '--instance', file, '--p', '3');
    expect(partial.status).toBe(2);
    expect(partial.err).toMatch(
      /--p: the instance file has the channels 2:0.3333,3:2,4:4; name them with --channels/,
    );
    const both = await cli(...flowArgs, '--channels', channels, '--deltap', '1');
    expect(both.status).toBe(2);
    expect(both.err).toMatch(/--deltap: cannot be combined with --channels/);
  });
});
