// Project output paths: the model/result store (UNLEARN_STORE, else `<data root>/store`) and the figure
// results folder; the repository and data roots themselves are found by lib/data/paths.ts.
import * as path from 'path';
import { dataRoot, repoRoot } from '../data/paths';

export { dataRoot, repoRoot };

/** Model/result store root: UNLEARN_STORE, else `<data root>/store`. */
export function storeRoot(): string {
  return path.resolve(process.env.UNLEARN_STORE || path.join(dataRoot(), 'store'));
}

/** Results root for figure tables and images: `<repo>/results`. */
export function resultsRoot(): string {
  return path.join(repoRoot(), 'results');
}
