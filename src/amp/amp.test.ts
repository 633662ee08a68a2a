import { beforeAll, describe, expect, it } from 'vitest';
import { symmetricEigen } from '../linalg/index.ts';
import { type Instance, riemannianGradient, sampleInstance } from '../model/index.ts';
import { Rng } from '../random/index.ts';
import { type AmpVariant, runAmp } from './amp.ts';
import { bayesStateEvolution, mlStateEvolution } from './stateEvolution.ts';

// Parameters of the state-evolution comparisons: p = 3, 1/Δ2 = 2.5, Δp = 1. ML starts at
// m0 = 0.4 and Bayes at m0 = 0.15: both trajectories rise to their fixed points (0.82 and
// 0.68) within ~6 iterations.
const P = 3;
const DELTA2 = 0.4;
const DELTAP = 1;
const M0: Record<AmpVariant, number> = { ml: 0.4, bayes: 0.15 };
const ITERS = 5;

function stateEvolutionOf(variant: AmpVariant, iters: number): Float64Array {
  const spec = { p: P, delta2: DELTA2, deltap: DELTAP };
  return (variant === 'ml' ? mlStateEvolution : bayesStateEvolution)(spec, M0[variant], iters, 0).m;
}

/** Deviations m_AMP[t] − m_SE[t], t = 1 … iters, of one run. */
function deviations(
  inst: Instance,
  variant: AmpVariant,
  seed: number,
  iters: number,
  onsager = true,
): number[] {
  const run = runAmp(inst, {
    variant,
    m0: M0[variant],
    maxIters: iters,
    rng: Rng.fromSeed(seed),
    tol: 0,
    onsager,
  });
  const se = stateEvolutionOf(variant, iters);
  expect(run.m[0]).toBeCloseTo(M0[variant], 12);
  return Array.from(run.m.subarray(1), (m, t) => m - se[t + 1]);
}

const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);

describe('finite-N AMP follows its state evolution (THEORY §6)', () => {
  const N = 500;
  const SEEDS = [1, 2, 3];
  const devs: Record<string, number[]> = { ml: [], bayes: [], bayesNoOnsager: [] };
  const small: Record<string, number[]> = { ml: [], bayes: [], bayesNoOnsager: [] };

  beforeAll(() => {
    // One instance per seed serves all variants (N = 500: C(500,3) = 2·10⁷ tensor entries).
    for (const seed of SEEDS) {
      const inst = sampleInstance({ n: N, p: P, delta2: DELTA2, deltap: DELTAP, seed });
      devs.ml.push(...deviations(inst, 'ml', 100 + seed, ITERS));
      devs.bayes.push(...deviations(inst, 'bayes', 100 + seed, ITERS));
      devs.bayesNoOnsager.push(...deviations(inst, 'bayes', 100 + seed, 3, false));
    }
    for (let seed = 1; seed <= 12; seed++) {
      const inst = sampleInstance({ n: 100, p: P, delta2: DELTA2, deltap: DELTAP, seed: 1000 + seed });
      small.ml.push(...deviations(inst, 'ml', 2000 + seed, ITERS));
      small.bayes.push(...deviations(inst, 'bayes', 2000 + seed, ITERS));
      small.bayesNoOnsager.push(...deviations(inst, 'bayes', 2000 + seed, 3, false));
    }
  });

  it('p = 3, N = 500, three seeds: every iteration within finite-size error of the state evolution', () => {
    for (const variant of ['ml', 'bayes']) {
      // The first step's overlap has standard deviation √f'(q)/(√N |B|/√N) ≈ 0.6/√N here;
      // later steps contract. RMS ≤ 1/√N ≈ 0.045 and every deviation ≤ 3/√N.
      expect(rms(devs[variant])).toBeLessThan(1 / Math.sqrt(N));
      for (const d of devs[variant]) expect(Math.abs(d)).toBeLessThan(3 / Math.sqrt(N));
    }
  });

  it('the error shrinks with N (N = 100, 12 seeds vs N = 500, 3 seeds)', () => {
    for (const variant of ['ml', 'bayes']) {
      // O(N^{−1/2}) predicts a factor √5 ≈ 2.2; require 1.5 to leave room for the
      // sampling error of an RMS over 12 and 3 seeds.
      expect(rms(devs[variant])).toBeLessThan(rms(small[variant]) / 1.5);
    }
  });

  it('without the Onsager term Bayes-AMP departs from the state evolution, and N does not cure it', () => {
    const noOnsager = rms(devs.bayesNoOnsager);
    // The reaction term removes the echo of x̂^{t−1} in F(x̂^t); without it the overlap
    // is biased by O(1), not O(N^{−1/2}): ≥ 3× the corrected error at N = 500 …
    const sameSteps = SEEDS.flatMap((_, s) => devs.bayes.slice(ITERS * s, ITERS * s + 3));
    expect(noOnsager).toBeGreaterThan(3 * rms(sameSteps));
    expect(noOnsager).toBeGreaterThan(2 / Math.sqrt(N));
    // … and the bias is systematic: at t = 2 every seed overshoots by more than 2/√N.
    for (let s = 0; s < SEEDS.length; s++)
      expect(devs.bayesNoOnsager[3 * s + 1]).toBeGreaterThan(2 / Math.sqrt(N));
    // … and it does not shrink with N (at most the sampling error between 12 and 3 seeds).
    expect(noOnsager).toBeGreaterThan(0.5 * rms(small.bayesNoOnsager));
  });
});

describe('runAmp mechanics', () => {
  const inst = sampleInstance({ n: 100, p: 3, delta2: 0.4, deltap: 1, seed: 5 });

  it('ML-AMP stays on the sphere and converges to a stationary point of H on the sphere', () => {
    const run = runAmp(inst, { variant: 'ml', m0: 0.3, maxIters: 500, rng: Rng.fromSeed(7), tol: 1e-12 });
    expect(run.converged).toBe(true);
    // Normalised every step: |x̂|²/N = 1 up to rounding.
    for (const q of run.q) expect(q).toBeCloseTo(1, 12);
    // At a fixed point x̂ ∝ F(x̂) − c x̂ ∝ −∇H(x̂): the Riemannian gradient vanishes
    // (THEORY §6.1: the same end state as gradient flow). Residual ~ tol · |∇H|.
    const g = new Float64Array(inst.n);
    riemannianGradient(inst, run.estimate, g);
    expect(Math.sqrt(g.reduce((s, v) => s + v * v, 0) / inst.n)).toBeLessThan(1e-9);
  });

  it('pure matrix model: both AMPs converge to the top eigenvector of Y (a second method)', () => {
    const n = 120;
    const pure = sampleInstance({ n, p: 3, delta2: 0.3, deltap: Number.POSITIVE_INFINITY, seed: 12 });
    const { vectors } = symmetricEigen(n, pure.matrix!);
    // Column n−1 is the eigenvector of the largest eigenvalue (ascending order).
    const top = Float64Array.from({ length: n }, (_, i) => vectors[i * n + n - 1]);
    for (const variant of ['ml', 'bayes'] as const) {
      const run = runAmp(pure, { variant, m0: 0.3, maxIters: 5000, rng: Rng.fromSeed(13), tol: 1e-13 });
      expect(run.converged).toBe(true);
      // At a fixed point x̂ ∝ Y x̂/(Δ2√N) − c x̂^{−}: an eigenvector of Y. Cosine with the
      // top eigenvector → 1 up to the stopping tolerance (1e-13 per coordinate).
      const norm = Math.sqrt(run.estimate.reduce((s, v) => s + v * v, 0));
      const cos = run.estimate.reduce((s, v, i) => s + v * top[i], 0) / norm;
      expect(Math.abs(cos)).toBeGreaterThan(1 - 1e-9);
    }
  });

  it('Bayes-AMP is Nishimori-consistent: q ≈ m along the run, to finite-size error', () => {
    const run = runAmp(inst, { variant: 'bayes', m0: 0.2, maxIters: 30, rng: Rng.fromSeed(8) });
    expect(run.q[0]).toBeCloseTo(0.2, 12);
    // |q − m| is an O(N^{−1/2}) fluctuation: 3/√N = 0.3 would be loose; observed ≤ 0.1.
    for (let t = 0; t <= run.iters; t++) expect(Math.abs(run.q[t] - run.m[t])).toBeLessThan(0.15);
  });

  it('damping changes the path but not the fixed point', () => {
    for (const variant of ['ml', 'bayes'] as const) {
      const plain = runAmp(inst, { variant, m0: 0.3, maxIters: 1000, rng: Rng.fromSeed(9), tol: 1e-13 });
      const damped = runAmp(inst, {
        variant,
        m0: 0.3,
        maxIters: 1000,
        rng: Rng.fromSeed(9),
        tol: 1e-13,
        damping: 0.5,
      });
      expect(plain.converged && damped.converged).toBe(true);
      expect(damped.iters).toBeGreaterThan(plain.iters);
      // Both stop within ~1e-13 of the same fixed point (contraction rate < 1).
      expect(Math.abs(damped.m[damped.iters] - plain.m[plain.iters])).toBeLessThan(1e-9);
    }
  });

  it('is reproducible from the seed and reports progress', () => {
    const seen: number[] = [];
    const a = runAmp(inst, {
      variant: 'ml',
      m0: 0.5,
      maxIters: 4,
      rng: Rng.fromSeed(3),
      onIteration: (t) => seen.push(t),
    });
    const b = runAmp(inst, { variant: 'ml', m0: 0.5, maxIters: 4, rng: Rng.fromSeed(3) });
    expect(Array.from(a.m)).toEqual(Array.from(b.m));
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('rejects bad options, naming them', () => {
    const rng = Rng.fromSeed(1);
    expect(() => runAmp(inst, { variant: 'bayes', m0: -0.1, maxIters: 3, rng })).toThrow(/m0/);
    expect(() => runAmp(inst, { variant: 'ml', m0: 1.1, maxIters: 3, rng })).toThrow(/m0/);
    expect(() => runAmp(inst, { variant: 'ml', m0: 0.1, maxIters: 3, rng, damping: 1 })).toThrow(/damping/);
    expect(() => runAmp(inst, { variant: 'ml', m0: 0.1, maxIters: 1.5, rng })).toThrow(/maxIters/);
  });
});

describe('runAmp at extreme noise (issue 11 item 5)', () => {
  it('ML-AMP at 1/Δ2 = 1e160 reaches the signal instead of wiping the estimate', () => {
    // The field's entries are ~1e160: its squared norm overflowed, σ^t = √N/∞ = 0 and x̂ = 0.
    // Second computation: the same instance seed at 1/Δ2 = 1e8, where nothing overflows. Both
    // matrix channels are noiseless to ≤ 1e-4 (the tensor field is ≤ 1e-8 of the matrix one),
    // so their ML-AMP end points agree to ~1e-4; the finite-N fixed point itself sits O(1/N)
    // below 1 (the matrix has no diagonal).
    const options = { variant: 'ml' as const, m0: 0.1, maxIters: 20 };
    const run = runAmp(sampleInstance({ n: 40, p: 3, delta2: 1e-160, deltap: 1, seed: 3 }), {
      ...options,
      rng: Rng.fromSeed(4),
    });
    const ref = runAmp(sampleInstance({ n: 40, p: 3, delta2: 1e-8, deltap: 1, seed: 3 }), {
      ...options,
      rng: Rng.fromSeed(4),
    });
    expect(run.m[run.iters]).toBeGreaterThan(0.99);
    expect(Math.abs(run.m[run.iters] - ref.m[ref.iters])).toBeLessThan(1e-4);
    for (const q of run.q) expect(q).toBeCloseTo(1, 12);
  });
});
