// Project output paths: the model/result store (UNLEARN_STORE, else `<data root>/store`) and the figure
// results folder; the repository and data roots themselves are found by lib/data/paths.ts.
import * as path from 'path';
import { dataRoot, repoRoot } from '../data/paths';

export { dataRoot, repoRoot };

/** Model/result store root: UNLEARN_STORE, else `<data root>/store`. */
export function storeRoot(): string {
  return path.resolve(process.env.UNLEARN_STORE || path.join(dataRoot(), 'store'));
}

/** Results root for figure tables and images: UNLEARN_RESULTS (tests), else `<repo>/results`. */
export function resultsRoot(): string {
  return path.resolve(process.env.UNLEARN_RESULTS || path.join(repoRoot(), 'results'));
}

/**
 * A path relative to the repository root (unchanged when outside it), for messages and notebook outputs that
 * should not show the machine's folders.
 * @example
 * repoRelative('/home/me/unlearn/results/cpu/fig1-privacy.csv'); // 'results/cpu/fig1-privacy.csv'
 */
export function repoRelative(p: string): string {
  const rel = path.relative(repoRoot(), p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : p;
}
