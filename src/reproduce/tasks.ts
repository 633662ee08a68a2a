/**
 * The independent computations of `reproduce` as tasks for the sweep engine's worker threads
 * (a registry module: `getTask(name)`): one escape-time measurement (`escape`), or one whole
 * stage that does not depend on another (`stage`: dynamics, surfing, complexity, amp-vs-gf,
 * anneal, census).
 * Parameters are plain data (the preset's config sections), results the same values the
 * sequential run computes, so the outputs do not depend on the number of threads.
 */

import { ampVsGfStage } from './ampVsGfStage.ts';
import { type AnnealStageConfig, annealStage } from './annealStage.ts';
import { type CensusStageConfig, censusStage } from './censusStage.ts';
import { complexityStage } from './complexityStage.ts';
import type { AmpVsGfConfig, ComplexityConfig, DynamicsFigureConfig, SurfingConfig } from './config.ts';
import { dynamicsStage } from './dynamicsStage.ts';
import { type EscapeSettings, escapeTime } from './escape.ts';
import { surfingStage } from './surfingStage.ts';
import type { StageResult } from './types.ts';

export interface EscapeTaskParams {
  readonly point: { p: number; deltap: number; invDelta2: number; temperature: number };
  readonly settings: EscapeSettings;
}

export type StageTaskParams =
  | { readonly id: 'dynamics'; readonly config: DynamicsFigureConfig }
  | { readonly id: 'surfing'; readonly config: SurfingConfig }
  | { readonly id: 'complexity'; readonly config: ComplexityConfig }
  | { readonly id: 'amp-vs-gf'; readonly config: AmpVsGfConfig }
  | { readonly id: 'anneal'; readonly config: AnnealStageConfig }
  | { readonly id: 'census'; readonly config: CensusStageConfig };

const noProgress = () => {};

function runStage(params: StageTaskParams): StageResult {
  switch (params.id) {
    case 'dynamics':
      return dynamicsStage(params.config, noProgress);
    case 'surfing':
      return surfingStage(params.config, noProgress);
    case 'complexity':
      return complexityStage(params.config, noProgress);
    case 'amp-vs-gf':
      return ampVsGfStage(params.config, noProgress);
    case 'anneal':
      return annealStage(params.config, noProgress);
    case 'census':
      return censusStage(params.config, noProgress);
  }
}

const task = <P extends object>(compute: (params: P) => unknown) => ({
  validate: (raw: Readonly<Record<string, unknown>>) => raw as unknown as P,
  execute: async (params: object) => ({ document: compute(params as P), write: () => {} }),
});

const registry = {
  escape: task<EscapeTaskParams>((p) => escapeTime(p.point, p.settings)),
  stage: task<StageTaskParams>(runStage),
};

export function getTask(name: string) {
  return Object.hasOwn(registry, name) ? registry[name as keyof typeof registry] : undefined;
}
