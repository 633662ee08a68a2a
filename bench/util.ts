/** Helpers shared by the benchmark modules. */
import { execFileSync } from 'node:child_process';

/** Median wall time in ms of `fn` over `repeats` runs after one warm-up. */
export function timeMedian(fn: () => unknown, repeats = 5): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Whether `python3` with numpy is available for side-by-side comparisons. */
export function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Run a python snippet that prints one JSON document; returns it parsed. */
export function runPythonJson<T>(script: string): T {
  return JSON.parse(execFileSync('python3', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 26 })) as T;
}
