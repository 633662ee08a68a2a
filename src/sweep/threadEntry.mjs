// A sweep worker thread: load TypeScript the way bin/saddlesurf does (tsx), then the worker.
import { register } from 'tsx/esm/api';

register();
await import('./thread.ts');
