export {
  type PackedTensor,
  packedContract,
  packedGradient,
  packedHessian,
  packedHessianVectorProduct,
} from './contractions.ts';
export {
  type Channel,
  type Covariance,
  channelCovariance,
  type ModelParams,
  modelChannels,
  modelCovariance,
  modelFromChannels,
  polynomialCovariance,
  type SpikedParams,
  spikedChannels,
  spikedCovariance,
  validateChannels,
  validateModelParams,
  validateSpikedParams,
} from './covariance.ts';
export {
  checkInstanceSize,
  DEFAULT_MAX_INSTANCE_BYTES,
  DEFAULT_SAMPLER,
  estimateInstanceBytes,
  type Instance,
  MAX_TYPED_ARRAY_LENGTH,
  type NoiseSampler,
  packedTensorLength,
  type SampleOptions,
  sampleInstance,
  sampleInstanceAsync,
  type TensorChannel,
  type TensorPrecision,
} from './instance.ts';
export { instanceFromNpzEntries, instanceToNpzEntries } from './instanceEntries.ts';
export {
  energy,
  gradient,
  hessian,
  hessianVectorProduct,
  lagrangeMultiplier,
  lossScales,
  riemannianGradient,
  riemannianHessian,
  riemannianHessianVectorProduct,
  type SphereObjective,
  sphereObjective,
  tensorScale,
} from './loss.ts';
export { binomial, packedIndex, unpackIndex } from './packed.ts';
export { overlap, pointAtOverlap, randomPointOnSphere } from './sphere.ts';
export { allocatePackedTensor, isAcceleratedTensor } from './tensorWasm.ts';
