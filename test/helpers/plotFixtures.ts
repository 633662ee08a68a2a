/**
 * Synthetic, physically shaped data for the figure tests and for looking at the
 * figures before the numerics land. Closed forms are used where THEORY gives one
 * (GF and ML-AMP thresholds §5, the Langevin conjecture §6.3, the BBP outlier
 * §4.1, the ML-AMP state evolution §6.1); everything else (trivialisation line,
 * Bayes region boundaries, plateau-and-jump trajectories, escape times) is a
 * smooth stand-in of the right shape and magnitude, NOT a physics result. Only
 * tests and scratch renders import this module.
 */
import type { AmpVsGfData } from '../../src/plot/ampVsGf.ts';
import type { ComplexityData } from '../../src/plot/complexity.ts';
import type { DynamicsData } from '../../src/plot/dynamics.ts';
import type { EscapeTimeData } from '../../src/plot/escapeTime.ts';
import type { PhaseDiagramData, RegionRow } from '../../src/plot/phaseDiagramData.ts';
import type { SurfingData } from '../../src/plot/surfing.ts';

const range = (a: number, b: number, n: number) =>
  Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const logRange = (a: number, b: number, n: number) =>
  range(Math.log10(a), Math.log10(b), n).map((e) => 10 ** e);

/** THEORY §5: 1/Δ2 at the GF threshold. */
export const gfThreshold = (p: number, deltap: number) => (1 + Math.sqrt(1 + (4 * (p - 1)) / deltap)) / 2;
/** THEORY §6.1: 1/Δ2 at the ML-AMP instability. */
export const mlAmpThreshold = (deltap: number) => (1 + Math.sqrt(1 + 4 / deltap)) / 2;

/** Phase-diagram panel for order p over Δp ∈ [0.1, 4]. */
export function phaseFixture(p: number): PhaseDiagramData {
  const xs = range(0.1, 4, 60);
  // Langevin conjecture, parametrised by a = 1/Δ2 > 1: q = 1 − 1/a, Δp = (p−1) q^(p−2) / (a² − a).
  const conj = range(1.02, 3.5, 80).map((a) => ({
    deltap: ((p - 1) * (1 - 1 / a) ** (p - 2)) / (a * a - a),
    invDelta2: a,
  }));
  const it = (d: number) => Math.min(1, 0.5 + 0.5 * d);
  const regions: RegionRow[] = xs.flatMap((d) => [
    { region: 'impossible' as const, deltap: d, invDelta2From: 0, invDelta2To: it(d) },
    { region: 'hard' as const, deltap: d, invDelta2From: it(d), invDelta2To: 1 },
    { region: 'easy' as const, deltap: d, invDelta2From: 1, invDelta2To: Infinity },
  ]);
  return {
    p,
    lines: [
      { kind: 'gf', points: xs.map((d) => ({ deltap: d, invDelta2: gfThreshold(p, d) })) },
      { kind: 'mlAmp', points: xs.map((d) => ({ deltap: d, invDelta2: mlAmpThreshold(d) })) },
      {
        kind: 'mlAmpSpinodal',
        points: range(0.1, 0.6, 12).map((d) => ({
          deltap: d,
          invDelta2: mlAmpThreshold(d) * (0.55 + 0.6 * d),
        })),
      },
      {
        kind: 'triv',
        convention: 'all',
        points: xs.map((d) => ({ deltap: d, invDelta2: gfThreshold(p, d) + 0.5 / (1 + d) })),
      },
      {
        kind: 'triv',
        convention: 'nonNegative',
        points: xs.map((d) => ({ deltap: d, invDelta2: gfThreshold(p, d) + 0.35 / (1 + d) })),
      },
      { kind: 'langevinConjecture', points: conj.filter((q) => q.deltap >= 0.1 && q.deltap <= 4) },
    ],
    regions,
    measured: [0.5, 1, 2, 3].flatMap((d) => [
      { method: 'gf' as const, deltap: d, invDelta2: gfThreshold(p, d) * 1.01, err: 0.04 },
      { method: 'langevin' as const, deltap: d, invDelta2: gfThreshold(p, d) * 0.8, err: 0.06 },
    ]),
  };
}

/** Plateau-then-jump shape: m grows from m0 to mStar around tJump. */
function jump(t: number, m0: number, mStar: number, tJump: number) {
  const s = 1 / (1 + (tJump / t) ** 4);
  return m0 + (mStar - m0) * s;
}

/** GF dynamics around the threshold at p = 3, Δp = 1 (1/Δ2 near 1.5). */
export function dynamicsFixture(): DynamicsData {
  const p = 3;
  const deltap = 1;
  const invs = [1.4, 1.5, 1.6, 1.7];
  const ts = logRange(0.01, 1e4, 120);
  const theory = invs.flatMap((a, i) => {
    const q2 = a + (p - 1) / deltap;
    const twoSigma = 2 * Math.sqrt(q2);
    const tJump = i === 0 ? Infinity : 3000 / i ** 2;
    return ts.map((t) => {
      const m = Number.isFinite(tJump) ? jump(t, 0.01, 0.9, tJump) : 0.01;
      return {
        invDelta2: a,
        t,
        m,
        e: -1.2 - 0.3 * Math.tanh(t) - m * m,
        mu: 1 + (twoSigma - 1) * Math.tanh(t) + m,
      };
    });
  });
  const finiteN = invs.flatMap((a, i) => {
    const tJump = i === 0 ? 8000 : 2500 / i ** 2;
    return logRange(0.05, 1e4, 30).flatMap((t) => {
      const m = jump(t, 0.03, 0.9, tJump);
      return [
        {
          invDelta2: a,
          t,
          observable: 'm' as const,
          mean: m,
          lo: Math.max(0, m - 0.08),
          hi: Math.min(1, m + 0.08),
        },
        {
          invDelta2: a,
          t,
          observable: 'e' as const,
          mean: -1.2 - 0.3 * Math.tanh(t) - m * m,
          lo: -1.25 - m * m - 0.3 * Math.tanh(t),
          hi: -1.15 - m * m - 0.3 * Math.tanh(t),
        },
      ];
    });
  });
  return {
    p,
    deltap,
    N: 1000,
    seeds: 8,
    theory,
    finiteN,
    thresholds: invs.map((a) => {
      const q1 = a + 1 / deltap;
      const q2 = a + (p - 1) / deltap;
      return { invDelta2: a, mu: 2 * Math.sqrt(q2), e: (-2 * Math.sqrt(q2) * q1) / (q1 + q2) };
    }),
  };
}

/** One finite-N GF run with its Hessian, and the N = ∞ outlier of THEORY §4.1 along a stand-in m(t), μ(t). */
export function surfingFixture(): SurfingData {
  const p = 3;
  const deltap = 1;
  const invDelta2 = 1.8;
  const q2 = invDelta2 + (p - 1) / deltap;
  const sigma = Math.sqrt(q2);
  const ts = logRange(0.1, 2000, 80);
  const d2f = (m: number) => invDelta2 + ((p - 1) * m ** (p - 2)) / deltap;
  const theory = ts.map((t) => {
    const m = jump(t, 0.02, 0.92, 200);
    const mu = 2 * sigma * (1 - Math.exp(-t)) + 0.5 * m;
    const theta = d2f(m) * (1 - m * m);
    const edge = mu - 2 * sigma;
    const outlier = theta > sigma ? mu - theta - (sigma * sigma) / theta : null;
    return {
      t,
      m,
      edge,
      lambdaMin: outlier ?? edge,
      overlap: theta > sigma ? 1 - (sigma * sigma) / (theta * theta) : 0,
    };
  });
  const run = theory
    .filter((_, i) => i % 3 === 0)
    .map((r, i) => ({
      t: r.t,
      m: jump(r.t, 0.03, 0.92, 170),
      lambdaMin: r.lambdaMin + 0.05 * Math.sin(i),
      eigenvectorOverlap: Math.max(0, Math.min(1, r.overlap + 0.05 * Math.cos(i))),
    }));
  return { p, deltap, invDelta2, N: 800, seed: 7, run, theory };
}

/** Σ_min(m) curves of the right magnitude (1e-4 … 1e-3) at three 1/Δ2. */
export function complexityFixture(): ComplexityData {
  const curves = [
    { invDelta2: 1.3, regime: 'belowGf' as const },
    { invDelta2: 1.7, regime: 'betweenGfTriv' as const },
    { invDelta2: 2.2, regime: 'aboveTriv' as const },
  ];
  const ms = range(-0.3, 1, 131);
  const rows = curves.flatMap((c, i) =>
    ms.map((m) => {
      const sigma = 1.5e-3 * (1 - i * 0.45) * Math.cos(1.6 * m) - 2e-3 * m * m;
      return { invDelta2: c.invDelta2, m, complexity: m > 0.85 ? Number.NEGATIVE_INFINITY : sigma };
    }),
  );
  return {
    p: 3,
    deltap: 1,
    curves,
    rows,
    signal: curves.map((c, i) => ({ invDelta2: c.invDelta2, m: 0.8 + 0.04 * i })),
  };
}

/** Escape times diverging as A (1/Δ2 − a_c)^(−θ) for two cases. */
export function escapeTimeFixture(): EscapeTimeData {
  const cases = [
    {
      id: 'p3-dp1',
      p: 3,
      deltap: 1,
      fit: { amplitude: 40, threshold: 1.52, thresholdError: 0.02, exponent: 1.1 },
      gfThreshold: gfThreshold(3, 1),
    },
    {
      id: 'p4-dp2',
      p: 4,
      deltap: 2,
      fit: { amplitude: 25, threshold: 1.55, thresholdError: 0.03, exponent: 1.0 },
      gfThreshold: gfThreshold(4, 2),
    },
  ];
  const points = cases.flatMap((c) =>
    range(c.fit.threshold + 0.05, c.fit.threshold + 0.8, 8).map((x, i) => ({
      caseId: c.id,
      invDelta2: x,
      time: c.fit.amplitude * (x - c.fit.threshold) ** -c.fit.exponent * (1 + 0.04 * Math.sin(3 * i)),
    })),
  );
  return { level: 0.5, cases, points };
}

/** ML-AMP state evolution (THEORY §6.1, exact) against a stand-in GF trajectory with the same end point. */
export function ampVsGfFixture(): AmpVsGfData {
  const p = 3;
  const deltap = 1;
  const invDelta2 = 2;
  const df = (m: number) => invDelta2 * m + m ** (p - 1) / deltap;
  const q1 = invDelta2 + 1 / deltap;
  const se = [{ iteration: 0, m: 0.01 }];
  for (let k = 1; k <= 40; k++) {
    const m = se[k - 1]!.m;
    se.push({ iteration: k, m: df(m) / Math.sqrt(df(m) ** 2 + q1) });
  }
  const fixedPoint = se[se.length - 1]!.m;
  const ts = logRange(0.01, 1e3, 100);
  return {
    p,
    deltap,
    invDelta2,
    N: 1000,
    seeds: 10,
    fixedPoint,
    stateEvolution: se,
    ampFiniteN: se
      .filter((_, i) => i % 2 === 0)
      .map((r) => ({
        iteration: r.iteration,
        mean: r.m * 0.98,
        lo: r.m * 0.93,
        hi: Math.min(1, r.m * 1.03),
      })),
    dmft: ts.map((t) => ({ t, m: jump(t, 0.01, fixedPoint, 30) })),
    gfFiniteN: logRange(0.05, 1e3, 25).map((t) => {
      const m = jump(t, 0.03, fixedPoint, 25);
      return { t, mean: m, lo: Math.max(0, m - 0.05), hi: Math.min(1, m + 0.03) };
    }),
  };
}
