/**
 * Census (src/census): the cost of one descent to a stationary point, side by side on one
 * instance (p = 3, Δ2 = ∞, Δp = 1, N = 60 and 120) from the same 4 random starts:
 * gradient descent at the census default step (1.5/λ_bound) against gradient flow (adaptive
 * Dormand–Prince 5(4)), both to |grad|/√N < 1e-6, and the Newton polish + Hessian index that
 * follows each descent (dense tangent Hessian and its eigen-decomposition). The ratio in `note`
 * is gf / gd (why the census defaults to gd) and polish / gd descent.
 */
import { polishStationary } from '../src/census/index.ts';
import { runDescent } from '../src/dynamics/index.ts';
import { randomPointOnSphere, sampleInstance, sphereObjective } from '../src/model/index.ts';
import { Rng } from '../src/random/index.ts';
import type { BenchRow } from './run.ts';

const cpuMs = (fn: () => void): number => {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

export async function benchCensusDescent(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const n of [60, 120]) {
    const inst = sampleInstance({ n, p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1, seed: 1 });
    const objective = sphereObjective(inst);
    const rng = Rng.fromSeed(2);
    const starts = Array.from({ length: 4 }, () => randomPointOnSphere(n, rng));
    // The census default step: 1.5/(2σ + 2σ), σ = √f''(1) = √2 here.
    const eta = 1.5 / (4 * Math.SQRT2);
    const schedule = { spacing: 'log' as const, count: 400, tmin: 0.1 };
    const ends: Float64Array[] = [];
    const gd = cpuMs(() => {
      for (const x0 of starts) {
        const r = runDescent(objective, x0, {
          method: 'gd',
          dt: eta,
          tmax: 2000,
          schedule,
          gradientTolerance: 1e-6,
        });
        ends.push(r.x);
      }
    });
    const gf = cpuMs(() => {
      for (const x0 of starts)
        runDescent(objective, x0, {
          method: 'gf',
          dt: Number.POSITIVE_INFINITY,
          tmax: 2000,
          schedule,
          gradientTolerance: 1e-6,
        });
    });
    const polish = cpuMs(() => {
      for (const x of ends) polishStationary(inst, x);
    });
    rows.push({ name: `N=${n} gd descent ×4`, ms: gd });
    rows.push({ name: `N=${n} gf descent ×4`, ms: gf, note: `gf/gd = ${(gf / gd).toFixed(2)}` });
    rows.push({
      name: `N=${n} Newton polish + index ×4`,
      ms: polish,
      note: `polish/gd = ${(polish / gd).toFixed(2)}`,
    });
  }
  return rows;
}
