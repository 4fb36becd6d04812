// ROC curve, AUC and true-positive rate at a fixed false-positive rate for membership scores, as
// scikit-learn's `roc_curve` / `roc_auc_score` (ties between scores grouped, i.e. counted as one half).

/** A ROC curve: point j is (fpr[j], tpr[j]) for the rule "score ≥ thresholds[j] ⇒ positive". */
export interface RocCurve {
  /** False-positive rates, non-decreasing, from 0 to 1. */
  fpr: Float64Array;
  /** True-positive rates, non-decreasing, from 0 to 1. */
  tpr: Float64Array;
  /** Thresholds, decreasing; the first is +Infinity (nothing flagged), as scikit-learn ≥ 1.3. */
  thresholds: Float64Array;
}

function checkScores(v: ArrayLike<number>, what: string): void {
  if (v.length === 0) throw new RangeError(`ROC: no ${what} scores`);
  for (let i = 0; i < v.length; i++) if (Number.isNaN(v[i])) throw new RangeError(`ROC: ${what} score ${i} is NaN`);
}

/**
 * ROC curve of scores where higher means "more likely positive": one point per distinct score (all
 * examples with equal scores change side together), plus (0, 0). Like `roc_curve(y, s,
 * drop_intermediate=False)`.
 * @example
 * rocCurve([0.9, 0.6], [0.6, 0.3]); // fpr [0, 0, 0.5, 1], tpr [0, 0.5, 1, 1]
 */
export function rocCurve(positiveScores: ArrayLike<number>, negativeScores: ArrayLike<number>): RocCurve {
  checkScores(positiveScores, 'positive');
  checkScores(negativeScores, 'negative');
  const P = positiveScores.length,
    N = negativeScores.length;
  const all: { s: number; pos: boolean }[] = [];
  for (let i = 0; i < P; i++) all.push({ s: positiveScores[i], pos: true });
  for (let i = 0; i < N; i++) all.push({ s: negativeScores[i], pos: false });
  all.sort((p, q) => (q.s > p.s ? 1 : q.s < p.s ? -1 : 0));
  const fpr = [0],
    tpr = [0],
    thr = [Infinity];
  let tp = 0,
    fp = 0;
  for (let i = 0; i < all.length; i++) {
    if (all[i].pos) tp++;
    else fp++;
    if (i === all.length - 1 || all[i + 1].s !== all[i].s) {
      fpr.push(fp / N);
      tpr.push(tp / P);
      thr.push(all[i].s);
    }
  }
  return { fpr: Float64Array.from(fpr), tpr: Float64Array.from(tpr), thresholds: Float64Array.from(thr) };
}

/**
 * Area under a ROC curve by the trapezoidal rule (= `roc_auc_score`): the probability that a random
 * positive scores above a random negative, ties counting one half.
 * @example
 * aucOf(rocCurve([0.9, 0.8, 0.6, 0.6], [0.7, 0.6, 0.3])); // 0.75
 */
export function aucOf(roc: RocCurve): number {
  let a = 0;
  for (let j = 1; j < roc.fpr.length; j++) a += ((roc.fpr[j] - roc.fpr[j - 1]) * (roc.tpr[j] + roc.tpr[j - 1])) / 2;
  return a;
}

/**
 * The largest true-positive rate the curve reaches with false-positive rate ≤ `maxFpr` (the usual
 * "TPR at x% FPR" of Carlini et al. 2022). With N negatives the FPR moves in steps of 1/N, so below
 * 1/N this is the TPR at zero false positives.
 * @example
 * tprAtFpr(rocCurve([0.9, 0.8, 0.6, 0.6], [0.7, 0.6, 0.3]), 0.01); // 0.5
 */
export function tprAtFpr(roc: RocCurve, maxFpr: number): number {
  let best = 0;
  for (let j = 0; j < roc.fpr.length; j++) if (roc.fpr[j] <= maxFpr + 1e-12 && roc.tpr[j] > best) best = roc.tpr[j];
  return best;
}
