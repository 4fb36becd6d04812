// Hyperparameter schemas of the unlearning methods: the ranges they share, and the one check every run's
// hyperparameters (defaults, grid points, `--hp` values) pass before any work.
import type { BaseHyper, HyperSchema, Method } from './types';
import { UsageError } from '../util/errors';
import { checkRange, positive, positiveInt, type NumberRange } from '../util/range';
export { positive, nonNegative, unitInterval, positiveInt, nonNegativeInt, fixed } from '../util/range';

/** The schema of the hyperparameters every tuned method has. */
export const baseSchema: HyperSchema<BaseHyper> = { lr: positive, epochs: positiveInt };

/**
 * Returns `hp` when every key is in `schema` and every value in its range; else throws a UsageError naming
 * the method, the hyperparameter, the value and what is allowed.
 * @example
 * checkHyper('scrub', scrub.schema, { ...scrub.defaults, lr: -1 }); // throws "scrub hyperparameter 'lr' must be a positive number, got -1"
 */
export function checkHyper<H extends Record<string, number>>(method: string, schema: HyperSchema<H>, hp: Record<string, number>): H {
  const ranges = schema as Record<string, NumberRange>;
  for (const [key, value] of Object.entries(hp)) {
    if (!Object.prototype.hasOwnProperty.call(ranges, key))
      throw new UsageError(`${method} has no hyperparameter '${key}'; expected: ${Object.keys(ranges).join(', ')}`);
    checkRange(`${method} hyperparameter '${key}'`, value, ranges[key]);
  }
  for (const key of Object.keys(ranges)) {
    if (!(key in hp)) throw new UsageError(`${method} hyperparameter '${key}' is missing; expected: ${Object.keys(ranges).join(', ')}`);
  }
  return hp as H;
}

/**
 * The full hyperparameters of one run of method `name`: its defaults overridden by `hp`, checked against its
 * schema; an untuned method (retrain, which uses the original's recipe) accepts none and gets {}.
 * @example
 * resolveHyper('scrub', scrub, { lr: 0.005 }); // { lr: 0.005, epochs: 5, msteps: 3, T: 4, gamma: 1, alpha: 0.5, forgetBatch: 16 }
 */
export function resolveHyper(
  name: string,
  m: Pick<Method<any>, 'tuned' | 'defaults' | 'schema'>,
  hp: Record<string, number> = {},
): Record<string, number> {
  if (!m.tuned) {
    const keys = Object.keys(hp);
    if (keys.length)
      throw new UsageError(`${name} has no hyperparameters (it uses the original's training recipe); got '${keys.join(', ')}'`);
    return {};
  }
  return checkHyper(name, m.schema as HyperSchema<Record<string, number>>, { ...(m.defaults as Record<string, number>), ...hp });
}
