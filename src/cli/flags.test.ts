import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { addFlags, choiceFlag, integerFlag, numberFlag, readFlags, switchFlag } from './flags.ts';
import { modelFlags, modelParams } from './options.ts';

function parse(args: string[]) {
  const flags = {
    ...modelFlags,
    n: integerFlag('--n', { description: 'dimension N', ge: 2, required: true }),
    m0: numberFlag('--m0', { description: 'initial overlap', gt: 0, lt: 1, default: 0.05 }),
    method: choiceFlag('--method', ['gf', 'gd', 'langevin'] as const, {
      description: 'method',
      default: 'gf',
    }),
  };
  const cmd = addFlags(new Command('x').exitOverride(), flags);
  cmd.parse(args, { from: 'user' });
  return readFlags(cmd, flags);
}

function usageFlag(fn: () => unknown): string | null {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error.flag;
    throw error;
  }
  return null;
}

describe('flags', () => {
  it('parses values, defaults and inf', () => {
    const v = parse(['--n', '10', '--delta2', 'inf', '--method', 'gd']);
    expect(v).toEqual({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap: 1, n: 10, m0: 0.05, method: 'gd' });
  });

  it('names the flag and its range on bad input', () => {
    expect(usageFlag(() => parse(['--n', '1']))).toBe('--n');
    expect(usageFlag(() => parse(['--n', '10', '--p', '2']))).toBe('--p');
    expect(usageFlag(() => parse(['--n', '10', '--p', '3.5']))).toBe('--p');
    expect(usageFlag(() => parse(['--n', '10', '--delta2', '0']))).toBe('--delta2');
    expect(usageFlag(() => parse(['--n', '10', '--deltap', '-1']))).toBe('--deltap');
    expect(usageFlag(() => parse(['--n', '10', '--m0', '1']))).toBe('--m0');
    expect(usageFlag(() => parse(['--n', '10', '--m0', '0x1']))).toBe('--m0');
    expect(usageFlag(() => parse(['--n', '10', '--method', 'sgd']))).toBe('--method');
    expect(usageFlag(() => parse([]))).toBe('--n');
    expect(() => parse(['--n', '10', '--m0', '2'])).toThrow("--m0: must be a real number in (0, 1), got '2'");
    expect(() =>
      modelParams({ p: 3, delta2: Number.POSITIVE_INFINITY, deltap: Number.POSITIVE_INFINITY }),
    ).toThrow(UsageError);
  });

  it('refuses a value flag given twice, in any spelling, naming it', () => {
    expect(() => parse(['--n', '10', '--p', '3', '--p', '4'])).toThrow(
      "--p: given 2 times ('3', '4'); give it once",
    );
    expect(usageFlag(() => parse(['--n', '10', '--m0=0.1', '--m0', '0.1']))).toBe('--m0');
    expect(usageFlag(() => parse(['--n', '10', '--n', '10']))).toBe('--n');
    const cmd = addFlags(new Command('x').exitOverride(), { force: switchFlag('--force', 'replace') });
    cmd.parse(['--force', '--force'], { from: 'user' });
    expect(readFlags(cmd, { force: switchFlag('--force', 'replace') })).toEqual({ force: true });
  });

  it('shows range and default in help', () => {
    const cmd = addFlags(new Command('x'), modelFlags);
    const help = cmd.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('--p <int>');
    expect(help).toContain('an integer in [3, 12]; default 3');
    expect(help).toContain('a real number > 0 or inf');
  });
});
