export { type CsvValue, columnsToCsv, parseCsv, toCsv } from './csv.ts';
export { numberFromJson, toJson } from './json.ts';
export { decodeNpy, encodeNpy, type NpyArray, type NpyData } from './npy.ts';
export { decodeNpz, encodeNpz } from './npz.ts';
