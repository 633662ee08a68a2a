/**
 * The exported `execute*` functions the explorer's worker calls are the tasks' own `execute`
 * (so the CLI, sweeps and `reproduce` run exactly them), and the provenance they return beside
 * the document is the `params.json` they write.
 */
import { describe, expect, it } from 'vitest';
import { executeFlow, flowTask } from './flow.ts';
import { executeLandscape, landscapeTask } from './landscape.ts';
import { executePhaseDiagram, phaseDiagramTask } from './phaseDiagram.ts';
import { executeSample, sampleTask } from './sample.ts';
import type { TaskFiles } from './task.ts';
import { executeThresholds, thresholdsTask } from './thresholds.ts';

/** The JSON files a run writes, by name (text and bytes ignored). */
function jsonFiles(write: (files: TaskFiles) => void): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  write({ text: () => {}, bytes: () => {}, json: (name, value) => void (out[name] = value) });
  return out;
}

describe("the tasks' execute functions", () => {
  it('are the registered tasks’ execute', () => {
    expect(landscapeTask.execute).toBe(executeLandscape);
    expect(phaseDiagramTask.execute).toBe(executePhaseDiagram);
    expect(thresholdsTask.execute).toBe(executeThresholds);
    expect(flowTask.execute).toBe(executeFlow);
    expect(sampleTask.execute).toBe(executeSample);
  });

  it('return the params.json they write as their provenance, and what the document summarises', async () => {
    const land = await executeLandscape(landscapeTask.validate({ p: 3, delta2: 0.5, deltap: 1, points: 5 }));
    expect(jsonFiles(land.write)['params.json']).toBe(land.provenance);
    expect(land.complexity).toHaveLength(5);
    expect(land.threshold.outlier).toBe(land.document.zeroOverlap.outlier);
    const phase = await executePhaseDiagram(phaseDiagramTask.validate({ p: 3, points: 3 }));
    expect(jsonFiles(phase.write)['params.json']).toBe(phase.provenance);
    const flowParams = flowTask.validate({ n: 12, p: 3, seed: 2, tmax: 1, m0: 0.1 });
    const flow = await executeFlow(flowParams);
    expect(jsonFiles(flow.write)['params.json']).toBe(flow.provenance);
    expect(flow.provenance).toMatchObject({ command: 'flow', seed: 2 });
    expect(flow.observations.at(-1)!.m).toBe(flow.document.final.m);
    const sample = await executeSample(sampleTask.validate({ n: 12, p: 3, seed: 2 }));
    expect(sample.provenance).toMatchObject({
      command: 'sample',
      seed: 2,
      parameters: { n: 12, precision: 'float64' },
    });
    expect(sample.instance.n).toBe(12);
    // The thresholds task writes no files; its provenance names the command and the parameters.
    const lines = await executeThresholds(thresholdsTask.validate({ p: 3, deltap: 1 }));
    expect(jsonFiles(lines.write)).toEqual({});
    expect(lines.provenance).toMatchObject({
      command: 'thresholds',
      parameters: { p: 3, deltap: 1 },
      seed: null,
    });
    expect(lines.bayesRegions!.at(-1)!.to).toBe(Number.POSITIVE_INFINITY);
  });
});
