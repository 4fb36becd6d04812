// Seeded stratified shuffle splits (the cross-validation of scikit-learn's `StratifiedShuffleSplit(n_splits,
// test_size)`, as SCRUB's `MIA_experiments` and the first author's `train_MI.py` run the MIA): each split draws,
// per class, a test share at random; class counts follow sklearn's rule, the draws are our seeded RNG's.
import { rng } from '../util/rng';
import type { Fold } from './kfold';

/**
 * Per-class test counts for `nTest` test rows out of class counts `counts`: the floor of the proportional
 * share, the remainder to the classes with the largest fractional parts (first class on ties).
 * @example
 * testCountsPerClass([50, 50], 10); // [5, 5]
 */
export function testCountsPerClass(counts: readonly number[], nTest: number): number[] {
  const n = counts.reduce((s, c) => s + c, 0);
  const exact = counts.map((c) => (c * nTest) / n);
  const out = exact.map(Math.floor);
  let left = nTest - out.reduce((s, c) => s + c, 0);
  const order = exact.map((e, k) => ({ k, frac: e - Math.floor(e) })).sort((a, b) => b.frac - a.frac || a.k - b.k);
  for (const { k } of order) {
    if (left <= 0) break;
    if (out[k] < counts[k]) {
      out[k]++;
      left--;
    }
  }
  return out;
}

/**
 * `nSplits` random stratified train/test splits with ceil(testShare·n) test rows each (sklearn's rounding).
 * @example
 * const splits = stratifiedShuffleSplit(y, 5, 0.1, 0); // 5 × (90% train, 10% test), class shares kept
 */
export function stratifiedShuffleSplit(y: ArrayLike<number>, nSplits: number, testShare = 0.1, seed = 0): Fold[] {
  const n = y.length;
  if (!(Number.isInteger(nSplits) && nSplits >= 1))
    throw new RangeError(`stratified shuffle split: splits must be an integer >= 1, got ${nSplits}`);
  if (!(testShare > 0 && testShare < 1)) throw new RangeError(`stratified shuffle split: test share must be in (0, 1), got ${testShare}`);
  const classes = [...new Set(Array.from(y))].sort((a, b) => a - b);
  const byClass = classes.map((c) => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (y[i] === c) idx.push(i);
    return idx;
  });
  const nTest = Math.ceil(testShare * n);
  if (nTest < classes.length || n - nTest < classes.length)
    throw new RangeError(
      `stratified shuffle split: ${n} rows cannot hold ${nTest} test rows with every one of ${classes.length} classes on both sides`,
    );
  const perClass = testCountsPerClass(
    byClass.map((b) => b.length),
    nTest,
  );
  const r = rng(seed, 'stratified-shuffle-split');
  return Array.from({ length: nSplits }, (_, s) => {
    const test: number[] = [],
      train: number[] = [];
    byClass.forEach((idx, k) => {
      const perm = r.fork(`split-${s}-class-${k}`).permutation(idx.length);
      perm.forEach((p, j) => (j < perClass[k] ? test : train).push(idx[p]));
    });
    return { train: Int32Array.from(train.sort((a, b) => a - b)), test: Int32Array.from(test.sort((a, b) => a - b)) };
  });
}
