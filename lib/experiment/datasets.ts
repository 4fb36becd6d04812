// Registry of data sets an experiment can name, each loaded once per process with its content fingerprint
// (CIFAR-10: the prepared official-format cache; Fashion-MNIST: Debian's IDX files).
import { loadCifar10 } from '../data/cifar10';
import { loadFashionMnist } from '../data/fashion-mnist';
import type { ImageDataset } from '../data/types';
import { pick } from '../util/errors';

/** Train and test images of a data set, with its content fingerprint. */
export interface TrainTest {
  train: ImageDataset;
  test: ImageDataset;
  /**
   * Short stable content id of the data set: `sha256:` + 16 hex digits (see contentFingerprint) over
   * the SHA-256 of its files. Equal across processes and machines for the same bytes; different when any
   * pixel or label byte differs. CIFAR-10: over train.bin and test.bin, each verified against the
   * manifest recorded by `unlearn data prepare` (a mismatch fails the load naming the file).
   * Fashion-MNIST: over its four uncompressed IDX files, hashed at load. Meant for store keys.
   */
  fingerprint: string;
}

export const datasets = {
  cifar10: async (): Promise<TrainTest> => {
    const { train, test, fingerprint } = await loadCifar10();
    return { train, test, fingerprint };
  },
  'fashion-mnist': async (): Promise<TrainTest> => loadFashionMnist(),
} satisfies Record<string, () => Promise<TrainTest>>;

export type DatasetName = keyof typeof datasets;

const loaded = new Map<string, Promise<TrainTest>>();

/**
 * Loads a registered data set (memoised per process; loading fails with a DataError naming the file,
 * including when a cached file's content no longer matches what `unlearn data prepare` recorded).
 * @example
 * const { train, test, fingerprint } = await loadDataset('cifar10'); // fingerprint: 'sha256:…'
 */
export function loadDataset(name: string): Promise<TrainTest> {
  const load = pick(datasets, name, 'data set');
  if (!loaded.has(name)) {
    const p = load();
    p.catch(() => loaded.delete(name));
    loaded.set(name, p);
  }
  return loaded.get(name) as Promise<TrainTest>;
}
