export { type AmpOptions, type AmpResult, type AmpVariant, runAmp, runAmpAsync } from './amp.ts';
export { bayesStationaryPoints, phiRS } from './freeEntropy.ts';
export {
  bayesSeStep,
  bayesStateEvolution,
  covarianceOf,
  iterateStateEvolution,
  type ModelSpec,
  mlSeStep,
  mlStateEvolution,
  STATE_EVOLUTION_DELTA_MIN,
  type StateEvolution,
} from './stateEvolution.ts';
export {
  type BayesInterval,
  type BayesRegion,
  bayesFixedPointSnr,
  bayesPhase,
  bayesRegions,
  bayesThresholds,
  mlAmpInstability,
  mlAmpSpinodal,
  mlFixedPointSnr,
} from './thresholds.ts';
