// Where saddlesurf writes (Node only): the atomic output directory, single-file outputs, and the
// liveness records that tell a live run's partial output from a dead one's. Used by the CLI and
// by the sweeps; the rules are stated, with their tests, in src/cli/README.md "Guarantees".
export {
  claimPartial,
  currentOwner,
  ownerGone,
  readOwner,
  releasePartial,
  withHeartbeat,
} from './liveness.ts';
export {
  checkOutputFile,
  checkOutputTarget,
  fsErrorText,
  type OutputDir,
  withOutputDir,
  writeFileAtomic,
  writeFileAtomicAsync,
} from './output.ts';
export { MARKER_FILE, partialPath, pathExists, truncateUtf8 } from './outputTarget.ts';
