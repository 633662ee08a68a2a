/**
 * Corrupt and malicious instance files (issue 11), written by numpy (an encoder
 * independent of ours): each is refused by `flow` and `amp` with exit 2 naming
 * `--instance` and the entry, and nothing is written.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, RAW_ERROR } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'saddlesurf-adv-inst-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** File name → what the refusal must say. */
const CASES: Readonly<Record<string, string>> = {
  scaled3: "instance entry 'signal' has |x*|² = ",
  zero: "'signal' has |x*|² = 0 but must equal N = 12",
  int64: "instance entry 'signal' must be float64, got <i8",
  nan: "'signal' has a non-finite value at index 4",
  duplicate: "entry 'signal.npy' occurs more than once in the archive",
  asymmetric: "'matrix' must be symmetric",
  tensorShort: "'tensor' must be a packed float64/float32 array of C(12, 3) = 220 entries",
  tensorInt: "instance entry 'tensor' must be float64 or float32, got <i8",
  matrixFlat: "'matrix' must have shape (12, 12), got (144)",
  bomb: "entry 'pad.npy' claims",
  notZip: 'not an NPZ',
};

let haveNumpy = true;

beforeAll(() => {
  const script = `
import sys, zipfile, io, math, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(5)
n, p = 12, 3
x = rng.standard_normal(n); x *= math.sqrt(n) / np.linalg.norm(x)
Y = rng.standard_normal((n, n)); Y = (Y + Y.T) / 2; np.fill_diagonal(Y, 0)
T = rng.standard_normal(math.comb(n, p))
base = dict(signal=x, matrix=Y, tensor=T, n=np.float64(n), p=np.float64(p), delta2=np.float64(0.5),
            deltap=np.float64(1.0), seed=np.float64(1))
def save(name, **changes):
    np.savez(f"{d}/{name}.npz", **{**base, **changes})
save('ok')
save('scaled3', signal=3 * x)
save('zero', signal=np.zeros(n))
save('int64', signal=np.ones(n, dtype=np.int64))
nan = x.copy(); nan[4] = np.nan; save('nan', signal=nan)
A = Y.copy(); A[0, 1] += 1e-9; save('asymmetric', matrix=A)
save('tensorShort', tensor=T[:-1])
save('tensorInt', tensor=np.ones(len(T), dtype=np.int64))
save('matrixFlat', matrix=Y.ravel())
# A second 'signal.npy' (x3) appended to a valid archive: last-wins readers take it.
import shutil, warnings
shutil.copy(f"{d}/ok.npz", f"{d}/duplicate.npz")
buf = io.BytesIO(); np.save(buf, 3 * x)
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    with zipfile.ZipFile(f"{d}/duplicate.npz", 'a') as z:
        z.writestr('signal.npy', buf.getvalue())
# 16 MB of zeros deflated to ~16 KB: refused from the directory, before inflating.
buf = io.BytesIO(); np.save(buf, np.zeros(2_000_000))
shutil.copy(f"{d}/ok.npz", f"{d}/bomb.npz")
with zipfile.ZipFile(f"{d}/bomb.npz", 'a', compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr('pad.npy', buf.getvalue())
open(f"{d}/notZip.npz", 'wb').write(b'PK not really')
print('ok')
`;
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
  } catch {
    haveNumpy = false;
    return;
  }
  expect(execFileSync('python3', ['-c', script, dir], { encoding: 'utf8' }).trim()).toBe('ok');
}, 120_000);

describe('instance files written by numpy', () => {
  it('accepts the valid one (the control), refuses every corrupt one naming the entry', async () => {
    if (!haveNumpy) {
      // No independent encoder on this machine; src/cli/instanceFile.test.ts covers the same cases.
      expect(haveNumpy).toBe(false);
      return;
    }
    const ok = await cli('flow', '--instance', join(dir, 'ok.npz'), '--tmax', '0.5', '--json');
    expect(ok.status, ok.err).toBe(0);
    for (const [name, message] of Object.entries(CASES)) {
      const path = join(dir, `${name}.npz`);
      for (const args of [
        ['flow', '--tmax', '0.5'],
        ['amp', '--iters', '2'],
      ]) {
        const out = join(dir, `out-${name}-${args[0]}`);
        const r = await cli(...args, '--instance', path, '--out', out);
        expect(r.status, `${name} ${args[0]}: ${r.err}`).toBe(2);
        expect(r.err).toContain(`--instance: ${path} is not a valid saddlesurf instance file`);
        expect(r.err, name).toContain(message);
        expect(r.err).not.toMatch(RAW_ERROR);
        expect(existsSync(out)).toBe(false);
      }
    }
    expect(readdirSync(dir).filter((f) => !f.endsWith('.npz'))).toEqual([]);
  });
});
