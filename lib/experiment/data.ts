// An experiment's data: the data set, its seeded splits (SPEC "Data and splits") and the batch sources
// every training and evaluation step reads.
import type { SplitConfig, Splits } from '../data/splits';
import { makeSplits } from '../data/splits';
import { batchSource, type DatasetSource } from '../data/batches';
import type { ImageDataset } from '../data/types';
import { loadDataset, type DatasetName } from './datasets';

/** Which data and splits; JSON-serialisable, part of every stored config. */
export interface DataConfig {
  dataset: DatasetName;
  /** Validation/train/test sizes, forget-set size, goal (privacy or bias) and bias shift. */
  split: SplitConfig;
  /** Random crop (4-pixel padding) and horizontal flip while training. */
  augment: boolean;
}

/** Everything loaded for (data config, seed). */
export interface ExperimentData {
  config: DataConfig;
  seed: number;
  train: ImageDataset;
  test: ImageDataset;
  splits: Splits;
  numClasses: number;
  shape: [number, number, number];
  /** Training sources (shuffled, augmented if configured) with the training labels (biased on forget for the bias goal). */
  sources: { train: DatasetSource; retain: DatasetSource; forget: DatasetSource };
}

/**
 * The data facts of a store key: the data set's content fingerprint (verified when it was loaded), so a
 * changed or corrupt data set never reuses results computed on other bytes.
 * @example
 * await cached('original', cfg, compute, { context: await dataKey(cfg.data) });
 */
export async function dataKey(config: DataConfig): Promise<{ data: string }> {
  return { data: (await loadDataset(config.dataset)).fingerprint };
}

/**
 * Loads the data set and makes the splits for `seed`.
 * @example
 * const d = await prepareData({ dataset: 'cifar10', split: { trainSize: 5000, forget: 50 }, augment: true }, 0);
 */
export async function prepareData(config: DataConfig, seed: number): Promise<ExperimentData> {
  const { train, test } = await loadDataset(config.dataset);
  const splits = makeSplits(train, test, config.split, seed);
  const opts = { augment: config.augment ? {} : (false as const), labels: splits.trainLabels };
  return {
    config,
    seed,
    train,
    test,
    splits,
    numClasses: train.classes.length,
    shape: [train.height, train.width, train.channels],
    sources: {
      train: batchSource(train, splits.train, opts),
      retain: batchSource(train, splits.retain, opts),
      forget: batchSource(train, splits.forget, opts),
    },
  };
}
