// Errors of a model on every split of an experiment (SPEC "Metrics: Errors"): retain, forget (against the
// labels it was trained with — the biased ones for the bias goal — and against the true labels),
// validation and test.
import type { ExperimentData } from '../experiment/data';
import type { Model } from '../models/types';
import { errorRate, labelsAt } from './errors';
import { predictLogits, predictLogitsAsync, type Logits } from './predict';

/** Error rates in [0, 1]. */
export interface SplitErrors {
  retain: number;
  /** Against the training labels of the forget set (biased labels for the bias goal). */
  forget: number;
  /** Against the true labels (equals `forget` for the privacy goal). */
  forgetTrue: number;
  validation: number;
  test: number;
}

/** Logits of every split, so several metrics can share one inference pass. */
export interface SplitLogits { retain: Logits; forget: Logits; validation: Logits; test: Logits }

/** Runs inference on every split. */
export function splitLogits(model: Model, d: ExperimentData): SplitLogits {
  return {
    retain: predictLogits(model, d.train, d.splits.retain),
    forget: predictLogits(model, d.train, d.splits.forget),
    validation: predictLogits(model, d.train, d.splits.validation),
    test: predictLogits(model, d.test, d.splits.test),
  };
}

/** splitLogits with asynchronous reads (every backend, webgpu included). */
export async function splitLogitsAsync(model: Model, d: ExperimentData): Promise<SplitLogits> {
  const s = d.splits;
  return {
    retain: await predictLogitsAsync(model, d.train, s.retain),
    forget: await predictLogitsAsync(model, d.train, s.forget),
    validation: await predictLogitsAsync(model, d.train, s.validation),
    test: await predictLogitsAsync(model, d.test, s.test),
  };
}

/** Error rates from precomputed logits (pure). */
export function errorsFromLogits(l: SplitLogits, d: ExperimentData): SplitErrors {
  const s = d.splits;
  return {
    retain: errorRate(l.retain, labelsAt(s.trainLabels, s.retain)),
    forget: errorRate(l.forget, labelsAt(s.trainLabels, s.forget)),
    forgetTrue: errorRate(l.forget, labelsAt(s.trueLabels, s.forget)),
    validation: errorRate(l.validation, labelsAt(s.trueLabels, s.validation)),
    test: errorRate(l.test, d.test.labels.length === 0 ? [] : labelsAt(d.test.labels, s.test)),
  };
}

/**
 * Error rates of `model` on every split of `d`.
 * @example
 * const e = splitErrors(model, data); e.test;
 */
export function splitErrors(model: Model, d: ExperimentData): SplitErrors {
  return errorsFromLogits(splitLogits(model, d), d);
}
