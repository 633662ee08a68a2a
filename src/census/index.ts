export {
  type CensusOptions,
  type CensusResult,
  classify,
  type DistinctPoint,
  type EndClass,
  type EndPoint,
  runCensus,
  runCensusSync,
  type StartKind,
} from './census.ts';
export { chao1, clusterByOverlap, type Histogram, histogram } from './cluster.ts';
export { type PolishOptions, polishStationary, type StationaryPoint, tangentSpectrum } from './stationary.ts';
export {
  END_CLASSES,
  type InstanceSummary,
  minimaHistograms,
  summarizeInstance,
  summarizeInstances,
} from './summary.ts';
export {
  complexityEstimate,
  defaultDescentStep,
  type KacRiceMinima,
  kacRiceMinima,
  mirrorOverlap,
} from './theory.ts';
