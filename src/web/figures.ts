/**
 * Every figure builder the page uses, in one module that is loaded on demand
 * (`useFigures`): Observable Plot is most of the page's JavaScript, so the controls
 * and the workers start before it has arrived.
 */
export { complexityFigure } from '../plot/complexity.ts';
export { dynamicsFigure } from '../plot/dynamics.ts';
export { phaseDiagram } from '../plot/phaseDiagram.ts';
export { spectrumFigure } from './spectrum.ts';
