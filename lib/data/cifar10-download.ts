// CIFAR-10 (Krizhevsky 2009) download: the official binary archive (resumable, MD5-verified), then imported.
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../util/errors';
import { CIFAR10_MD5, CIFAR10_URL, cifar10Paths } from './cifar10-cache';
import { Cifar10ImportResult, importCifar10, ImportCifar10Options } from './cifar10-import';
import { downloadFile } from './download';
import { dataRoot } from './paths';

const OFFLINE_HINT =
  'Without network access, fetch cifar-10-binary.tar.gz on another machine (or use a local ' +
  'copy: the archive, its extracted cifar-10-batches-bin folder, or a train/<class>/*.jpg + test/<class>/*.jpg ' +
  'archive such as the shared cifar10-jpeg.tar.gz) and run `unlearn data prepare --from <path>`.';

/** Options of downloadCifar10. */
export interface DownloadCifar10Options extends ImportCifar10Options {
  /** Source URL (default the official one). */
  url?: string;
  /** Expected MD5 (default the published one). */
  md5?: string;
  /** Keep `<dataRoot>/downloads/cifar-10-binary.tar.gz` after importing (default true). */
  keepArchive?: boolean;
  timeoutMs?: number;
  retries?: number;
}

/**
 * Downloads the official binary archive (resuming `<dataRoot>/downloads/cifar-10-binary.tar.gz.part`
 * with HTTP Range requests), verifies the published MD5, then imports it. Without network access it
 * fails with a DataError telling the user to run `unlearn data prepare --from <local copy>`.
 * @example
 * await downloadCifar10({ onProgress: (p) => console.log(p.phase, p.done, p.total) });
 */
export async function downloadCifar10(opts: DownloadCifar10Options = {}): Promise<Cifar10ImportResult> {
  const url = opts.url ?? CIFAR10_URL;
  const md5 = opts.md5 ?? CIFAR10_MD5;
  const { dir } = cifar10Paths(opts);
  if (fs.existsSync(dir) && !opts.force) {
    throw new UsageError(`${dir} already holds a CIFAR-10 cache; pass force (--force) to replace it`);
  }
  const archive = path.join(dataRoot(opts), 'downloads', 'cifar-10-binary.tar.gz');
  await downloadFile(url, archive, {
    md5,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    offlineHint: OFFLINE_HINT,
    onProgress: (r, t) => opts.onProgress?.({ phase: 'download', done: r, total: t }),
  });
  const result = await importCifar10(archive, { ...opts, md5, url });
  if (opts.keepArchive === false) fs.rmSync(archive, { force: true });
  return result;
}
