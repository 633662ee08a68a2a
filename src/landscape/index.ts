export {
  type ComplexityMaximum,
  complexity,
  complexityAll,
  complexityAtEnergy,
  complexityMinima,
  complexityWithEnergy,
  minimaMultiplier,
  semicircleLogPotential,
  thresholdComplexity,
  thresholdEnergy,
  thresholdMultiplier,
  typicalEnergy,
} from './complexity.ts';
export {
  bulkDeficitCoefficient,
  type FiniteNEdges,
  type FiniteNOptions,
  finiteNBulkEdges,
  finiteNBulkVariance,
  TRACY_WIDOM_GOE_MEAN,
  TRACY_WIDOM_GOE_SD,
} from './finiteN.ts';
export { bulkDensity, type HessianSpectrum, hessianSpectrum, signalStrength } from './hessian.ts';
export { LANDSCAPE_DELTA_MIN, validateLandscapeParams } from './range.ts';
export { endStateOverlaps, type SignalMinimum, signalMinimum } from './signal.ts';
export {
  type OverlapConvention,
  type SpuriousMinima,
  type SpuriousOptions,
  spuriousMinima,
} from './spurious.ts';
