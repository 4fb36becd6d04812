// Where data lives: per-data-set cache folders under the data root (the roots themselves are in lib/util/paths.ts,
// re-exported here for the data loaders).
import * as path from 'path';
import { dataRoot, type DataRootOptions } from '../util/paths';

export { dataRoot, repoRoot, type DataRootOptions } from '../util/paths';

/**
 * The cache folder of one data set under the data root.
 * @example
 * datasetDir('cifar10'); // '<repo>/data/cifar10'
 */
export function datasetDir(name: string, opts: DataRootOptions = {}): string {
  return path.join(dataRoot(opts), name);
}
