// The paper's membership-inference attack (appendix B.1): logistic regression on per-example losses,
// members = forget examples vs an equal number of held-out examples, 5-fold stratified CV accuracy — or the
// first author's variant (5 seeded stratified 90/10 shuffle splits, losses clipped to ±100; SPEC "Metrics").
import { rng } from '../util/rng';
import { stratifiedKFold } from './kfold';
import { stratifiedShuffleSplit } from './shuffle-split';
import { fitLogistic, predictLogistic, type LogisticOptions } from './logistic';

/** Options of `miaAccuracy`. */
export interface MiaOptions {
  /** Cross-validation folds, or shuffle splits with cv 'shuffle-split' (default 5, as the paper). */
  folds?: number;
  /**
   * 'kfold' (default): unshuffled StratifiedKFold(folds) — the reading of appendix B.1 the figures used first;
   * 'shuffle-split': StratifiedShuffleSplit(folds, test_size = testShare), seeded by `seed` (SCRUB's MIA code).
   */
  cv?: 'kfold' | 'shuffle-split';
  /** Test share of each shuffle split (default 0.1, scikit-learn's). */
  testShare?: number;
  /** Clip losses to [−clip, clip] (the first author's code uses 100); default: none, non-finite losses throw. */
  clip?: number;
  /** Seed of the subsampling that balances members and non-members (default 0). */
  seed?: number;
  /** Logistic-regression options (default scikit-learn's `LogisticRegression()`). */
  logistic?: LogisticOptions;
}

/** Result of the attack. */
export interface MiaResult {
  /**
   * Mean test-fold accuracy of the attacker in [0, 1]. 0.5 = chance = the losses reveal nothing about
   * membership = best privacy; closer to 1 = forget examples are recognisable as training members.
   * (Below 0.5 only by noise or when non-members have *lower* loss.)
   */
  accuracy: number;
  /** Accuracy on each test fold, in fold order. */
  foldAccuracies: number[];
  /** Examples per class actually used (after balancing both are min(#members, #non-members)). */
  nMembers: number;
  nNonmembers: number;
  folds: number;
}

/**
 * Balances two samples by seeded subsampling of the larger one to the size of the smaller one (kept
 * elements stay in their original order); the smaller one is returned unchanged.
 * @example
 * const { a, b } = balanceBySubsampling(forgetLosses, testLosses, 0); // a.length === b.length
 */
export function balanceBySubsampling(a: ArrayLike<number>, b: ArrayLike<number>, seed = 0): { a: Float64Array; b: Float64Array } {
  const take = (v: ArrayLike<number>, k: number, label: string): Float64Array => {
    if (v.length === k) return Float64Array.from(v);
    const perm = rng(seed, 'mia-balance', label).permutation(v.length);
    const idx = Array.from(perm.subarray(0, k)).sort((p, q) => p - q);
    return Float64Array.from(idx, (i) => v[i]);
  };
  const k = Math.min(a.length, b.length);
  return { a: take(a, k, 'a'), b: take(b, k, 'b') };
}

/**
 * The loss-based MIA of appendix B.1. The larger of the two loss sets is subsampled (seeded) to the size
 * of the smaller; the attack data set is the non-member losses (label 0) followed by the member losses
 * (label 1) — the order of the NeurIPS 2023 unlearning challenge's `simple_mia`, which matters for
 * unshuffled k-fold; the single feature is the loss; a logistic regression (scikit-learn defaults) is fit
 * on each training part of `StratifiedKFold(folds)` and scored by accuracy on the held-out fold. Equal to
 * `cross_val_score(LogisticRegression(), X, y, cv=StratifiedKFold(5)).mean()` on the same arrays.
 * @example
 * const r = miaAccuracy(forgetLosses, testLosses, { folds: 5, seed: 0 });
 * r.accuracy; // 0.5 = chance (best privacy) … 1 = members fully identifiable
 */
export function miaAccuracy(memberLosses: ArrayLike<number>, nonmemberLosses: ArrayLike<number>, options: MiaOptions = {}): MiaResult {
  const folds = options.folds ?? 5;
  const clip = options.clip;
  const checked = (what: string, v: ArrayLike<number>): ArrayLike<number> => {
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(v[i]) || (clip === undefined && !Number.isFinite(v[i])))
        throw new RangeError(`miaAccuracy: ${what} loss ${v[i]} at ${i} is not a finite number`);
    }
    return clip === undefined ? v : Float64Array.from(v, (x) => Math.min(clip, Math.max(-clip, x)));
  };
  const { a: mem, b: non } = balanceBySubsampling(
    checked('member', memberLosses),
    checked('non-member', nonmemberLosses),
    options.seed ?? 0,
  );
  const k = mem.length;
  if (k < folds) {
    throw new RangeError(
      `miaAccuracy: ${folds}-fold cross-validation needs at least ${folds} members and ${folds} non-members, got ${memberLosses.length} and ${nonmemberLosses.length}`,
    );
  }
  const x = new Float64Array(2 * k),
    y = new Int32Array(2 * k);
  x.set(non, 0);
  x.set(mem, k);
  y.fill(1, k);
  const splits =
    options.cv === 'shuffle-split'
      ? stratifiedShuffleSplit(y, folds, options.testShare ?? 0.1, options.seed ?? 0)
      : stratifiedKFold(y, folds);
  const foldAccuracies = splits.map(({ train, test }) => {
    const model = fitLogistic(
      Float64Array.from(train, (i) => x[i]),
      Int32Array.from(train, (i) => y[i]),
      1,
      options.logistic,
    );
    const pred = predictLogistic(
      model,
      Float64Array.from(test, (i) => x[i]),
    );
    let right = 0;
    for (let j = 0; j < test.length; j++) if (pred[j] === y[test[j]]) right++;
    return right / test.length;
  });
  const accuracy = foldAccuracies.reduce((s, v) => s + v, 0) / folds;
  return { accuracy, foldAccuracies, nMembers: k, nNonmembers: k, folds };
}
