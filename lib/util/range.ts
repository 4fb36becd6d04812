// Numeric ranges of settings (learning rates, epochs, loss weights): one description used to check a value and
// to say in an error what is allowed ("must be a positive integer, got 0").
import { UsageError } from './errors';

/** The allowed values of a number (always finite): bounds, inclusive unless marked exclusive, and integrality. */
export interface NumberRange {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/**
 * Words for the values `r` allows, singular with an article or plural.
 * @example
 * describeRange({ min: 1, integer: true });                  // 'a positive integer'
 * describeRange({ min: 0, max: 1 }, true);                   // 'numbers in [0, 1]'
 */
export function describeRange(r: NumberRange, plural = false): string {
  const noun = (r.integer ? 'integer' : 'number') + (plural ? 's' : '');
  let words: string;
  if (r.max === undefined && (r.min === 0 || (r.integer && r.min === 1 && !r.minExclusive))) {
    words = `${r.min === 0 && !r.minExclusive ? 'non-negative' : 'positive'} ${noun}`;
  } else if (r.min !== undefined && r.max !== undefined) {
    words =
      r.min === r.max
        ? `${noun} equal to ${r.min}`
        : `${noun} in ${r.minExclusive ? '(' : '['}${r.min}, ${r.max}${r.maxExclusive ? ')' : ']'}`;
  } else if (r.min !== undefined) {
    words = `${noun} ${r.minExclusive ? '>' : '>='} ${r.min}`;
  } else if (r.max !== undefined) {
    words = `${noun} ${r.maxExclusive ? '<' : '<='} ${r.max}`;
  } else {
    words = `finite ${noun}`;
  }
  return plural ? words : `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

/**
 * Whether `value` is a finite number within `r`.
 * @example
 * inRange(0, { min: 0, minExclusive: true }); // false
 */
export function inRange(value: unknown, r: NumberRange): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (r.integer && !Number.isInteger(value)) return false;
  if (r.min !== undefined && (r.minExclusive ? value <= r.min : value < r.min)) return false;
  if (r.max !== undefined && (r.maxExclusive ? value >= r.max : value > r.max)) return false;
  return true;
}

/**
 * Returns `value` when it lies in `r`, else throws a UsageError naming the field, the value and what is allowed.
 * @example
 * checkRange('--epochs', 0, { min: 1, integer: true }); // throws "--epochs must be a positive integer, got 0"
 */
export function checkRange(field: string, value: unknown, r: NumberRange): number {
  if (!inRange(value, r))
    throw new UsageError(`${field} must be ${describeRange(r)}, got ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  return value as number;
}

/** A learning rate, a temperature: a finite number > 0. */
export const positive: NumberRange = { min: 0, minExclusive: true };
/** A loss weight: a finite number >= 0. */
export const nonNegative: NumberRange = { min: 0 };
/** A mixing weight: a number in [0, 1]. */
export const unitInterval: NumberRange = { min: 0, max: 1 };
/** Epochs: an integer >= 1. */
export const positiveInt: NumberRange = { min: 1, integer: true };
/** A count that may be zero (e.g. SCRUB's max-step epochs). */
export const nonNegativeInt: NumberRange = { min: 0, integer: true };
/** Exactly `value` (a hyperparameter a method ignores, e.g. retrain's, which uses the original recipe). */
export const fixed = (value: number): NumberRange => ({ min: value, max: value });
