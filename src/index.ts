/**
 * saddlesurf's library API, one namespace per concept (the folders of src/):
 *
 * @example
 * import { model, dmft, phase } from 'saddlesurf';
 * const f = model.spikedCovariance({ p: 3, delta2: 0.5, deltap: 1 });
 * dmft.gradientFlowEndState(f); // { m, chi, mu, energy } of THEORY §3
 * phase.gfThreshold(3, 1); // 2: 1/Δ2 of the BBP transition at the threshold states (THEORY §5)
 *
 * Everything here is environment-free (runs in Node and in a browser Web Worker);
 * Node-only helpers (headless figure rendering) live in `src/plot/node.ts`, the
 * command line in `src/cli/`.
 */
export * as amp from './amp/index.ts';
export * as dmft from './dmft/index.ts';
export * as dynamics from './dynamics/index.ts';
export * as io from './io/index.ts';
export * as landscape from './landscape/index.ts';
export * as linalg from './linalg/index.ts';
export * as model from './model/index.ts';
export * as numerics from './numerics/index.ts';
export * as phase from './phase/index.ts';
export * as plot from './plot/index.ts';
export * as random from './random/index.ts';
export { VERSION } from './version.ts';
