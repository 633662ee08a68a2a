/**
 * The `landscape` task: the Kac–Rice landscape of one model (THEORY §4).
 *
 * Files:
 * - `params.json`: every parameter and the package version (no randomness: seed null).
 * - `complexity.csv`, columns `m,complexity_minima,complexity_all,mu_argmax,energy_argmax`, on a
 *   uniform grid of overlaps m ∈ [−0.995, 0.995] (both signs: the m ≥ 0 convention of THEORY
 *   §4.2 is the rows with m ≥ 0). `complexity_minima` is Σ_min(m) (minima only, μ ≥ μ_min(m));
 *   `complexity_all` is max_μ Σ(m, μ) (all stationary points); `mu_argmax` and `energy_argmax`
 *   are the multiplier and typical energy of the most numerous MINIMA at that m.
 * - `spectrum.csv`, columns `state,kind,lambda,density,overlap`: the Hessian spectrum (THEORY
 *   §4.1) at the threshold states (`state=threshold`: m = 0, μ = μ_th = 2σ) and at the signal
 *   minimum (`state=signal`, when it exists). `kind=bulk` rows sample the semicircle density on
 *   its support; a `kind=outlier` row gives the BBP eigenvalue and the squared overlap of its
 *   eigenvector with the signal (density empty).
 *
 * Any channel set (--channels): the Kac–Rice formulas of THEORY §4 use the model only through
 * its covariance f, so every file and value holds; the document then also has `"channels"`.
 *
 * The document: `{"p", "delta2", "deltap", "zeroOverlap": {"complexityMinima", "muThreshold",
 * "energyThreshold", "outlier", …}, "signalMinimum": {"m", "mu", "energy", "complexity", …} | null,
 * "spuriousMinima": {"all": …, "nonNegative": …}, "conventions"}`.
 */

import type { CsvValue } from '../io/index.ts';
import {
  bulkDensity,
  complexityAll,
  complexityMinima,
  type HessianSpectrum,
  hessianSpectrum,
  LANDSCAPE_DELTA_MIN,
  signalMinimum,
  spuriousMinima,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
} from '../landscape/index.ts';
import { integerFlag } from './flags.ts';
import { channelsFlag, type ModelRecord, modelFlags, modelRecord } from './options.ts';
import { parseParams } from './params.ts';
import { paramsDocument } from './provenance.ts';
import { recordCovariance, requireModelDeltaRange, writeCsv } from './shared.ts';
import { cooperative, defineTask, type TaskOutput, type TaskRunOptions, throwIfAborted } from './task.ts';

/** Largest |m| on the complexity grid: Σ → −∞ like ½ ln(1 − m²) at the poles. */
const M_MAX = 0.995;

export const landscapeFlags = {
  ...modelFlags,
  channels: channelsFlag,
  points: integerFlag('--points', {
    description: 'number of overlaps m on the complexity grid (odd values include m = 0)',
    ge: 3,
    le: 100001,
    default: 399,
  }),
  spectrumPoints: integerFlag('--spectrum-points', {
    description: 'eigenvalues sampled on each Hessian bulk',
    ge: 3,
    le: 100001,
    default: 201,
  }),
} as const;

export interface LandscapeParams extends ModelRecord {
  readonly points: number;
  readonly spectrumPoints: number;
  readonly mMax: number;
}

function spectrumRows(state: string, h: HessianSpectrum, points: number): CsvValue[][] {
  const rows: CsvValue[][] = [];
  for (let i = 0; i < points; i++) {
    const lambda = h.bulkLower + ((h.bulkUpper - h.bulkLower) * i) / (points - 1);
    rows.push([state, 'bulk', lambda, bulkDensity(lambda, h.mu, h.sigma), null]);
  }
  if (h.outlier !== null) rows.push([state, 'outlier', h.outlier, null, h.outlierOverlap]);
  return rows;
}

/** The complexity grid: [m, Σ_min, Σ_all, μ argmax, e argmax] per overlap. */
export type ComplexityRow = [number, number, number, number, number];

async function landscape(params: LandscapeParams, signal?: AbortSignal, onProgress?: (f: number) => void) {
  const cov = recordCovariance(params);
  const slice = cooperative(signal);
  const rows: ComplexityRow[] = [];
  for (let i = 0; i < params.points; i++) {
    const m = -M_MAX + (2 * M_MAX * i) / (params.points - 1);
    const minima = complexityMinima(cov, m);
    rows.push([m, minima.complexity, complexityAll(cov, m).complexity, minima.mu, minima.energy]);
    onProgress?.((0.9 * (i + 1)) / params.points);
    await slice.tick();
  }
  const muTh = thresholdMultiplier(cov);
  const threshold = hessianSpectrum(cov, 0, muTh);
  const signalMin = signalMinimum(cov);
  await slice.tick();
  const zero = complexityMinima(cov, 0);
  const spurious = (convention: 'all' | 'nonNegative') => {
    const s = spuriousMinima(cov, { convention });
    return Number.isFinite(s.complexity) ? s : null;
  };
  const document = {
    p: params.p,
    delta2: params.delta2,
    deltap: params.deltap,
    ...(params.channels === undefined ? {} : { channels: params.channels }),
    zeroOverlap: {
      complexityMinima: zero.complexity,
      muMinima: zero.mu,
      muThreshold: muTh,
      energyThreshold: thresholdEnergy(cov),
      thresholdComplexity: thresholdComplexity(cov),
      outlier: threshold.outlier,
      outlierOverlap: threshold.outlierOverlap,
      lowestEigenvalue: threshold.lowestEigenvalue,
    },
    signalMinimum:
      signalMin === null
        ? null
        : {
            m: signalMin.m,
            mu: signalMin.mu,
            energy: signalMin.energy,
            complexity: signalMin.complexity,
            outlier: signalMin.hessian.outlier,
            outlierOverlap: signalMin.hessian.outlierOverlap,
            lowestEigenvalue: signalMin.hessian.lowestEigenvalue,
          },
    spuriousMinima: { all: spurious('all'), nonNegative: spurious('nonNegative') },
    conventions:
      'complexity.csv covers m in [−0.995, 0.995]; spuriousMinima.all counts every m, ' +
      'spuriousMinima.nonNegative only m ≥ 0 (THEORY §4.2); null: no spurious minima',
  };
  throwIfAborted(signal);
  return { document, rows, threshold, signalMin };
}

export type LandscapeDocument = Awaited<ReturnType<typeof landscape>>['document'];

export const landscapeTask = defineTask<LandscapeParams, LandscapeDocument>({
  name: 'landscape',
  description:
    'Kac–Rice complexity of minima and stationary points, threshold states, Hessian spectra (THEORY §4)',
  flags: landscapeFlags,
  validate(raw) {
    const { values: o, given } = parseParams('landscape', landscapeFlags, raw);
    const model = modelRecord(o, given);
    requireModelDeltaRange(model, LANDSCAPE_DELTA_MIN);
    return { ...model, points: o.points, spectrumPoints: o.spectrumPoints, mMax: M_MAX };
  },
  execute: executeLandscape,
});

/** What a landscape run produced, with what the explorer draws and exports beside the files. */
export interface LandscapeOutput extends TaskOutput<LandscapeDocument> {
  /** `params.json`: version, command, every parameter, seed null. */
  readonly provenance: ReturnType<typeof paramsDocument>;
  /** The rows of `complexity.csv`: [m, Σ_min, Σ_all, μ argmax, e argmax]. */
  readonly complexity: readonly ComplexityRow[];
  /** The Hessian spectrum of the threshold states (m = 0, μ = μ_th), THEORY §4.1. */
  readonly threshold: HessianSpectrum;
}

/** The landscape task's `execute` (the explorer's worker calls it directly for the grid and the spectrum). */
export async function executeLandscape(
  params: LandscapeParams,
  options: TaskRunOptions = {},
): Promise<LandscapeOutput> {
  const { signal, onProgress } = options;
  const { document, rows, threshold, signalMin } = await landscape(params, signal, onProgress);
  const invDelta2 = 1 / params.delta2;
  const provenance = paramsDocument('landscape', { ...params }, { seed: null });
  return {
    document,
    provenance,
    complexity: rows,
    threshold,
    figure: () => ({
      name: 'complexity',
      spec: {
        kind: 'complexity',
        data: {
          p: params.p,
          deltap: params.deltap,
          curves: [{ invDelta2 }],
          rows: rows.map(([m, complexity]) => ({ invDelta2, m, complexity })),
          signal: signalMin === null ? [] : [{ invDelta2, m: signalMin.m }],
        },
      },
    }),
    write(files) {
      files.json('params.json', provenance);
      writeCsv(
        files,
        'complexity.csv',
        ['m', 'complexity_minima', 'complexity_all', 'mu_argmax', 'energy_argmax'],
        rows,
      );
      const spectrum = spectrumRows('threshold', threshold, params.spectrumPoints);
      if (signalMin !== null)
        spectrum.push(...spectrumRows('signal', signalMin.hessian, params.spectrumPoints));
      writeCsv(files, 'spectrum.csv', ['state', 'kind', 'lambda', 'density', 'overlap'], spectrum);
    },
  };
}
