export { ampVsGfStage } from './ampVsGfStage.ts';
export { type AnnealStageConfig, annealStage } from './annealStage.ts';
export { complexityPoints, complexityStage, overlapGrid } from './complexityStage.ts';
export {
  type AmpVsGfConfig,
  type ComplexityConfig,
  type DynamicsFigureConfig,
  type EscapeCaseConfig,
  type EscapeConfig,
  FULL,
  type PhaseConfig,
  PRESETS,
  QUICK,
  REPORT_CASES,
  type ReproduceConfig,
  type SurfingConfig,
} from './config.ts';
export { dynamicsStage } from './dynamicsStage.ts';
export {
  type EscapeMeasurement,
  type EscapeSeries,
  type EscapeSettings,
  escapeSeries,
  escapeSeriesOf,
  escapeTime,
} from './escape.ts';
export {
  deviationSummary,
  type EscapeRuns,
  escapeTimeStage,
  finiteLambdaBias,
  measureEscapes,
  seriesSummary,
} from './escapeStage.ts';
export { formatWithError } from './format.ts';
export { type ParallelOptions, runStagesParallel } from './parallel.ts';
export { deltapGrid, phaseDiagramStage } from './phaseDiagramStage.ts';
export { renderFigure } from './render.ts';
export { reproduceStages, type Stage } from './run.ts';
export { surfingStage } from './surfingStage.ts';
export type { FigureSpec, StageProgress, StageResult, Table } from './types.ts';
