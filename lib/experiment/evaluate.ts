// The evaluation stored with every original, retrained and unlearned model: errors on every split and the
// per-example losses the attacks need, from one inference pass.
import type { ExperimentData } from './data';
import type { Model } from '../models/types';
import { errorsFromLogits, splitLogits, type SplitErrors } from '../metrics/split-errors';
import { crossEntropyRows, labelsAt } from '../metrics/errors';

/** Errors plus mean losses (forget against training labels, test). */
export interface ModelEvaluation {
  errors: SplitErrors;
  meanLoss: { forget: number; test: number };
}

const mean = (a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return a.length ? s / a.length : NaN; };

/**
 * Evaluates a model on every split of `d`.
 * @example
 * const ev = evaluateModel(model, data); ev.errors.test;
 */
export function evaluateModel(model: Model, d: ExperimentData): ModelEvaluation {
  const l = splitLogits(model, d);
  return {
    errors: errorsFromLogits(l, d),
    meanLoss: {
      forget: mean(crossEntropyRows(l.forget, labelsAt(d.splits.trainLabels, d.splits.forget))),
      test: mean(crossEntropyRows(l.test, labelsAt(d.test.labels, d.splits.test))),
    },
  };
}
