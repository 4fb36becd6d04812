// Project paths: the repository root (found from this file or the working directory, so it also works when
// tslab compiles lib files elsewhere), the data root (UNLEARN_DATA) and the store root (UNLEARN_STORE).
import * as fs from 'fs';
import * as path from 'path';

const PACKAGE_NAME = 'overparam-unlearning';

function findUp(start: string): string | undefined {
  let dir = path.resolve(start);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch { /* not ours */ }
    }
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

let root: string | undefined;
/** The repository root. */
export function repoRoot(): string {
  root ??= findUp(__dirname) ?? findUp(process.cwd()) ?? process.cwd();
  return root;
}

/** Data root for downloads and caches: UNLEARN_DATA, else `<repo>/data`. */
export function dataRoot(): string {
  return path.resolve(process.env.UNLEARN_DATA ?? path.join(repoRoot(), 'data'));
}

/** Model/result store root: UNLEARN_STORE, else `<data root>/store`. */
export function storeRoot(): string {
  return path.resolve(process.env.UNLEARN_STORE ?? path.join(dataRoot(), 'store'));
}

/** Results root for figure tables: `<repo>/results`. */
export function resultsRoot(): string {
  return path.join(repoRoot(), 'results');
}
