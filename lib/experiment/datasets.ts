// The data sets an experiment can name, each loaded once per process with its content fingerprint. The registry
// itself (class names, normalisation, loader per data set) is lib/data/registry.ts, below the experiment layer so
// that batches can look a data set's normalisation up; it is re-exported here for the experiment's importers.
import { datasets, type TrainTest } from '../data/registry';
import { pick } from '../util/errors';

export { datasets, type DatasetEntry, type DatasetName, type TrainTest } from '../data/registry';

const loaded = new Map<string, Promise<TrainTest>>();

/**
 * Loads a registered data set (memoised per process; loading fails with a DataError naming the file,
 * including when a cached file's content no longer matches what `unlearn data prepare` recorded).
 * @example
 * const { train, test, fingerprint } = await loadDataset('cifar10'); // fingerprint: 'sha256:…'
 */
export function loadDataset(name: string): Promise<TrainTest> {
  const entry = pick(datasets, name, 'data set');
  if (!loaded.has(name)) {
    const p = entry.load();
    p.catch(() => loaded.delete(name));
    loaded.set(name, p);
  }
  return loaded.get(name) as Promise<TrainTest>;
}

/**
 * A registered data set's class names in label order (what fig. 4 labels its regions with), from its loaded train
 * split: CIFAR-10's, Fashion-MNIST's, or Tiny ImageNet's from its release.
 * @example
 * await datasetClasses(profile.data.dataset); // fashion-mnist → ['T-shirt/top', 'Trouser', …, 'Ankle boot']
 */
export async function datasetClasses(name: string): Promise<readonly string[]> {
  return (await loadDataset(name)).train.classes;
}
