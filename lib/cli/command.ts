// The shape of a CLI sub-command and shared argument helpers (node:util parseArgs; bad arguments → UsageError → exit 2).
import { parseArgs, type ParseArgsConfig } from 'util';
import { UsageError } from '../util/errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A sub-command of `unlearn`. */
export interface Command {
  /** One line for `unlearn --help`. */
  summary: string;
  /** Usage text shown with --help and on bad arguments. */
  usage: string;
  options: Options;
  /** Runs with parsed values and positionals; returns the exit code. */
  run(values: Record<string, string | boolean | string[] | boolean[] | undefined>, positionals: string[]): Promise<number>;
}

/** Parses argv for `cmd`, turning parse errors into UsageErrors. */
export function parse(cmd: Command, argv: string[]): { values: Record<string, string | boolean | string[] | boolean[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${cmd.usage}`);
  }
}

/** A comma-separated list of positive integers, e.g. "4,8,16". */
export function intList(value: unknown, flag: string): number[] {
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} needs a comma-separated list of integers, e.g. ${flag} 4,8,16`);
  return value.split(',').map((s) => {
    const n = Number(s.trim());
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag}: '${s}' is not a non-negative integer`);
    return n;
  });
}

/** One integer option with a default. */
export function intOpt(value: unknown, flag: string, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n)) throw new UsageError(`${flag} needs an integer, got '${String(value)}'`);
  return n;
}

/** One number option with a default. */
export function numOpt(value: unknown, flag: string, dflt: number): number {
  if (value === undefined) return dflt;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n)) throw new UsageError(`${flag} needs a number, got '${String(value)}'`);
  return n;
}

/** Prints JSON to stdout (machine-readable output of --json). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
