import { describe, expect, it } from 'vitest';
import { fmt, superscript } from './theme.ts';

describe('fmt', () => {
  it('prints 4 significant digits, exponents outside [1e-3, 1e5), and typographic minus signs', () => {
    expect(fmt(2)).toBe('2');
    expect(fmt(1.23456)).toBe('1.235');
    expect(fmt(-0.5)).toBe('−0.5');
    expect(fmt(-1e-7)).toBe('−1.000e−7');
    expect(fmt(123456)).toBe('1.235e+5');
    expect(fmt(0)).toBe('0');
    expect([fmt(Infinity), fmt(-Infinity), fmt(Number.NaN)]).toEqual(['∞', '−∞', 'NaN']);
  });

  it('writes exponents as superscripts', () => {
    expect([superscript(-3), superscript(12), superscript(0)]).toEqual(['⁻³', '¹²', '⁰']);
  });
});
