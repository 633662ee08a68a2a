export { axpy, copy, dot, gemv, nrm2, scal, symv, type Transpose, type Uplo } from './blas.ts';
export {
  type SymmetricEigenOptions,
  type SymmetricEigenResult,
  symmetricEigen,
  symmetricEigenvalues,
} from './eigen.ts';
export { type LanczosOptions, type LanczosResult, lanczos, type MatVec, type RitzPair } from './lanczos.ts';
export {
  NonConvergenceError,
  RotationLog,
  symmetricTridiagonalEigenvalues,
  tridiagonalQL,
} from './tridiagonal.ts';
