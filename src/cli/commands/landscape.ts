/**
 * `saddlesurf landscape --p … --delta2 … --deltap … --out DIR [--json]`: the Kac–Rice
 * landscape of one model (THEORY §4).
 *
 * Files:
 * - `DIR/params.json`: every parameter and the package version (no randomness: seed null).
 * - `DIR/complexity.csv`, columns `m,complexity_minima,complexity_all,mu_argmax,energy_argmax`,
 *   on a uniform grid of overlaps m ∈ [−0.995, 0.995] (both signs: the m ≥ 0 convention
 *   of THEORY §4.2 is the rows with m ≥ 0). `complexity_minima` is Σ_min(m) (minima only,
 *   μ ≥ μ_min(m)); `complexity_all` is max_μ Σ(m, μ) (all stationary points);
 *   `mu_argmax` and `energy_argmax` are the multiplier and typical energy of the most
 *   numerous MINIMA at that m (the maximiser of Σ_min).
 * - `DIR/spectrum.csv`, columns `state,kind,lambda,density,overlap`: the Hessian spectrum
 *   (THEORY §4.1) at the threshold states (`state=threshold`: m = 0, μ = μ_th = 2σ) and at
 *   the signal minimum (`state=signal`, when it exists). `kind=bulk` rows sample the
 *   semicircle density on its support; a `kind=outlier` row gives the BBP eigenvalue and
 *   the squared overlap of its eigenvector with the signal (density empty).
 *
 * `--json` prints one document:
 * `{"zeroOverlap": {"complexityMinima", "muThreshold", "energyThreshold", "outlier", …},
 *   "signalMinimum": {"m", "mu", "energy", "complexity", …} | null,
 *   "spuriousMinima": {"all": …, "nonNegative": …}, …}`.
 */

import type { CsvValue } from '../../io/index.ts';
import { toJson } from '../../io/json.ts';
import {
  bulkDensity,
  complexityAll,
  complexityMinima,
  type HessianSpectrum,
  hessianSpectrum,
  signalMinimum,
  spuriousMinima,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
} from '../../landscape/index.ts';
import { spikedCovariance } from '../../model/index.ts';
import type { CommandModule } from '../command.ts';
import { addFlags, integerFlag, readFlags } from '../flags.ts';
import { forceFlag, jsonFlag, modelFlags, modelParams, outFlag } from '../options.ts';
import { paramsDocument, withOutputDir } from '../output.ts';

/** Largest |m| on the complexity grid: Σ → −∞ like ½ ln(1 − m²) at the poles. */
const M_MAX = 0.995;

const flags = {
  ...modelFlags,
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
  out: outFlag(),
  force: forceFlag,
  json: jsonFlag,
} as const;

function spectrumRows(state: string, h: HessianSpectrum, points: number): CsvValue[][] {
  const rows: CsvValue[][] = [];
  for (let i = 0; i < points; i++) {
    const lambda = h.bulkLower + ((h.bulkUpper - h.bulkLower) * i) / (points - 1);
    rows.push([state, 'bulk', lambda, bulkDensity(lambda, h.mu, h.sigma), null]);
  }
  if (h.outlier !== null) rows.push([state, 'outlier', h.outlier, null, h.outlierOverlap]);
  return rows;
}

export const command: CommandModule = {
  name: 'landscape',
  register(program, ctx) {
    const cmd = program
      .command('landscape')
      .description(
        'Kac–Rice complexity of minima and stationary points, threshold states, Hessian spectra (THEORY §4)',
      );
    addFlags(cmd, flags).action(async () => {
      const o = readFlags(cmd, flags);
      const params = modelParams(o);
      const cov = spikedCovariance(params);
      const parameters = { ...params, points: o.points, spectrumPoints: o.spectrumPoints, mMax: M_MAX };
      const result = await withOutputDir(o.out, o.force, (out) => {
        out.json('params.json', paramsDocument('landscape', parameters, { seed: null }));
        const rows: CsvValue[][] = [];
        for (let i = 0; i < o.points; i++) {
          const m = -M_MAX + (2 * M_MAX * i) / (o.points - 1);
          const minima = complexityMinima(cov, m);
          rows.push([m, minima.complexity, complexityAll(cov, m).complexity, minima.mu, minima.energy]);
        }
        out.csv(
          'complexity.csv',
          ['m', 'complexity_minima', 'complexity_all', 'mu_argmax', 'energy_argmax'],
          rows,
        );

        const muTh = thresholdMultiplier(cov);
        const threshold = hessianSpectrum(cov, 0, muTh);
        const signal = signalMinimum(cov);
        const spectrum = spectrumRows('threshold', threshold, o.spectrumPoints);
        if (signal !== null) spectrum.push(...spectrumRows('signal', signal.hessian, o.spectrumPoints));
        out.csv('spectrum.csv', ['state', 'kind', 'lambda', 'density', 'overlap'], spectrum);

        const zero = complexityMinima(cov, 0);
        const spurious = (convention: 'all' | 'nonNegative') => {
          const s = spuriousMinima(cov, { convention });
          return Number.isFinite(s.complexity) ? s : null;
        };
        return {
          p: params.p,
          delta2: params.delta2,
          deltap: params.deltap,
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
            signal === null
              ? null
              : {
                  m: signal.m,
                  mu: signal.mu,
                  energy: signal.energy,
                  complexity: signal.complexity,
                  outlier: signal.hessian.outlier,
                  outlierOverlap: signal.hessian.outlierOverlap,
                  lowestEigenvalue: signal.hessian.lowestEigenvalue,
                },
          spuriousMinima: { all: spurious('all'), nonNegative: spurious('nonNegative') },
          conventions:
            'complexity.csv covers m in [−0.995, 0.995]; spuriousMinima.all counts every m, ' +
            'spuriousMinima.nonNegative only m ≥ 0 (THEORY §4.2); null: no spurious minima',
        };
      });
      if (o.json) {
        ctx.stdout(toJson({ ...result, out: o.out }, 0));
        return;
      }
      const z = result.zeroOverlap;
      const s = result.signalMinimum;
      ctx.stdout(
        `wrote ${o.out}: threshold states at m = 0: μ_th = ${z.muThreshold.toFixed(6)}, ` +
          `e_th = ${z.energyThreshold.toFixed(6)}, Σ_min(0) = ${z.complexityMinima.toExponential(4)}, ` +
          `BBP outlier ${z.outlier === null ? 'none' : z.outlier.toFixed(6)}; ` +
          (s === null
            ? 'no signal minimum\n'
            : `signal minimum m* = ${s.m.toFixed(6)}, e* = ${s.energy.toFixed(6)}, Σ = ${s.complexity.toExponential(2)}\n`),
      );
    });
  },
};
