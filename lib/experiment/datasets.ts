// Registry of data sets an experiment can name, each loaded once per process (CIFAR-10: the prepared
// official-format cache; Fashion-MNIST: Debian's IDX files).
import { loadCifar10 } from '../data/cifar10';
import { loadFashionMnist } from '../data/fashion-mnist';
import type { ImageDataset } from '../data/types';
import { pick } from '../util/errors';

/** Train and test images of a data set. */
export interface TrainTest { train: ImageDataset; test: ImageDataset }

export const datasets = {
  cifar10: async (): Promise<TrainTest> => { const { train, test } = await loadCifar10(); return { train, test }; },
  'fashion-mnist': async (): Promise<TrainTest> => loadFashionMnist(),
} satisfies Record<string, () => Promise<TrainTest>>;

export type DatasetName = keyof typeof datasets;

const loaded = new Map<string, Promise<TrainTest>>();

/**
 * Loads a registered data set (memoised per process; loading fails with a DataError naming the file).
 * @example
 * const { train, test } = await loadDataset('cifar10');
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
