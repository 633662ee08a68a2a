export { Rng, type RngState } from './rng.ts';
export { Xoshiro128 } from './xoshiro.ts';
