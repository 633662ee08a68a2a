/**
 * Summaries of censuses (one per instance) for the `census` task's document: counts per class,
 * saddles by index, distinct minima, Σ estimates next to the annealed Kac–Rice Σ_min (THEORY
 * §4.2) and the best end state next to the gradient-flow end state (THEORY §3).
 */
import type { CensusResult, EndClass, EndPoint } from './census.ts';
import { chao1, type Histogram, histogram } from './cluster.ts';
import { complexityEstimate } from './theory.ts';

export const END_CLASSES: readonly EndClass[] = ['signal', 'mirror', 'spurious', 'saddle', 'unconverged'];

/** One instance's census in numbers. */
export interface InstanceSummary {
  readonly seed: number;
  readonly descents: number;
  /** End points per class. */
  readonly counts: Readonly<Record<EndClass, number>>;
  /** Converged saddles by Hessian index ("1": index-1 saddles, …). */
  readonly saddlesByIndex: Readonly<Record<string, number>>;
  /** Distinct minima (index 0) among the end points, all classes. */
  readonly distinctMinima: number;
  readonly distinctSpurious: number;
  readonly distinctSaddles: number;
  /** Chao1 estimate of the number of minima including unseen ones (from the hits per minimum). */
  readonly chao1Minima: number;
  /** ln(distinctMinima)/N and ln(chao1Minima)/N. */
  readonly sigmaEstimate: number;
  readonly sigmaChao1: number;
  /** The lowest-energy minimum found. */
  readonly best: { m: number; energy: number; mu: number; lambdaMin: number; endClass: EndClass } | null;
}

/** Summary of one instance's census at dimension n. */
export function summarizeInstance(seed: number, n: number, census: CensusResult): InstanceSummary {
  const counts = Object.fromEntries(END_CLASSES.map((c) => [c, 0])) as Record<EndClass, number>;
  const saddlesByIndex: Record<string, number> = {};
  for (const e of census.endPoints) {
    counts[e.endClass]++;
    if (e.endClass === 'saddle') saddlesByIndex[String(e.index)] = (saddlesByIndex[String(e.index)] ?? 0) + 1;
  }
  const minima = census.distinct.filter((d) => d.index === 0);
  const estimate = chao1(minima.map((d) => d.hits));
  const best = minima.reduce<(typeof minima)[number] | null>(
    (a, d) => (a === null || d.energy < a.energy ? d : a),
    null,
  );
  return {
    seed,
    descents: census.endPoints.length,
    counts,
    saddlesByIndex,
    distinctMinima: minima.length,
    distinctSpurious: minima.filter((d) => d.endClass === 'spurious').length,
    distinctSaddles: census.distinct.length - minima.length,
    chao1Minima: estimate,
    sigmaEstimate: complexityEstimate(minima.length, n),
    sigmaChao1: complexityEstimate(estimate, n),
    best:
      best === null
        ? null
        : { m: best.m, energy: best.energy, mu: best.mu, lambdaMin: best.lambdaMin, endClass: best.endClass },
  };
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
/** Standard error of the mean (0 for a single value). */
const stderr = (v: readonly number[]) => {
  if (v.length < 2) return 0;
  const m = mean(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length);
};

/** Across instances: means and standard errors of the Σ estimates, total counts. */
export function summarizeInstances(instances: readonly InstanceSummary[], kacRice: number, n: number) {
  const counts = Object.fromEntries(
    END_CLASSES.map((c) => [c, instances.reduce((a, s) => a + s.counts[c], 0)]),
  ) as Record<EndClass, number>;
  const sigma = instances.map((s) => s.sigmaEstimate);
  const chao = instances.map((s) => s.sigmaChao1);
  const descents = instances.reduce((a, s) => a + s.descents, 0) / instances.length;
  return {
    instances: instances.length,
    counts,
    distinctMinimaMean: mean(instances.map((s) => s.distinctMinima)),
    sigmaEstimate: mean(sigma),
    sigmaEstimateStderr: stderr(sigma),
    sigmaChao1: mean(chao),
    sigmaChao1Stderr: stderr(chao),
    kacRice,
    /** Finite-N gap: estimate − Kac–Rice. */
    gap: mean(sigma) - kacRice,
    gapChao1: mean(chao) - kacRice,
    /** The largest Σ a census of this many descents can show: ln(descents per instance)/N. */
    resolvableSigma: Math.log(descents) / n,
    /** e^{NΣ}: the annealed expected number of minima at this N. */
    kacRiceCount: Math.exp(n * kacRice),
  };
}

/** Histograms of m, e and λ_min over the converged minima (index 0) of all end points. */
export function minimaHistograms(endPoints: readonly EndPoint[], bins = 20) {
  const minima = endPoints.filter((e) => e.endClass !== 'unconverged' && e.index === 0);
  const h = (f: (e: EndPoint) => number): Histogram | null => histogram(minima.map(f), bins);
  return { m: h((e) => e.m), energy: h((e) => e.energy), lambdaMin: h((e) => e.lambdaMin) };
}
