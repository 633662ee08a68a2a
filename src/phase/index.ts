export {
  type ChannelThresholds,
  channelBayesIT,
  channelGfEndState,
  channelGfThreshold,
  channelMlAmpThreshold,
  channelModel,
  channelThresholds,
  tensorChannels,
} from './channels.ts';
export {
  gfThreshold,
  langevinConjecture,
  mlAmpThreshold,
  THRESHOLD_DELTAP_RANGE,
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
