// Both membership attacks of one model from its stored features (lib/metrics/features.ts): the paper's loss-based
// MIA (appendix B.1) on forget (members) vs test (non-members), and the logit-scaled-confidence attack beside it.
import { attackSummary, type AttackSummary } from './confidence-attack';
import { miaAccuracy, type MiaOptions, type MiaResult } from './mia';
import type { ModelFeatures } from './features';

/** Which labels the forget examples are scored against. */
export interface MembershipOptions {
  /**
   * 'train' (default): the labels the original model was trained with (the biased ones for the bias goal —
   * membership is about what was learnt); 'true': the data set's labels. Test examples always use theirs.
   */
  forgetLabels?: 'train' | 'true';
}

/** Both attacks on one model. */
export interface MembershipReport {
  /** The paper's loss-based MIA (accuracy, 0.5 = best privacy), one draw. */
  mia: MiaResult;
  /** Logit-scaled-confidence threshold attack, forget vs all test examples (AUC 0.5 = best privacy). */
  confidence: AttackSummary;
}

/**
 * The paper's MIA (one seeded draw; lib/metrics/mia-protocol.ts averages many) and the confidence attack (pure).
 * @example
 * const r = membershipReport(await computeFeatures(model, data), { seed: 0 }); r.mia.accuracy; r.confidence.auc;
 */
export function membershipReport(f: ModelFeatures, options: MiaOptions & MembershipOptions = {}): MembershipReport {
  const t = options.forgetLabels === 'true';
  return {
    mia: miaAccuracy(t ? f.forget.lossTrue : f.forget.loss, f.test.loss, options),
    confidence: attackSummary(t ? f.forget.scoreTrue : f.forget.score, f.test.score),
  };
}
