/**
 * Entry point of the large-N dynamics (THEORY §3): dispatches to the fixed-grid or the adaptive
 * solver after validating the options.
 */
import { adaptiveGridSteps, solveAdaptiveGrid } from './adaptiveGrid.ts';
import { fixedGridSteps, solveFixedGrid } from './fixedGrid.ts';
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

/**
 * {@link solveDynamics} that returns to the event loop (a zero-delay timer) about every
 * `yieldEveryMs` of work, so that a signal handler or a worker message can set the flag read by
 * `shouldStop`. Same arithmetic, same result.
 * @example
 * let cancel = false;
 * const run = await solveDynamicsAsync({ covariance, temperature: 0, m0: 1e-5, tmax: 1e4, grid: { kind: 'adaptive' }, shouldStop: () => cancel });
 */
export async function solveDynamicsAsync(
  options: DynamicsOptions,
  yieldEveryMs = 50,
): Promise<DynamicsResult> {
  validateDynamicsOptions(options);
  const steps = options.grid.kind === 'fixed' ? fixedGridSteps(options) : adaptiveGridSteps(options);
  let last = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    const now = performance.now();
    if (now - last > yieldEveryMs) {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      last = performance.now();
    }
  }
}
