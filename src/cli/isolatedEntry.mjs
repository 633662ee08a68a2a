// The worker thread of an isolated run (isolated.ts): load TypeScript the way bin/saddlesurf
// does (tsx), then the thread's body.
import { register } from 'tsx/esm/api';

register();
await import('./isolatedThread.ts');
