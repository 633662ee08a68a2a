/**
 * Draw a stage's figure with the `src/plot/` builders. Browser-safe: the caller passes
 * the DOM document (a headless one in Node, from `src/plot/node.ts`).
 */
import {
  ampVsGfFigure,
  censusFigure,
  complexityFigure,
  dynamicsFigure,
  escapeTimeFigure,
  phaseDiagram,
  surfingFigure,
} from '../plot/index.ts';
import type { FigureSpec } from './types.ts';

/**
 * The SVG element of a figure.
 * @example
 * const svg = renderFigure(result.figure, createHeadlessDocument());
 */
export function renderFigure(figure: FigureSpec, document: Document): SVGSVGElement {
  switch (figure.kind) {
    case 'phaseDiagram':
      return phaseDiagram(figure.data, { document });
    case 'dynamics':
      return dynamicsFigure(figure.data, { document });
    case 'surfing':
      return surfingFigure(figure.data, { document });
    case 'complexity':
      return complexityFigure(figure.data, { document });
    case 'escapeTime':
      return escapeTimeFigure(figure.data, { document });
    case 'ampVsGf':
      return ampVsGfFigure(figure.data, { document });
    case 'census':
      return censusFigure(figure.data, { document });
  }
}
