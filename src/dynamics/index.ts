export {
  type AnnealedLangevinOptions,
  type AnnealedLangevinResult,
  type AnnealedObservation,
  annealedInstance,
  runAnnealedLangevin,
  runAnnealedLangevinAsync,
} from './annealedLangevin.ts';
export {
  type DescentMethod,
  type DescentOptions,
  type DescentResult,
  type Observation,
  runDescent,
  runDescentAsync,
} from './descent.ts';
export { type HessianProbeOptions, type HessianProbeResult, probeHessian } from './hessianProbe.ts';
export {
  AdaptiveSphereIntegrator,
  type AdaptiveStepOptions,
  bogackiShampine32,
  dormandPrince54,
  type EmbeddedTableau,
  type IntegratorStats,
  type VectorField,
} from './rungeKutta.ts';
export { type ObservationSchedule, observationSteps, observationTimes } from './schedule.ts';
export { projectToSphere, type SphereObjective } from './sphere.ts';
