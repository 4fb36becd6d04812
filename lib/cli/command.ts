// The shape of a CLI sub-command and shared argument helpers (node:util parseArgs; bad arguments → UsageError → exit 2).
import { parseArgs, type ParseArgsConfig } from 'util';
import { pick, UsageError } from '../util/errors';
import { checkRange, describeRange, inRange, type NumberRange } from '../util/range';

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

/** A token that is a negative number (`-1`, `-0.5`, `-.5`, `-1,2`), not an option. */
const negativeNumber = /^-\.?\d/;

/**
 * Joins a string option and a following negative-number token into `--opt=value`, so `--k -1` parses like
 * `--k=-1` (node's parseArgs would call it ambiguous) and reaches the option's own check. Stops at `--`.
 * @example
 * joinNegativeValues(['--k', '-1'], { k: { type: 'string' } }); // ['--k=-1']
 */
export function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const opt = name !== undefined && Object.prototype.hasOwnProperty.call(options, name) ? options[name] : undefined;
    if (opt?.type === 'string' && i + 1 < argv.length && negativeNumber.test(argv[i + 1])) out.push(`${a}=${argv[++i]}`);
    else out.push(a);
  }
  return out;
}

/** Parses argv for `cmd`, turning parse errors into UsageErrors. */
export function parse(
  cmd: Command,
  argv: string[],
): { values: Record<string, string | boolean | string[] | boolean[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeValues(argv, cmd.options),
      options: { ...cmd.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (e) {
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec((e as Error).message);
    if (unknown) throw new UsageError(`${unknownOptionMessage(unknown[1], Object.keys(cmd.options))}\n\n${cmd.usage}`);
    throw new UsageError(`${(e as Error).message}\n\n${cmd.usage}`);
  }
}

/** Levenshtein distance (small strings: option names). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * "unknown option '--methds'; did you mean --methods?" plus the valid options (the closest within 3 edits).
 * @example
 * unknownOptionMessage('--methds', ['methods', 'goal']); // "unknown option '--methds'; did you mean --methods? …"
 */
export function unknownOptionMessage(option: string, names: readonly string[]): string {
  const bare = option.replace(/^-+/, '').split('=')[0];
  const best = names.map((n) => ({ n, d: editDistance(bare, n) })).sort((x, y) => x.d - y.d)[0];
  const hint = best && best.d <= Math.min(3, Math.max(1, Math.floor(best.n.length / 2))) ? `; did you mean --${best.n}?` : '';
  return `unknown option '${option}'${hint}\nvalid options: ${[...names, 'help'].map((n) => `--${n}`).join(', ')}`;
}

/** Options of a list of integers. */
export interface IntListOptions {
  /** Smallest allowed value (default 0: non-negative integers). */
  min?: number;
  /** An example list for the message (default '4,8,16'). */
  example?: string;
}

/**
 * A non-empty comma-separated list of distinct integers >= `min` (default 0), e.g. "4,8,16"; anything else
 * (an empty list or item, a duplicate, a value out of range) is a UsageError naming the value.
 * @example
 * intList('4,8,16', '--k', { min: 1 }); // [4, 8, 16]
 */
export function intList(value: unknown, flag: string, o: IntListOptions = {}): number[] {
  const range: NumberRange = { min: o.min ?? 0, integer: true };
  const expected = `a non-empty comma-separated list of ${describeRange(range, true)} (e.g. ${flag} ${o.example ?? '4,8,16'})`;
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`${flag} must be ${expected}; got '${String(value ?? '')}'`);
  const seen = new Set<number>();
  return value.split(',').map((s) => {
    const n = s.trim() === '' ? NaN : Number(s.trim());
    if (!inRange(n, range))
      throw new UsageError(
        `${flag}: '${s}' is not ${describeRange(range)}${value.includes(',') ? ` (in '${value}')` : ''}; expected ${expected}`,
      );
    if (seen.has(n)) throw new UsageError(`${flag} lists ${n} twice in '${value}'; give each value once`);
    seen.add(n);
    return n;
  });
}

/**
 * A non-empty comma-separated list of names from `registry`, e.g. --methods scrub,finetune.
 * @example
 * nameList('scrub,finetune', '--methods', methods, 'unlearning method'); // ['scrub', 'finetune']
 */
export function nameList<R extends Record<string, unknown>>(value: unknown, flag: string, registry: R, what: string): (keyof R & string)[] {
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(
      `${flag} must be a non-empty comma-separated list of: ${Object.keys(registry).join(', ')}; got '${String(value ?? '')}'`,
    );
  return value.split(',').map((s) => {
    pick(registry, s.trim(), what);
    return s.trim() as keyof R & string;
  });
}

/**
 * One integer option with a default; a given value must be an integer (and within `range` when given).
 * @example
 * intOpt(v.workers, '--workers', 1, { min: 1 }); // '0' → UsageError "--workers must be a positive integer, got 0"
 */
export function intOpt(value: unknown, flag: string, dflt: number, range?: Omit<NumberRange, 'integer'>): number {
  if (value === undefined) return dflt;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isInteger(n))
    throw new UsageError(`${flag} needs ${range ? describeRange({ ...range, integer: true }) : 'an integer'}, got '${String(value)}'`);
  return range ? checkRange(flag, n, { ...range, integer: true }) : n;
}

/**
 * One number option with a default; a given value must be a finite number (and within `range` when given).
 * @example
 * numOpt(v.lr, '--lr', 0.05, { min: 0, minExclusive: true }); // '-1' → UsageError "--lr must be a positive number, got -1"
 */
export function numOpt(value: unknown, flag: string, dflt: number, range?: NumberRange): number {
  if (value === undefined) return dflt;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`${flag} needs ${range ? describeRange(range) : 'a number'}, got '${String(value)}'`);
  return range ? checkRange(flag, n, range) : n;
}

/** Prints JSON to stdout (machine-readable output of --json). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
