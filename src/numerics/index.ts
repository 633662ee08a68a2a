export {
  brentMinimize,
  goldenSectionMinimize,
  type LocalMaximum,
  localMaxima,
  type MinimizeOptions,
  type MinimumResult,
} from './minimize.ts';
export {
  type IntegralResult,
  type IntegrateOptions,
  integrate,
  integrateSemicircle,
  integrateWithError,
  type SemicircleOptions,
} from './quadrature.ts';
export {
  allRoots,
  type BracketOptions,
  brentRoot,
  findBracket,
  RootNotFoundError,
  type RootOptions,
} from './root.ts';
