export { adaptiveGridSteps, defaultT0, solveAdaptiveGrid } from './adaptiveGrid.ts';
export { firstGradientFlowViolation } from './agingBounds.ts';
export {
  type AnnealProtocol,
  annealExcess,
  annealedGridCovariance,
  annealFactor,
  type GridCovariance,
  validateAnnealProtocol,
} from './anneal.ts';
export {
  agingPlateau,
  type GradientFlowEndState,
  gradientFlowEndState,
  nishimoriPlateau,
  thresholdState,
} from './endState.ts';
export { fixedGridSteps, solveFixedGrid } from './fixedGrid.ts';
export { crossingTime, growthRate, plateauGrowthRate, type Trajectory } from './observables.ts';
export { progressStatus, type RunOutcome, runOutcome } from './outcome.ts';
export {
  type Deviation,
  deviationFrom,
  type ExtrapolatedTrajectory,
  extrapolatedFixedGrid,
} from './richardson.ts';
export { solveDynamics, solveDynamicsAsync } from './solve.ts';
export {
  checkStressCase,
  fdtStationaryResidual,
  fdtStripResidual,
  STRESS_LEVELS,
  type StressCase,
  type StressCheck,
  sampleStressCases,
  stressLine,
  stressMatrix,
} from './stress.ts';
export {
  type AdaptiveGrid,
  type Correlations,
  type DynamicsOptions,
  type DynamicsResult,
  type DynamicsStats,
  type DynamicsStatus,
  type FixedGrid,
  type Grid,
  validateDynamicsOptions,
} from './types.ts';
