/**
 * Tidy CSV with a header row. Numbers are written in JavaScript's shortest
 * round-trip form (deterministic, exact on re-read); null, undefined and NaN are
 * written as empty fields; ±Infinity as `inf` / `-inf` (read by pandas and numpy).
 */

export type CsvValue = number | string | boolean | null | undefined;

function formatValue(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '';
    if (value === Number.POSITIVE_INFINITY) return 'inf';
    if (value === Number.NEGATIVE_INFINITY) return '-inf';
    return String(value);
  }
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * CSV text from a header and rows (arrays in header order).
 * @example
 * toCsv(['t', 'm'], [[0, 0.1], [1, 0.2]]); // "t,m\n0,0.1\n1,0.2\n"
 */
export function toCsv(columns: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [columns.map(formatValue).join(',')];
  for (const row of rows) {
    if (row.length !== columns.length)
      throw new RangeError(`CSV row has ${row.length} fields, header has ${columns.length}`);
    lines.push(row.map(formatValue).join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** CSV text from named, equally long columns. */
export function columnsToCsv(columns: Readonly<Record<string, ArrayLike<CsvValue>>>): string {
  const names = Object.keys(columns);
  const length = names.length === 0 ? 0 : columns[names[0]].length;
  for (const name of names) {
    if (columns[name].length !== length)
      throw new RangeError(`CSV column ${name} has length ${columns[name].length}, expected ${length}`);
  }
  const rows: CsvValue[][] = [];
  for (let i = 0; i < length; i++) rows.push(names.map((name) => columns[name][i]));
  return toCsv(names, rows);
}

/** Parse CSV written by `toCsv` (quoted fields supported): header and rows of strings. */
export function parseCsv(text: string): { columns: string[]; rows: string[][] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field.length > 0 || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [columns = [], ...rows] = records;
  return { columns, rows };
}
