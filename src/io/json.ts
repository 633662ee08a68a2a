/**
 * JSON for results and metadata. JSON has no Infinity or NaN: a switched-off
 * channel (Δ = ∞) is written as the string "inf" (the same spelling the CLI flags
 * accept), NaN as null. Output is pretty-printed with a trailing newline and is a
 * pure function of the value (no timestamps), so reruns are byte-identical.
 */

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (value === Number.POSITIVE_INFINITY) return 'inf';
    if (value === Number.NEGATIVE_INFINITY) return '-inf';
    if (Number.isNaN(value)) return null;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView))
    return Array.from(value as unknown as ArrayLike<number>);
  return value;
}

/**
 * @example
 * toJson({ delta2: Infinity, m: 0.5 }); // '{\n  "delta2": "inf",\n  "m": 0.5\n}\n'
 */
export function toJson(value: unknown, indent = 2): string {
  return `${JSON.stringify(value, replacer, indent)}\n`;
}

/** Inverse of the "inf" convention for numbers read back from JSON. */
export function numberFromJson(value: unknown): number {
  if (value === 'inf') return Number.POSITIVE_INFINITY;
  if (value === '-inf') return Number.NEGATIVE_INFINITY;
  if (value === null) return Number.NaN;
  if (typeof value === 'number') return value;
  throw new TypeError(`not a number: ${JSON.stringify(value)}`);
}
