/**
 * Instances with several tensor channels (issue 15): the channel set → model map, the draw,
 * the loss summed over channels (against a brute-force oracle and finite differences) and the
 * NPZ entries `tensor<k>` / `delta<k>`.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../random/index.ts';
import {
  type Channel,
  channelCovariance,
  modelCovariance,
  modelFromChannels,
  validateChannels,
} from './covariance.ts';
import { type Instance, sampleInstance } from './instance.ts';
import { instanceFromNpzEntries, instanceToNpzEntries } from './instanceEntries.ts';
import { energy, gradient, hessian, hessianVectorProduct, riemannianHessian } from './loss.ts';
import { binomial, unpackIndex } from './packed.ts';
import { randomPointOnSphere } from './sphere.ts';

const THREE: Channel[] = [
  { order: 2, delta: 0.5 },
  { order: 3, delta: 2 },
  { order: 4, delta: 4 },
];

function sample(channels: ReadonlyArray<Channel>, n: number, seed = 3, precision?: 'float32'): Instance {
  return sampleInstance({ n, ...modelFromChannels(channels), seed, precision });
}

describe('modelFromChannels', () => {
  it('puts the lowest tensor order in p/deltap and the rest in extraTensors, whatever the input order', () => {
    expect(modelFromChannels([THREE[2], THREE[0], THREE[1]])).toEqual({
      p: 3,
      delta2: 0.5,
      deltap: 2,
      extraTensors: [{ order: 4, delta: 4 }],
    });
    // 2+p as channels is the 2+p model; switched-off channels drop out.
    expect(
      modelFromChannels([
        { order: 2, delta: 0.3 },
        { order: 5, delta: 1 },
      ]),
    ).toEqual({
      p: 5,
      delta2: 0.3,
      deltap: 1,
      extraTensors: [],
    });
    expect(
      modelFromChannels([
        { order: 3, delta: Infinity },
        { order: 4, delta: 2 },
        { order: 6, delta: 1 },
      ]),
    ).toEqual({ p: 4, delta2: Infinity, deltap: 2, extraTensors: [{ order: 6, delta: 1 }] });
    expect(modelFromChannels([{ order: 2, delta: 1 }])).toEqual({
      p: 3,
      delta2: 1,
      deltap: Infinity,
      extraTensors: [],
    });
  });

  it('refuses invalid sets with a message naming the problem', () => {
    expect(() =>
      validateChannels([
        { order: 2, delta: 1 },
        { order: 2, delta: 2 },
      ]),
    ).toThrow(/order 2 given twice/);
    expect(() => validateChannels([{ order: 1, delta: 1 }])).toThrow(/integer ≥ 2/);
    expect(() => validateChannels([{ order: 3.5, delta: 1 }])).toThrow(/integer ≥ 2/);
    expect(() => validateChannels([{ order: 3, delta: 0 }])).toThrow(/order-3 channel must be > 0/);
    expect(() => validateChannels([{ order: 3, delta: Infinity }])).toThrow(/switched off/);
  });

  it('gives the covariance of THEORY §1.1 summed over every channel', () => {
    const a = modelCovariance(modelFromChannels(THREE));
    const b = channelCovariance(THREE);
    for (const z of [0.1, 0.5, 1]) {
      expect(a.f(z)).toBe(b.f(z));
      // Closed form: z²/(2·0.5) + z³/(3·2) + z⁴/(4·4).
      expect(a.f(z)).toBeCloseTo(z ** 2 + z ** 3 / 6 + z ** 4 / 16, 15);
    }
  });
});

describe('multi-channel instances', () => {
  it('draw the signal, matrix and order-p tensor exactly as the 2+p model (extra channels: streams 3, 4, …)', () => {
    const three = sample(THREE, 12);
    const twoPlusP = sampleInstance({ n: 12, p: 3, delta2: 0.5, deltap: 2, seed: 3 });
    expect(three.signal).toEqual(twoPlusP.signal);
    expect(three.matrix).toEqual(twoPlusP.matrix);
    expect(three.tensor).toEqual(twoPlusP.tensor);
    expect(three.extraTensors?.map((c) => [c.order, c.delta, c.tensor.length])).toEqual([
      [4, 4, binomial(12, 4)],
    ]);
    // The 2+p model given as channels is the same instance, bit for bit, with no extra entry.
    const asChannels = sample(THREE.slice(0, 2), 12);
    expect(asChannels).toEqual(twoPlusP);
    expect(Object.keys(instanceToNpzEntries(asChannels)).sort()).toEqual(
      Object.keys(instanceToNpzEntries(twoPlusP)).sort(),
    );
  });

  it('have an energy equal to the brute-force sum over channels and tuples (THEORY §1)', () => {
    const channels: Channel[] = [
      { order: 2, delta: 0.7 },
      ...[3, 4, 5].map((order) => ({ order, delta: order / 2 })),
    ];
    const n = 9;
    const inst = sample(channels, n, 5);
    const x = randomPointOnSphere(n, Rng.fromSeed(11));
    // Oracle: H = −Σ_{i<j} Y_ij x_i x_j/(Δ2√N) − Σ_k √((k−1)!)/(Δk N^{(k−1)/2}) Σ_r T^{(k)}_r Π x, by rank.
    let h = 0;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) h -= (inst.matrix![i * n + j] * x[i] * x[j]) / (0.7 * Math.sqrt(n));
    const tensors = [
      { order: inst.p, delta: inst.deltap, tensor: inst.tensor! },
      ...(inst.extraTensors ?? []),
    ];
    expect(tensors.map((c) => c.order)).toEqual([3, 4, 5]);
    for (const c of tensors) {
      let fact = 1;
      for (let j = 2; j < c.order; j++) fact *= j;
      const scale = Math.sqrt(fact) / (c.delta * n ** ((c.order - 1) / 2));
      for (let r = 0; r < c.tensor.length; r++) {
        let prod = c.tensor[r];
        for (const i of unpackIndex(n, c.order, r)) prod *= x[i];
        h -= scale * prod;
      }
    }
    // Same sum in another order: agreement to a few ulps of the terms (|terms| ≲ 10).
    expect(energy(inst, x)).toBeCloseTo(h, 12);
  });

  it('have gradients and Hessians equal to finite differences of the energy (three and four channels)', () => {
    for (const [channels, n] of [
      [THREE, 14],
      [
        [
          { order: 3, delta: 1 },
          { order: 4, delta: 0.5 },
          { order: 6, delta: 2 },
        ],
        11,
      ],
    ] as const) {
      const inst = sample(channels, n, 7);
      const x = randomPointOnSphere(n, Rng.fromSeed(2));
      const g = new Float64Array(n);
      const h0 = gradient(inst, x, g);
      expect(h0).toBeCloseTo(energy(inst, x), 12);
      // Central differences with step 1e-5: truncation O(ε² ∂³H) ~ 1e-10·|H| ≲ 1e-8, rounding
      // ~1e-16·|H|/ε ~ 1e-10; a relative 1e-6 is far above both and far below any channel's share.
      const eps = 1e-5;
      const fd = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const xp = x.slice();
        const xm = x.slice();
        xp[i] += eps;
        xm[i] -= eps;
        fd[i] = (energy(inst, xp) - energy(inst, xm)) / (2 * eps);
      }
      const rel = (a: Float64Array, b: Float64Array) =>
        Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / b.reduce((s, v) => s + v * v, 0));
      expect(rel(g, fd)).toBeLessThan(1e-6);
      // Hessian: columns by central differences of the gradient, same step and tolerance.
      const dense = hessian(inst, x);
      const v = randomPointOnSphere(n, Rng.fromSeed(4));
      const hv = new Float64Array(n);
      hessianVectorProduct(inst, x, v, hv);
      const gp = new Float64Array(n);
      const gm = new Float64Array(n);
      const xp = x.map((xi, i) => xi + eps * v[i]);
      const xm = x.map((xi, i) => xi - eps * v[i]);
      gradient(inst, xp, gp);
      gradient(inst, xm, gm);
      const fdHv = gp.map((a, i) => (a - gm[i]) / (2 * eps));
      expect(rel(hv, fdHv)).toBeLessThan(1e-6);
      const denseHv = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) denseHv[i] += dense[i * n + j] * v[j];
      expect(rel(denseHv, fdHv)).toBeLessThan(1e-6);
      // Each channel carries weight: dropping the highest one changes the gradient by far more.
      const fewer = { ...inst, extraTensors: inst.extraTensors!.slice(0, -1) };
      const g2 = new Float64Array(n);
      gradient(fewer, x, g2);
      expect(rel(g2, fd)).toBeGreaterThan(1e-3);
    }
  });

  it('have H(x*)/N ≈ −f(1) of the channel covariance at moderate N (THEORY §1.1)', () => {
    const n = 60;
    const inst = sample(THREE, n, 9);
    // E[H(x*)]/N = −f(1) + O(1/N) (tuples with repeated indices are missing); the noise is
    // Gaussian with standard deviation √(2 f(1)/N)·O(1) ≈ 0.2; 0.6 ≈ 3σ.
    expect(Math.abs(energy(inst, inst.signal) / n + modelCovariance(inst).f(1))).toBeLessThan(0.6);
    expect(riemannianHessian(inst, inst.signal).length).toBe(n * n);
  });
});

describe('multi-channel NPZ entries', () => {
  it('round-trip as tensor<k>/delta<k> in both precisions', () => {
    for (const precision of [undefined, 'float32'] as const) {
      const inst = sample(THREE, 10, 1, precision);
      const entries = instanceToNpzEntries(inst);
      expect(Object.keys(entries)).toContain('tensor4');
      expect(entries.delta4.data[0]).toBe(4);
      const back = instanceFromNpzEntries(entries);
      expect(back.extraTensors?.[0].order).toBe(4);
      expect(Array.from(back.extraTensors![0].tensor)).toEqual(Array.from(inst.extraTensors![0].tensor));
      const x = randomPointOnSphere(10, Rng.fromSeed(1));
      expect(energy(back, x)).toBe(energy(inst, x));
    }
  });

  it('refuse inconsistent extra entries, naming them', () => {
    const entries = instanceToNpzEntries(sample(THREE, 10));
    const without = (name: string) => Object.fromEntries(Object.entries(entries).filter(([k]) => k !== name));
    expect(() => instanceFromNpzEntries(without('delta4'))).toThrow(/'tensor4' entry but no 'delta4'/);
    expect(() => instanceFromNpzEntries(without('tensor4'))).toThrow(/'delta4' entry but no 'tensor4'/);
    const scalar = (v: number) => ({ data: Float64Array.of(v), shape: [] });
    expect(() => instanceFromNpzEntries({ ...entries, delta4: scalar(Infinity) })).toThrow(
      /'delta4' must be finite/,
    );
    expect(() =>
      instanceFromNpzEntries({ ...entries, tensor4: { data: new Float64Array(5), shape: [5] } }),
    ).toThrow(/'tensor4' must be a packed .* C\(10, 4\) = 210/);
    const bad = new Float64Array(entries.tensor4.data);
    bad[7] = Number.NaN;
    expect(() => instanceFromNpzEntries({ ...entries, tensor4: { data: bad, shape: [bad.length] } })).toThrow(
      /'tensor4' has a non-finite value at index 7/,
    );
    // An extra order must exceed p (the lowest tensor order is stored as `tensor`).
    const again = { ...entries, tensor3: entries.tensor, delta3: scalar(1) };
    expect(() => instanceFromNpzEntries(again)).toThrow(/'tensor3': extra tensor orders must exceed p = 3/);
    const mixed = { ...entries, tensor4: { data: Float32Array.from(entries.tensor4.data), shape: [210] } };
    expect(() => instanceFromNpzEntries(mixed)).toThrow(/one precision/);
  });
});
