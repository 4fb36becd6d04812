// Membership features of a model on an experiment's forget (members) and test (non-members) examples —
// per-example losses for the paper's MIA (appendix B.1) and logit-scaled confidences for the stronger attack.
import type { ExperimentData } from '../experiment/data';
import type { Model } from '../models/types';
import { attackSummary, logitScaledConfidence, type AttackSummary } from './confidence-attack';
import { crossEntropyRows, labelsAt } from './errors';
import { miaAccuracy, type MiaOptions, type MiaResult } from './mia';
import { predictLogits, type Logits } from './predict';

/** Per-example features of the forget and test examples (row order = d.splits.forget / d.splits.test). */
export interface MembershipFeatures {
  /** Cross-entropy of each forget / test example (lower = more member-like). */
  forgetLoss: Float64Array;
  testLoss: Float64Array;
  /** Logit-scaled confidence log p_y − log(1 − p_y) (higher = more member-like). */
  forgetScore: Float64Array;
  testScore: Float64Array;
}

/** Which labels the forget examples are scored against. */
export interface MembershipOptions {
  /**
   * 'train' (default): the labels the original model was trained with (the biased ones for the bias goal —
   * membership is about what was learnt); 'true': the data set's labels. Test examples always use theirs.
   */
  forgetLabels?: 'train' | 'true';
}

/**
 * Features from precomputed logits (pure), so errors and attacks can share one inference pass.
 * @example
 * const f = membershipFeaturesFromLogits(forgetLogits, testLogits, data);
 */
export function membershipFeaturesFromLogits(forget: Logits, test: Logits, d: ExperimentData, options: MembershipOptions = {}): MembershipFeatures {
  const s = d.splits;
  const fl = labelsAt(options.forgetLabels === 'true' ? s.trueLabels : s.trainLabels, s.forget);
  const tl = labelsAt(d.test.labels, s.test);
  return {
    forgetLoss: crossEntropyRows(forget, fl), testLoss: crossEntropyRows(test, tl),
    forgetScore: logitScaledConfidence(forget, fl), testScore: logitScaledConfidence(test, tl),
  };
}

/**
 * Runs `model` on the forget and test examples of `d` and returns their membership features.
 * @example
 * const f = membershipFeatures(unlearned, data); miaAccuracy(f.forgetLoss, f.testLoss);
 */
export function membershipFeatures(model: Model, d: ExperimentData, options: MembershipOptions = {}): MembershipFeatures {
  return membershipFeaturesFromLogits(predictLogits(model, d.train, d.splits.forget), predictLogits(model, d.test, d.splits.test), d, options);
}

/** Both attacks on one model. */
export interface MembershipReport {
  /** The paper's loss-based MIA (accuracy, 0.5 = best privacy). */
  mia: MiaResult;
  /** Logit-scaled-confidence threshold attack, forget vs all test examples (AUC 0.5 = best privacy). */
  confidence: AttackSummary;
}

/**
 * The paper's MIA and the confidence attack from features (pure).
 * @example
 * const r = membershipReport(membershipFeatures(model, data), { seed: 0 }); r.mia.accuracy; r.confidence.auc;
 */
export function membershipReport(f: MembershipFeatures, options: MiaOptions = {}): MembershipReport {
  return { mia: miaAccuracy(f.forgetLoss, f.testLoss, options), confidence: attackSummary(f.forgetScore, f.testScore) };
}

/**
 * The paper's MIA accuracy of `model` on `d` (forget vs an equal seeded subsample of test examples).
 * @example
 * miaOfModel(original, data).accuracy; // e.g. 0.6 — compare with the retrained model's value
 */
export function miaOfModel(model: Model, d: ExperimentData, options: MiaOptions & MembershipOptions = {}): MiaResult {
  const f = membershipFeatures(model, d, options);
  return miaAccuracy(f.forgetLoss, f.testLoss, options);
}
