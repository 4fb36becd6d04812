// Where data lives: the data root (option > UNLEARN_DATA > <repo>/data) and per-data-set cache folders.
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
 * The cache folder of one data set under the data root.
 * @example
 * datasetDir('cifar10'); // '<repo>/data/cifar10'
 */
export function datasetDir(name: string, opts: DataRootOptions = {}): string {
  return path.join(dataRoot(opts), name);
}
