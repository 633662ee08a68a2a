export { type AnnealStageConfig, annealStage } from './annealStage.ts';
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
export {
  type EscapeMeasurement,
  type EscapeSeries,
  type EscapeSettings,
  escapeSeries,
  escapeSeriesOf,
  escapeTime,
} from './escape.ts';
export { type ParallelOptions, runStagesParallel } from './parallel.ts';
export { renderFigure } from './render.ts';
export { reproduceStages, type Stage } from './run.ts';
export {
  ampVsGfStage,
  complexityPoints,
  complexityStage,
  deltapGrid,
  deviationSummary,
  dynamicsStage,
  type EscapeRuns,
  escapeTimeStage,
  finiteLambdaBias,
  formatWithError,
  measureEscapes,
  overlapGrid,
  phaseDiagramStage,
  seriesSummary,
  surfingStage,
} from './stages.ts';
export type { FigureSpec, StageProgress, StageResult, Table } from './types.ts';
