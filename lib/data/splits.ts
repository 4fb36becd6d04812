// Seeded data splits for unlearning (SPEC "Data and splits"): stratified subsets and train/validation
// split, test subset, and the forget/retain split with the privacy or (reconstructed) bias-removal goal.
import { UsageError } from '../util/errors';
import { rng, Rng } from '../util/rng';
import { Labelled } from './types';

/** What the forget set is for. */
export type UnlearningGoal = 'privacy' | 'bias';

/**
 * Split settings. Sizes are counts (integers >= 1) or fractions (0 < x < 1, rounded to the nearest
 * count); 0 means none.
 */
export interface SplitConfig {
  /**
   * Validation images held out of the source training set, stratified (default 0.1 = 5,000 of CIFAR-10's
   * 50,000). Drawn first, so it does not depend on trainSize.
   */
  validation?: number;
  /**
   * Training-split size: a stratified subsample of the training images not in validation (count, or
   * fraction of the source training set; default null = all of them).
   */
  trainSize?: number | null;
  /** Stratified subsample of the test images (default null = all). */
  testSize?: number | null;
  /**
   * Forget-set size, drawn uniformly at random (not stratified) from the training split (default 200,
   * the paper's number at full scale; pass a fraction such as 200/45000 to scale it with the data).
   */
  forget?: number;
  /** 'privacy' (default): forget examples keep their labels. 'bias': they are trained with biased labels. */
  goal?: UnlearningGoal;
  /**
   * Bias goal only **(reconstructed)**: each forget example's training label is (true class + biasShift)
   * mod C (default 1). Must not be a multiple of C.
   */
  biasShift?: number;
}

/** SplitConfig with every default filled in. */
export type ResolvedSplitConfig = Required<SplitConfig>;

/** Defaults of SplitConfig. */
export const DEFAULT_SPLIT_CONFIG: ResolvedSplitConfig = {
  validation: 0.1,
  trainSize: null,
  testSize: null,
  forget: 200,
  goal: 'privacy',
  biasShift: 1,
};

/**
 * The splits. All index arrays are sorted ascending; `train`, `validation`, `forget` and `retain`
 * index the source training set, `test` indexes the source test set. `trainLabels` and `trueLabels`
 * have one entry per source training image (index them with the same indices); they differ only at
 * `forget` indices for the bias goal.
 */
export interface Splits {
  config: ResolvedSplitConfig;
  seed: number;
  numClasses: number;
  /** Training split (= forget + retain), disjoint from validation. */
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
  /** Examples to unlearn (a subset of train). */
  forget: Int32Array;
  /** train minus forget. */
  retain: Int32Array;
  /** Labels the original model is trained with (biased on forget for the bias goal). */
  trainLabels: Int32Array;
  /** The data set's labels. */
  trueLabels: Int32Array;
}

/**
 * Resolves a count-or-fraction size against `n`: integers >= 1 are counts, 0 < x < 1 fractions of n;
 * the result must not exceed `available` (default n).
 * @example
 * resolveSize(0.1, 50000, 'validation'); // 5000
 */
export function resolveSize(value: number, n: number, what: string, available = n): number {
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${what} size ${value}: expected a count or a fraction in (0, 1)`);
  let k: number;
  if (value > 0 && value < 1) k = Math.round(value * n);
  else if (Number.isInteger(value)) k = value;
  else throw new UsageError(`${what} size ${value}: a count must be an integer (fractions must be < 1)`);
  if (k > available) throw new UsageError(`${what} size ${k} exceeds the ${available} examples available`);
  return k;
}

/**
 * Chooses `k` of `indices` stratified by label: each class gets its proportional share (largest
 * remainders, ties to the lower class), members drawn uniformly within the class. Sorted result.
 * @example
 * stratifiedSample(labels, allIndices, 500, numClasses, rng(0, 'sub')); // 500 indices, classes balanced
 */
export function stratifiedSample(labels: ArrayLike<number>, indices: ArrayLike<number>, k: number, numClasses: number, r: Rng): Int32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let j = 0; j < indices.length; j++) byClass[labels[indices[j]]].push(indices[j]);
  const n = indices.length;
  const quota = byClass.map((list) => (k * list.length) / Math.max(1, n));
  const take = quota.map(Math.floor);
  let left = k - take.reduce((a, b) => a + b, 0);
  const order = quota.map((q, c) => c).sort((a, b) => quota[b] - take[b] - (quota[a] - take[a]) || a - b);
  for (const c of order) {
    if (left === 0) break;
    if (take[c] < byClass[c].length) {
      take[c]++;
      left--;
    }
  }
  const out: number[] = [];
  byClass.forEach((list, c) => {
    const perm = r.fork(`class-${c}`).permutation(list.length);
    for (let t = 0; t < take[c]; t++) out.push(list[perm[t]]);
  });
  return Int32Array.from(out).sort();
}

/**
 * Chooses `k` of `indices` uniformly at random (no stratification). Sorted result.
 * @example
 * uniformSample(trainIdx, 200, rng(0, 'forget'));
 */
export function uniformSample(indices: ArrayLike<number>, k: number, r: Rng): Int32Array {
  const perm = r.permutation(indices.length);
  const out = new Int32Array(k);
  for (let t = 0; t < k; t++) out[t] = indices[perm[t]];
  return out.sort();
}

/**
 * Sorted `a` minus `b`.
 * @example
 * difference(Int32Array.of(1, 2, 3), Int32Array.of(2)); // Int32Array [1, 3]
 */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Int32Array {
  const drop = new Set<number>();
  for (let i = 0; i < b.length; i++) drop.add(b[i]);
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) if (!drop.has(a[i])) out.push(a[i]);
  return Int32Array.from(out).sort();
}

function range(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

/**
 * Resolves defaults and checks a split config.
 * @example
 * resolveSplitConfig({ goal: 'bias' }).biasShift; // 1
 */
export function resolveSplitConfig(config: SplitConfig = {}): ResolvedSplitConfig {
  const c: ResolvedSplitConfig = { ...DEFAULT_SPLIT_CONFIG };
  for (const k of Object.keys(config) as (keyof SplitConfig)[]) {
    if (config[k] !== undefined) (c as unknown as Record<string, unknown>)[k] = config[k];
  }
  if (c.goal !== 'privacy' && c.goal !== 'bias') throw new UsageError(`goal '${c.goal}': expected privacy or bias`);
  if (!Number.isInteger(c.biasShift)) throw new UsageError(`biasShift ${c.biasShift}: expected an integer`);
  return c;
}

/**
 * Makes every split as a pure function of (labels, config, seed). Each stage draws from its own named
 * stream (`rng(seed, 'splits', stage)`), so e.g. changing the test subset leaves train/forget unchanged,
 * and the privacy and bias goals select the same forget set.
 * @example
 * const s = makeSplits(train, test, { validation: 5000, trainSize: 10000, forget: 200, goal: 'bias' }, 0);
 * s.trainLabels[s.forget[0]] === (s.trueLabels[s.forget[0]] + 1) % 10; // true
 */
export function makeSplits(train: Labelled, test: Labelled, config: SplitConfig = {}, seed = 0): Splits {
  const cfg = resolveSplitConfig(config);
  const C = train.classes.length;
  if (test.classes.length !== C) throw new UsageError(`train has ${C} classes, test ${test.classes.length}`);
  if (cfg.goal === 'bias' && ((cfg.biasShift % C) + C) % C === 0) {
    throw new UsageError(`biasShift ${cfg.biasShift} is a multiple of the ${C} classes: labels would not change`);
  }
  const root = rng(seed, 'splits');
  const nTrain = train.labels.length;
  const all = range(nTrain);
  const validation = stratifiedSample(train.labels, all, resolveSize(cfg.validation, nTrain, 'validation'), C, root.fork('validation'));
  const rest = difference(all, validation);
  const trainIdx =
    cfg.trainSize === null
      ? rest
      : stratifiedSample(train.labels, rest, resolveSize(cfg.trainSize, nTrain, 'trainSize', rest.length), C, root.fork('train'));
  const nTest = test.labels.length;
  const testIdx =
    cfg.testSize === null
      ? range(nTest)
      : stratifiedSample(test.labels, range(nTest), resolveSize(cfg.testSize, nTest, 'testSize'), C, root.fork('test'));
  const forget = uniformSample(trainIdx, resolveSize(cfg.forget, trainIdx.length, 'forget'), root.fork('forget'));
  const retain = difference(trainIdx, forget);
  const trueLabels = Int32Array.from(train.labels);
  const trainLabels = trueLabels.slice();
  if (cfg.goal === 'bias') {
    for (let j = 0; j < forget.length; j++) {
      const i = forget[j];
      trainLabels[i] = (((trueLabels[i] + cfg.biasShift) % C) + C) % C;
    }
  }
  return { config: cfg, seed, numClasses: C, train: trainIdx, validation, test: testIdx, forget, retain, trainLabels, trueLabels };
}

/**
 * Counts of each split, for logs and notebook headers.
 * @example
 * splitSummary(s); // { train: 45000, validation: 5000, test: 10000, forget: 200, retain: 44800 }
 */
export function splitSummary(s: Splits): Record<'train' | 'validation' | 'test' | 'forget' | 'retain', number> {
  return { train: s.train.length, validation: s.validation.length, test: s.test.length, forget: s.forget.length, retain: s.retain.length };
}
