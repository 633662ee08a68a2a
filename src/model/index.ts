export {
  type Channel,
  type Covariance,
  channelCovariance,
  polynomialCovariance,
  type SpikedParams,
  spikedChannels,
  spikedCovariance,
  validateSpikedParams,
} from './covariance.ts';
