import { describe, expect, it } from 'vitest';
import { packedHessian } from './contractions.ts';
import { binomial } from './packed.ts';
import { allocatePackedTensor, type TensorKernelOptions, wasmHessian } from './tensorWasm.ts';
import { HESS_GROUPS } from './tensorWasmHess.ts';

const entry = (i: number) => Math.sin(12.9898 * i + 78.233) * 0.999;

/**
 * The grouped dense-Hessian kernel with every group size on every block, whatever the
 * block's dimension (by default small blocks run one at a time, so the tests of
 * `tensorWasm.test.ts` reach the groups only at n ≥ 160).
 */
describe('grouped dense-Hessian kernel (hess1, hess3)', () => {
  // n = 3…12: groups of 3 with 0, 1 or 2 blocks left over, rows shorter than one vector
  // iteration; 23, 41: stretches of every length mod 8; p = 4, 5: blocks of many dimensions.
  const cases: [number, number][] = [
    ...Array.from({ length: 10 }, (_, k): [number, number] => [k + 3, 3]),
    [23, 3],
    [41, 3],
    [13, 4],
    [11, 5],
  ];
  const variants: { name: string; precision: 'float64' | 'float32'; options: TensorKernelOptions }[] = [
    { name: 'float64', precision: 'float64', options: {} },
    { name: 'float32 f32x4', precision: 'float32', options: {} },
    { name: 'float32 widened', precision: 'float32', options: { float32: 'widened' } },
  ];
  for (const { name, precision, options } of variants)
    for (const [n, p] of cases)
      it(`equals the JS kernel for every group size: n=${n} p=${p} ${name}`, () => {
        const len = binomial(n, p);
        const t = allocatePackedTensor(n, p, len, precision, options);
        for (let i = 0; i < len; i++) t[i] = entry(i);
        const plain = precision === 'float32' ? Float32Array.from(t) : Float64Array.from(t);
        const x = new Float64Array(n).map((_, i) => Math.cos(0.7 * i + 0.1));
        const js = new Float64Array(n * n).fill(0.5);
        packedHessian(plain, n, p, x, -1.3, js);
        // Each entry of H sums ≤ n·C(n−2, p−3) terms of size ≤ 1.3 (|T|, |x| < 1): float64
        // sums in another order differ by ≤ that count times a few ulps (< 1e-13 each);
        // f32x4 sums each stretch in float32, ≤ n terms, so ≤ (n + 4)·2⁻²⁴ of the same
        // sum of |terms| (the bound of `tensorWasm.test.ts`), below 3e-7·(n + 4)·count.
        const count = n * binomial(n - 2, p - 3);
        const tol =
          (options.float32 === undefined && precision === 'float32' ? 3e-7 * (n + 4) : 1e-13) * count;
        for (const g of HESS_GROUPS) {
          // Twice: the scratch must be left zero by the first call.
          for (let rep = 0; rep < 2; rep++) {
            const h = new Float64Array(n * n).fill(0.5);
            expect(wasmHessian(t, n, p, x, -1.3, h, g)).toBe(true);
            let worst = 0;
            for (let k = 0; k < n * n; k++) worst = Math.max(worst, Math.abs(h[k] - js[k]));
            expect(worst).toBeLessThanOrEqual(tol);
            // Symmetric exactly (one value mirrored), zero diagonal added.
            for (let i = 0; i < n; i++) {
              expect(h[i * n + i]).toBe(0.5);
              for (let j = i + 1; j < n; j++) expect(h[i * n + j]).toBe(h[j * n + i]);
            }
          }
        }
        // Not vacuous: the kernel added something.
        expect(Math.abs(js[1] - 0.5)).toBeGreaterThan(1e-3);
      });

  it('the stretches’ overrun never reaches H (x is zero there, the padding of H is never read)', () => {
    // The stretches read up to 7 entries past a row (the next row's, or the zero padding
    // after the tensor) against x's zero padding: a huge entry next to a row must not leak.
    const n = 9;
    const len = binomial(n, 3);
    for (const precision of ['float64', 'float32'] as const) {
      const t = allocatePackedTensor(n, 3, len, precision);
      t.fill(0);
      t[len - 1] = 1e30;
      const x = new Float64Array(n).fill(1);
      const h = new Float64Array(n * n);
      for (const g of HESS_GROUPS) {
        h.fill(0);
        wasmHessian(t, n, 3, x, 1, h, g);
        // T_{6,7,8} = 1e30 alone: H_67 = H_68 = H_78 = 1e30 and nothing else.
        const nonzero = [...h.keys()].filter((k) => h[k] !== 0).map((k) => [Math.floor(k / n), k % n]);
        expect(nonzero.map(([i, j]) => `${i},${j}`).sort()).toEqual(
          ['6,7', '6,8', '7,6', '7,8', '8,6', '8,7'].sort(),
        );
      }
    }
  });
});
