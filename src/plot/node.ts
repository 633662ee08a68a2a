/**
 * Node entry point of `plot/`: everything in the browser barrel plus headless
 * rendering (linkedom document, standalone SVG strings, PNG via resvg). CLI code
 * imports this; browser code imports `index.ts`.
 */
export * from './headless.ts';
export * from './index.ts';
