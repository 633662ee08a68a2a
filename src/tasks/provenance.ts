/**
 * The provenance every result records: the package version, the command, every parameter and
 * (in `extra`) the seed. The CLI writes it as `params.json`; the explorer's exports carry it.
 */
import { VERSION } from '../version.ts';

/**
 * The `params.json` every command writes: command, every parameter, seed and package version.
 * A pure function of its inputs (no timestamps), so reruns are byte-identical.
 */
export function paramsDocument(
  command: string,
  parameters: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return { saddlesurf: VERSION, command, parameters, ...extra };
}
