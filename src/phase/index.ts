export {
  gfThreshold,
  langevinConjecture,
  mlAmpThreshold,
  type TrivialisationOptions,
  trivialisationThreshold,
  validateLineParams,
} from './lines.ts';
export {
  LINE_NAMES,
  type LineName,
  type Thresholds,
  thresholdLineSteps,
  thresholdLines,
  thresholds,
} from './table.ts';
export { type EscapePoint, fitEscapeTimes, type PowerLawFit } from './thresholdExtrapolation.ts';
