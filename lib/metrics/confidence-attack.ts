// The stronger membership attack reported beside the paper's: logit-scaled confidence log p_y − log(1 − p_y)
// (Carlini et al. 2022, "Membership inference attacks from first principles") scored by ROC, AUC and TPR at
// low FPR, forget (members) vs held-out (non-members).
import type { Logits } from './predict';
import { aucOf, rocCurve, tprAtFpr, type RocCurve } from './roc';

/**
 * Per-example logit-scaled confidence φ = log p_y − log(1 − p_y) of the softmax of each row at its label,
 * computed stably as z_y − logsumexp_{c≠y} z_c (exact, no 1 − p cancellation). Higher = the model is more
 * confident in the true label = more member-like. Finite for finite logits.
 * @example
 * logitScaledConfidence({ values: Float32Array.of(2, 0), n: 1, numClasses: 2 }, [0]); // Float64Array [2]
 */
export function logitScaledConfidence(l: Logits, labels: ArrayLike<number>): Float64Array {
  const C = l.numClasses;
  if (labels.length !== l.n) throw new RangeError(`logitScaledConfidence: ${labels.length} labels for ${l.n} rows`);
  const out = new Float64Array(l.n);
  for (let i = 0; i < l.n; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < C)) throw new RangeError(`logitScaledConfidence: label ${y} of row ${i} outside 0..${C - 1}`);
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (c !== y) max = Math.max(max, l.values[i * C + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) if (c !== y) sum += Math.exp(l.values[i * C + c] - max);
    out[i] = l.values[i * C + y] - (max + Math.log(sum));
  }
  return out;
}

/** Summary of a threshold attack on a membership score (higher score ⇒ "member"). */
export interface AttackSummary {
  /**
   * Area under the ROC curve, members vs non-members. 0.5 = the score does not separate them (ideal after
   * unlearning, and what a retrained model gives); 1 = perfectly separated (members fully exposed).
   * Below 0.5 = members score *lower* than non-members (e.g. over-unlearning) — also a detectable signal.
   */
  auc: number;
  /**
   * True-positive rate at ≤ 1% false positives: share of members the attacker flags while wrongly flagging
   * at most 1% of non-members. A random guess gives ≈ 0.01; lower is better privacy.
   */
  tprAt1Fpr: number;
  /** Same at ≤ 0.1% false positives (random ≈ 0.001). Needs ≥ 1000 non-members to be resolved. */
  tprAt01Fpr: number;
  /** Members scored (positives). */
  nPositive: number;
  /** Non-members scored (negatives); the FPR resolution is 1 / nNegative. */
  nNegative: number;
  roc: RocCurve;
}

/**
 * ROC/AUC/TPR-at-low-FPR of separating `memberScores` from `nonmemberScores` by a threshold (any score
 * where higher = more member-like: logit-scaled confidences, negated losses, LiRA z-scores).
 * @example
 * const s = attackSummary(logitScaledConfidence(forgetLogits, forgetLabels), logitScaledConfidence(testLogits, testLabels));
 * s.auc; s.tprAt1Fpr;
 */
export function attackSummary(memberScores: ArrayLike<number>, nonmemberScores: ArrayLike<number>): AttackSummary {
  const roc = rocCurve(memberScores, nonmemberScores);
  return {
    auc: aucOf(roc),
    tprAt1Fpr: tprAtFpr(roc, 0.01),
    tprAt01Fpr: tprAtFpr(roc, 0.001),
    nPositive: memberScores.length,
    nNegative: nonmemberScores.length,
    roc,
  };
}
