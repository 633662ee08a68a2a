/** Numbers in captions and findings of `saddlesurf reproduce`. */

/** Round for captions: `digits` significant digits, as text. */
export const fmt = (x: number, digits = 4): string => Number(x.toPrecision(digits)).toString();

/**
 * `a ± e` with the error to two significant digits and the value to the same decimal place.
 * @example
 * formatWithError(1.98234, 0.0123); // '1.982 ± 0.012'
 */
export function formatWithError(value: number, error: number): string {
  if (!(error > 0) || !Number.isFinite(error)) return fmt(value, 6);
  const decimals = Math.max(0, 1 - Math.floor(Math.log10(error)));
  return `${value.toFixed(decimals)} ± ${error.toFixed(decimals)}`;
}
