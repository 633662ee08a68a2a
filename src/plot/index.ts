/**
 * Figure builders shared by the CLI and the browser explorer: each takes tidy
 * data and returns an `<svg>` element built with Observable Plot, with SVG
 * legends, the paper's symbols and a colour-blind-safe palette. Browser-safe:
 * Node-only rendering (linkedom, resvg) lives in `node.ts`.
 */
export {
  type AmpVsGfData,
  type AmpVsGfOptions,
  ampVsGfFigure,
  type SpreadRow,
} from './ampVsGf.ts';
export { type AnnealData, type AnnealRow, type AnnealRun, annealFigure } from './anneal.ts';
export {
  ampVsGfCaption,
  complexityCaption,
  dynamicsCaption,
  escapeTimeCaption,
  firstCrossing,
  phaseDiagramCaption,
  surfingCaption,
} from './captions.ts';
export {
  CENSUS_CLASSES,
  CENSUS_OBSERVABLES,
  type CensusClass,
  type CensusData,
  type CensusHistogramRow,
  type CensusObservable,
  type CensusTrendRow,
  censusFigure,
  stackHistogram,
} from './census.ts';
export { clipPolyline } from './chart.ts';
export {
  type ComplexityCurve,
  type ComplexityData,
  type ComplexityOptions,
  type ComplexityRegime,
  type ComplexityRow,
  complexityFigure,
} from './complexity.ts';
export { type ComposeOptions, composeFigure, type PanelPlacement } from './compose.ts';
export {
  type DynamicsData,
  type DynamicsFiniteNRow,
  type DynamicsObservable,
  type DynamicsOptions,
  type DynamicsTheoryRow,
  type DynamicsThreshold,
  dynamicsFigure,
} from './dynamics.ts';
export {
  type EscapeCase,
  type EscapeFit,
  type EscapePoint,
  type EscapeTimeData,
  type EscapeTimeOptions,
  escapeTimeFigure,
} from './escapeTime.ts';
export {
  drawLegend,
  finiteNLabel,
  type LegendEntry,
  type LegendOptions,
  type LegendSymbol,
} from './legend.ts';
export {
  type PhaseDiagramOptions,
  phaseDiagram,
  phaseLineStyle,
  regionFill,
} from './phaseDiagram.ts';
export {
  type BayesRegion,
  type MeasuredThreshold,
  type PhaseDiagramData,
  type PhaseLine,
  type PhaseLineKind,
  type PhasePoint,
  phaseLinesFromTable,
  type RegionRow,
  regionRowsFromIntervals,
  type TrivConvention,
} from './phaseDiagramData.ts';
export { buildReport, escapeHtml, type ReportInput, type ReportMeta, type ReportSection } from './report.ts';
export {
  type SurfingData,
  type SurfingOptions,
  type SurfingRunRow,
  type SurfingTheoryRow,
  surfingFigure,
} from './surfing.ts';
export {
  ampVsGfTables,
  complexityTables,
  dynamicsTables,
  escapeTimeTables,
  type FigureTables,
  phaseDiagramTables,
  surfingTables,
  type Table,
} from './tables.ts';
export { type BaseFigureOptions, colors, FONT_FAMILY, FONT_SIZE, seriesPalette, sym } from './theme.ts';
