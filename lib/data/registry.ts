// Registry of the data sets an experiment can name (a typed object literal, open-unlearning style): per data set
// its class names, the per-channel statistics every batch of it is normalised with, and its loader (train and test
// images with their content fingerprint). Batches look the normalisation up here by the images' `dataset`.
import { CIFAR10_CLASSES } from './cifar-binary';
import { loadCifar10 } from './cifar10-load';
import { FASHION_MNIST_CLASSES, loadFashionMnist } from './fashion-mnist';
import {
  CIFAR10_NORMALIZATION,
  defaultNormalization,
  FASHION_MNIST_NORMALIZATION,
  IMAGENET_NORMALIZATION,
  type Normalization,
} from './normalize';
import { loadTinyImageNetDataset, TINY_IMAGENET_CLASS_COUNT } from './tiny-imagenet';
import type { ImageDataset } from './types';

/** Train and test images of a data set, with its content fingerprint. */
export interface TrainTest {
  train: ImageDataset;
  test: ImageDataset;
  /**
   * Short stable content id of the data set: `sha256:` + 16 hex digits (see contentFingerprint) over
   * the SHA-256 of its files. Equal across processes and machines for the same bytes; different when any
   * pixel or label byte differs. CIFAR-10: over train.bin and test.bin, each verified against the
   * manifest recorded by `unlearn data prepare` (a mismatch fails the load naming the file).
   * Fashion-MNIST: over its four uncompressed IDX files, hashed at load. Tiny ImageNet: over the files of the
   * release it reads. Meant for store keys.
   */
  fingerprint: string;
}

/** One registered data set. */
export interface DatasetEntry {
  describe: string;
  /** Class names in label order, or (for a release that lists them in a file) that file and the class count. */
  classes: readonly string[] | { file: string; count: number };
  /** Per-channel mean / std of x/255 for every batch of this data set (see normalize.ts for the sources). */
  normalization: Normalization;
  /** Loads train and test with the fingerprint; a DataError naming the file when it is missing or corrupt. */
  load: () => Promise<TrainTest>;
}

export const datasets = {
  cifar10: {
    describe: 'CIFAR-10 (Krizhevsky 2009): 50,000 train / 10,000 test 32x32 RGB, 10 classes; `unlearn data prepare`',
    classes: CIFAR10_CLASSES,
    // Published training-set statistics (kuangliu/pytorch-cifar #8/#19, pytorch/tutorials#2405).
    normalization: CIFAR10_NORMALIZATION,
    load: async (): Promise<TrainTest> => {
      const { train, test, fingerprint } = await loadCifar10();
      return { train, test, fingerprint };
    },
  },
  'fashion-mnist': {
    describe: 'Fashion-MNIST (Xiao et al. 2017): 60,000 train / 10,000 test 28x28 grey, 10 classes; Debian dataset-fashion-mnist',
    classes: FASHION_MNIST_CLASSES,
    // Training-set statistics of its 60,000 images (ContinualAI/avalanche#555).
    normalization: FASHION_MNIST_NORMALIZATION,
    load: async (): Promise<TrainTest> => loadFashionMnist(),
  },
  'tiny-imagenet': {
    describe: 'Tiny ImageNet (CS231N): 100,000 train / 10,000 val (as test) 64x64 RGB, 200 classes; UNLEARN_TINY_IMAGENET',
    classes: { file: 'wnids.txt', count: TINY_IMAGENET_CLASS_COUNT },
    // ImageNet's statistics, as torchvision and pytorch/examples' imagenet/main.py normalise ImageNet subsets.
    normalization: IMAGENET_NORMALIZATION,
    load: (): Promise<TrainTest> => loadTinyImageNetDataset(),
  },
} satisfies Record<string, DatasetEntry>;

export type DatasetName = keyof typeof datasets;

/**
 * The normalisation of a data set's images: its registry entry's statistics when `ds.dataset` names one, else
 * the channel-count default (defaultNormalization) for images of no registered data set.
 * @example
 * normalizationOf((await loadCifar10()).train) === CIFAR10_NORMALIZATION; // true
 */
export function normalizationOf(ds: Pick<ImageDataset, 'dataset' | 'channels'>): Normalization {
  const name = ds.dataset;
  if (name !== undefined && Object.prototype.hasOwnProperty.call(datasets, name)) {
    return datasets[name as DatasetName].normalization;
  }
  return defaultNormalization(ds.channels);
}
