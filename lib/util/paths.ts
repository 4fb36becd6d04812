// Project paths: the repository root, the data root (option > UNLEARN_DATA > <repo>/data), the model/result
// store (UNLEARN_STORE, else `<data root>/store`) and the figure results folder. Per-data-set cache folders
// are in lib/data/paths.ts.
import * as fs from 'fs';
import * as path from 'path';

/** Options shared by everything that reads or writes the data cache. */
export interface DataRootOptions {
  /** Data root folder; defaults to env UNLEARN_DATA, then `<repo>/data`. */
  dataRoot?: string;
}

const PACKAGE_NAME = 'overparam-unlearning';

function isRepoRoot(dir: string): boolean {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
    return pkg.name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

function walkUp(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    if (isRepoRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The repository root: the nearest folder above this file (or else above the working directory)
 * whose package.json is this project's.
 * @example
 * repoRoot(); // '/work/main'
 */
export function repoRoot(): string {
  const found = walkUp(__dirname) ?? walkUp(process.cwd());
  return found ?? path.resolve(__dirname, '..', '..');
}

/**
 * Resolves the data root: `opts.dataRoot`, else env `UNLEARN_DATA`, else `<repo>/data`.
 * @example
 * dataRoot({ dataRoot: '/tmp/d' }); // '/tmp/d'
 */
export function dataRoot(opts: DataRootOptions = {}): string {
  const chosen = opts.dataRoot ?? process.env.UNLEARN_DATA;
  return path.resolve(chosen && chosen.length > 0 ? chosen : path.join(repoRoot(), 'data'));
}

/**
 * Model/result store root: UNLEARN_STORE, else `<data root>/store`.
 * @example
 * storeRoot(); // '<repo>/data/store'
 */
export function storeRoot(): string {
  return path.resolve(process.env.UNLEARN_STORE || path.join(dataRoot(), 'store'));
}

/**
 * Results root for figure tables and images: UNLEARN_RESULTS (tests), else `<repo>/results`.
 * @example
 * resultsRoot(); // '<repo>/results'
 */
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
