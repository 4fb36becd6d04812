// `unlearn data prepare` for CIFAR-10 (Krizhevsky 2009): keep a valid cache, else import a local copy or download.
import * as fs from 'fs';
import { writeJsonAtomic } from '../util/atomic';
import { DataError } from '../util/errors';
import { cifar10Paths } from './cifar10-cache';
import { checkCifar10 } from './cifar10-cache-check';
import { downloadCifar10, DownloadCifar10Options } from './cifar10-download';
import { Cifar10ImportResult, importCifar10 } from './cifar10-import';

/** Options of prepareCifar10. */
export interface PrepareCifar10Options extends DownloadCifar10Options {
  /** Import from this local copy instead of downloading. */
  from?: string;
}

/**
 * What `unlearn data prepare` does: nothing if a valid cache exists (unless `force`; its files are
 * checked, SHA-256 included, and a fingerprint missing from an older manifest is recorded), else import
 * from `from` or download.
 * @example
 * await prepareCifar10({ from: '/work/shared/data/cifar10-jpeg.tar.gz' });
 */
export async function prepareCifar10(
  opts: PrepareCifar10Options = {},
): Promise<Cifar10ImportResult & { action: 'present' | 'imported' | 'downloaded' }> {
  const p = cifar10Paths(opts);
  if (fs.existsSync(p.dir) && !opts.force) {
    const report = await checkCifar10({ ...opts, hashes: true });
    if (report.ok && report.manifest) {
      let manifest = report.manifest;
      if (!manifest.fingerprint && report.fingerprint) {
        manifest = { ...manifest, fingerprint: report.fingerprint };
        writeJsonAtomic(p.manifest, manifest);
      }
      return { dir: p.dir, manifest, seconds: 0, action: 'present' };
    }
    throw new DataError(
      p.dir,
      `the existing cache has problems (${report.problems.join('; ')}); ` + 'run `unlearn data prepare --force` to rebuild it',
    );
  }
  if (opts.from) return { ...(await importCifar10(opts.from, opts)), action: 'imported' };
  return { ...(await downloadCifar10(opts)), action: 'downloaded' };
}
