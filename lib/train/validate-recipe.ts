// Validation of a training recipe (epochs, batch size, learning rate, schedule, optimiser) before any training:
// a bad value is a UsageError naming the field, the value and what is allowed.
import type { TrainRecipe } from './loop';
import { UsageError } from '../util/errors';
import { checkRange, positive, positiveInt, nonNegative, unitInterval as fraction, type NumberRange } from '../util/range';

const decay: NumberRange = { min: 0, max: 1, maxExclusive: true };

/** How to name the recipe's fields in messages. */
export interface RecipeCheckOptions {
  /** Prefix of every field name (default 'recipe', giving e.g. 'recipe.lr'). */
  label?: string;
  /** Names to use instead for some fields, e.g. { lr: '--lr', epochs: '--epochs' } for CLI flags. */
  names?: Partial<Record<'epochs' | 'batchSize' | 'lr', string>>;
}

/**
 * Returns `recipe` when every field is valid, else throws a UsageError: epochs and batch size integers >= 1,
 * learning rate > 0, a known schedule (step: milestones in [0, 1], gamma > 0) and optimiser (sgd: momentum in
 * [0, 1); adam: beta1, beta2 in [0, 1), eps > 0; weight decay >= 0).
 * @example
 * validateRecipe({ ...profile.original, lr: -1 }); // throws "recipe.lr must be a positive number, got -1"
 */
export function validateRecipe(recipe: TrainRecipe, o: RecipeCheckOptions = {}): TrainRecipe {
  const label = o.label ?? 'recipe';
  const field = (name: string) => (o.names as Record<string, string> | undefined)?.[name] ?? `${label}.${name}`;
  if (!recipe || typeof recipe !== 'object')
    throw new UsageError(`${label} must be a training recipe object, got ${JSON.stringify(recipe)}`);
  checkRange(field('epochs'), recipe.epochs, positiveInt);
  checkRange(field('batchSize'), recipe.batchSize, positiveInt);
  checkRange(field('lr'), recipe.lr, positive);
  const s = recipe.schedule as { kind?: unknown; milestones?: unknown; gamma?: unknown } | undefined;
  const schedules = ['constant', 'cosine', 'linear', 'step'];
  if (!s || !schedules.includes(s.kind as string))
    throw new UsageError(`${field('schedule')}.kind must be one of: ${schedules.join(', ')}; got ${JSON.stringify(s?.kind)}`);
  if (s.kind === 'step') {
    if (!Array.isArray(s.milestones))
      throw new UsageError(
        `${field('schedule')}.milestones must be an array of fractions of training in [0, 1], got ${JSON.stringify(s.milestones)}`,
      );
    s.milestones.forEach((m, i) => checkRange(`${field('schedule')}.milestones[${i}]`, m, fraction));
    checkRange(`${field('schedule')}.gamma`, s.gamma, positive);
  }
  const opt = recipe.optimizer as { kind?: unknown; [k: string]: unknown } | undefined;
  const opts = field('optimizer');
  if (opt?.kind === 'sgd') {
    checkRange(`${opts}.momentum`, opt.momentum, decay);
    checkRange(`${opts}.weightDecay`, opt.weightDecay, nonNegative);
    if (opt.nesterov !== undefined && typeof opt.nesterov !== 'boolean')
      throw new UsageError(`${opts}.nesterov must be true or false, got ${JSON.stringify(opt.nesterov)}`);
  } else if (opt?.kind === 'adam') {
    checkRange(`${opts}.beta1`, opt.beta1, decay);
    checkRange(`${opts}.beta2`, opt.beta2, decay);
    checkRange(`${opts}.eps`, opt.eps, positive);
    checkRange(`${opts}.weightDecay`, opt.weightDecay, nonNegative);
  } else {
    throw new UsageError(`${opts}.kind must be one of: sgd, adam; got ${JSON.stringify(opt?.kind)}`);
  }
  return recipe;
}
