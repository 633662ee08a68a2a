/**
 * Entry point of the large-N dynamics (THEORY §3): dispatches to the fixed-grid or the adaptive
 * solver after validating the options.
 */
import { solveAdaptiveGrid } from './adaptiveGrid.ts';
import { solveFixedGrid } from './fixedGrid.ts';
import { type DynamicsOptions, type DynamicsResult, validateDynamicsOptions } from './types.ts';

/**
 * Integrates the CHSCK equations of THEORY §3 for the covariance f, temperature T ≥ 0 and initial
 * overlap m0, and returns m(t), μ(t), e(t) (and on request C and R). Never returns NaN: when the
 * integration fails the arrays stop at the last good point and `stats.status`/`stats.message`
 * say what to change. Throws a RangeError naming the option for out-of-range input.
 * @example
 * import { spikedCovariance } from '../model/index.ts';
 * const covariance = spikedCovariance({ p: 3, delta2: 1 / 3, deltap: 1 });
 * const run = solveDynamics({ covariance, temperature: 0, m0: 0.1, tmax: 30, grid: { kind: 'adaptive' } });
 * run.m[run.m.length - 1]; // ≈ 0.8549, the end state m* of gradientFlowEndState(covariance)
 */
export function solveDynamics(options: DynamicsOptions): DynamicsResult {
  validateDynamicsOptions(options);
  return options.grid.kind === 'fixed' ? solveFixedGrid(options) : solveAdaptiveGrid(options);
}
