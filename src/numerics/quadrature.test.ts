import { describe, expect, it } from 'vitest';
import { integrate, integrateSemicircle, integrateWithError } from './quadrature.ts';

describe('integrate (tanh–sinh)', () => {
  it('integrates smooth functions to machine precision', () => {
    // Closed forms; 1e-13 relative is the default tolerance with a safety margin.
    expect(integrate(Math.exp, 0, 1)).toBeCloseTo(Math.E - 1, 13);
    expect(integrate((x) => 1 / (1 + x * x), -1, 1)).toBeCloseTo(Math.PI / 2, 13);
    expect(integrate(Math.sin, Math.PI, 0)).toBeCloseTo(-2, 13);
  });

  it('handles end-point singularities: x^{-1/2}, ln x, √(1−x²)', () => {
    // The tanh–sinh nodes approach the ends doubly exponentially, so these converge
    // like smooth integrands; 1e-11 allows for the 1e-300 tail lost next to 0.
    expect(integrate((x) => 1 / Math.sqrt(x), 0, 4)).toBeCloseTo(4, 11);
    expect(integrate(Math.log, 0, 1)).toBeCloseTo(-1, 12);
    expect(integrate((x) => Math.sqrt(1 - x * x), -1, 1)).toBeCloseTo(Math.PI / 2, 12);
    expect(integrate((x) => Math.log(x) ** 2 / Math.sqrt(x), 0, 1)).toBeCloseTo(16, 10);
  });

  it('handles an interior log singularity given as a breakpoint', () => {
    const z = 0.3;
    const exact = z * Math.log(z) + (1 - z) * Math.log(1 - z) - 1;
    // Closed form ∫_0^1 ln|x − z| dx; 1e-12 from the default tolerance.
    expect(integrate((x) => Math.log(Math.abs(x - z)), 0, 1, { breakpoints: [z] })).toBeCloseTo(exact, 12);
  });

  it('reports an honest error estimate', () => {
    const r = integrateWithError((x) => Math.cos(30 * x), 0, 1, { tol: 1e-6 });
    expect(Math.abs(r.value - Math.sin(30) / 30)).toBeLessThan(Math.max(r.error, 1e-14) * 10);
    expect(r.evaluations).toBeGreaterThan(10);
  });
});

describe('integrateSemicircle (Gauss–Chebyshev, second kind)', () => {
  it('reproduces the Catalan moments of the semicircle', () => {
    // Moments of the radius-2 semicircle: E s^{2k} = Catalan(k) = 1, 1, 2, 5, 14; exact for polynomials.
    const catalan = [1, 1, 2, 5, 14];
    for (const [k, c] of catalan.entries())
      expect(integrateSemicircle((s) => s ** (2 * k))).toBeCloseTo(c, 12);
    expect(integrateSemicircle((s) => s ** 3)).toBeCloseTo(0, 13);
  });

  it('shifts and rescales: E[s] = centre, Var = R²/4', () => {
    expect(integrateSemicircle((s) => s, { center: 1.5, radius: 3 })).toBeCloseTo(1.5, 13);
    expect(integrateSemicircle((s) => (s - 1.5) ** 2, { center: 1.5, radius: 3 })).toBeCloseTo(9 / 4, 12);
  });

  it('agrees with tanh–sinh for the log potential outside the support', () => {
    // Closed form of THEORY §4.2: ∫ ln|z − s| ρ_sc(s) ds = z²/4 − ½ − (z/4)√(z²−4) + ln((z+√(z²−4))/2) for z > 2.
    const z = 2.7;
    const q = Math.sqrt(z * z - 4);
    const exact = (z * z) / 4 - 0.5 - (z / 4) * q + Math.log((z + q) / 2);
    expect(integrateSemicircle((s) => Math.log(z - s))).toBeCloseTo(exact, 11);
    const rho = (s: number) => Math.sqrt(4 - s * s) / (2 * Math.PI);
    expect(integrate((s) => Math.log(z - s) * rho(s), -2, 2)).toBeCloseTo(exact, 12);
  });
});
