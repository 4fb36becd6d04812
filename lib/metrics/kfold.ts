// Stratified k-fold cross-validation folds, identical to scikit-learn's `StratifiedKFold(n_splits)` without
// shuffling (sklearn >= 0.24, sklearn/model_selection/_split.py `_make_test_folds`).

/** One cross-validation split: indices into the labels, ascending. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/**
 * Test-fold number of every example, as scikit-learn assigns it for `StratifiedKFold(nSplits)` (no shuffle):
 * classes are numbered by first appearance in `y`; the labels sorted by that number are dealt round-robin
 * into `nSplits` folds, which fixes how many examples of each class every fold receives (so fold sizes
 * differ by at most one and early folds get the extra examples); then each class's examples, in data
 * order, fill fold 0 first, then fold 1, ... in contiguous blocks of those sizes.
 * @example
 * stratifiedFoldIds([0, 0, 0, 1, 1, 1], 3); // Int32Array [0, 1, 2, 0, 1, 2]
 */
export function stratifiedFoldIds(y: ArrayLike<number>, nSplits: number): Int32Array {
  const n = y.length;
  if (!(Number.isInteger(nSplits) && nSplits >= 2))
    throw new RangeError(`stratified k-fold: folds must be an integer >= 2, got ${nSplits}`);
  if (nSplits > n) throw new RangeError(`stratified k-fold: ${nSplits} folds for only ${n} examples`);
  // Encode classes by order of first appearance.
  const code = new Map<number, number>();
  const enc = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    let c = code.get(y[i]);
    if (c === undefined) {
      c = code.size;
      code.set(y[i], c);
      counts.push(0);
    }
    enc[i] = c;
    counts[c]++;
  }
  if (counts.every((c) => c < nSplits)) {
    throw new RangeError(`stratified k-fold: ${nSplits} folds but no class has that many members (counts ${counts.join(', ')})`);
  }
  // allocation[f][k]: how many sorted positions p ≡ f (mod nSplits) fall in class k's block.
  const K = counts.length;
  const alloc: number[][] = Array.from({ length: nSplits }, () => new Array<number>(K).fill(0));
  let start = 0;
  for (let k = 0; k < K; k++) {
    for (let p = start; p < start + counts[k]; p++) alloc[p % nSplits][k]++;
    start += counts[k];
  }
  const out = new Int32Array(n);
  const fold = new Int32Array(K); // current fold per class
  const used = new Int32Array(K); // examples placed in the current fold per class
  for (let i = 0; i < n; i++) {
    const k = enc[i];
    while (used[k] >= alloc[fold[k]][k]) {
      fold[k]++;
      used[k] = 0;
    }
    out[i] = fold[k];
    used[k]++;
  }
  return out;
}

/**
 * The `nSplits` (train, test) splits of `StratifiedKFold(nSplits).split(X, y)`, in scikit-learn's order.
 * @example
 * for (const { train, test } of stratifiedKFold(labels, 5)) fitOn(train), scoreOn(test);
 */
export function stratifiedKFold(y: ArrayLike<number>, nSplits: number): Fold[] {
  const ids = stratifiedFoldIds(y, nSplits);
  const folds: Fold[] = [];
  for (let f = 0; f < nSplits; f++) {
    const train: number[] = [],
      test: number[] = [];
    for (let i = 0; i < ids.length; i++) (ids[i] === f ? test : train).push(i);
    folds.push({ train: Int32Array.from(train), test: Int32Array.from(test) });
  }
  return folds;
}
