// The evaluation stored with every original, retrained and unlearned model, from one inference pass:
// errors on every split, the paper's loss-based MIA (appendix B.1) and the logit-confidence attack beside it.
import type { ExperimentData } from './data';
import type { Model } from '../models/types';
import { errorsFromLogits, splitLogits, splitLogitsAsync, type SplitErrors, type SplitLogits } from '../metrics/split-errors';
import { membershipFeaturesFromLogits, membershipReport } from '../metrics/membership';

/**
 * Version of the evaluation's definition (splits scored, MIA protocol, attacks). Bump it with any change to
 * what evaluateModel computes: stored evaluations of another version are recomputed from the stored models
 * (lib/experiment/stored-evaluation.ts), never served.
 */
export const EVALUATION_VERSION = 'errors-1+mia-kfold5-seeded-1+confidence-1';

/** What is stored per model (all numbers; per-example arrays are kept for later attacks). */
export interface ModelEvaluation {
  errors: SplitErrors;
  /** Mean cross-entropy on forget (training labels) and test. */
  meanLoss: { forget: number; test: number };
  /** Loss-threshold MIA: mean 5-fold accuracy of a logistic regression on the loss; 0.5 = chance = best privacy. */
  mia: { accuracy: number; foldAccuracies: number[] };
  /** Logit-scaled confidence attack, forget vs held-out test: AUC (0.5 best) and TPR at 1% / 0.1% FPR (≈ FPR best). */
  confidence: { auc: number; tprAt1Fpr: number; tprAt01Fpr: number };
  /** Per-forget-example logit-scaled confidence log p_y − log(1 − p_y), in splits.forget order. */
  forgetScores: number[];
}

const mean = (a: ArrayLike<number>) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return a.length ? s / a.length : NaN; };

/**
 * Evaluates a model on every split of `d`; the MIA's subsampling is seeded by the experiment seed.
 * @example
 * const ev = evaluateModel(model, data); ev.errors.test; ev.mia.accuracy;
 */
export function evaluateModel(model: Model, d: ExperimentData): ModelEvaluation {
  return evaluationFromLogits(splitLogits(model, d), d);
}

/**
 * evaluateModel with asynchronous reads: the one to use on every path (sync reads throw on webgpu).
 * @example
 * const ev = await evaluateModelAsync(model, data); ev.errors.test;
 */
export async function evaluateModelAsync(model: Model, d: ExperimentData): Promise<ModelEvaluation> {
  return evaluationFromLogits(await splitLogitsAsync(model, d), d);
}

/** The evaluation from precomputed logits (pure). */
export function evaluationFromLogits(l: SplitLogits, d: ExperimentData): ModelEvaluation {
  const f = membershipFeaturesFromLogits(l.forget, l.test, d);
  const rep = membershipReport(f, { seed: d.seed });
  return {
    errors: errorsFromLogits(l, d),
    meanLoss: { forget: mean(f.forgetLoss), test: mean(f.testLoss) },
    mia: { accuracy: rep.mia.accuracy, foldAccuracies: Array.from(rep.mia.foldAccuracies) },
    confidence: { auc: rep.confidence.auc, tprAt1Fpr: rep.confidence.tprAt1Fpr, tprAt01Fpr: rep.confidence.tprAt01Fpr },
    forgetScores: Array.from(f.forgetScore),
  };
}
