// CIFAR-10 (Krizhevsky 2009) import from a local copy: the official binary archive, its extracted folder or an
// image-folder archive/folder (train/<class>/*.jpg), checked (official counts) and written as the cache.
import * as fs from 'fs';
import * as path from 'path';
import { DataError, UsageError } from '../util/errors';
import { readSourceFiles, sourceKind, SourceFile, SourceKind } from './archive';
import { bytesDigest, fileDigests, verifySidecar } from './checksum';
import { CIFAR10_CLASSES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, CIFAR_RECORD, encodeCifarBinary, scanCifarRecords } from './cifar-binary';
import { assertCountsSpec, checkImageFolderCounts, checkOfficialBatches, Cifar10Counts, CIFAR10_OFFICIAL_COUNTS } from './cifar10-checks';
import {
  CacheFileEntry,
  Cifar10Manifest,
  CIFAR10_MANIFEST_FORMAT,
  CIFAR10_MD5,
  cifar10Fingerprint,
  cifar10Paths,
  writeCifar10Cache,
} from './cifar10-cache';
import { DecodeOptions } from './decode';
import { groupSplitClassFiles, loadImageFolder } from './image-folder';
import { DataRootOptions } from './paths';

/** Progress events of import/download: phase, and items (bytes or images) done of total. */
export interface DataProgress {
  phase: 'download' | 'verify' | 'read' | 'decode' | 'write';
  done: number;
  total?: number;
}

/** Options shared by the CIFAR-10 functions. */
export interface Cifar10Options extends DataRootOptions {
  onProgress?: (p: DataProgress) => void;
}

/** Options of importCifar10. */
export interface ImportCifar10Options extends Cifar10Options {
  /** Replace an existing cache (default false: an existing cache is a UsageError). */
  force?: boolean;
  /** Require this MD5 of an archive source (default: not required; the value is recorded). */
  md5?: string;
  /** Decoder settings for image-folder sources (workers, chunk size). */
  decode?: DecodeOptions;
  /** Recorded in the manifest when the source was downloaded. */
  url?: string;
  /**
   * Image counts the source must have (default CIFAR10_OFFICIAL_COUNTS: 10,000 records per batch file,
   * 50,000 train, 10,000 test, 1,000 per class in test). Only small test fixtures need other values.
   */
  expected?: Cifar10Counts;
}

/** What importCifar10 / downloadCifar10 / prepareCifar10 did. */
export interface Cifar10ImportResult {
  dir: string;
  manifest: Cifar10Manifest;
  seconds: number;
}

function isBatchPath(p: string): boolean {
  const base = p.split('/').pop() ?? '';
  return CIFAR10_TRAIN_FILES.includes(base) || base === CIFAR10_TEST_FILE;
}

/** Official batches found in a source, checked: the split bytes and their per-class counts. */
interface CheckedSplits {
  train: Uint8Array;
  test: Uint8Array;
  counts: { train: number[]; test: number[] };
}

/**
 * Finds the official batch files among `files` (any folder prefix) and checks them (record counts per
 * file, labels, per-class counts; errors name the file, e.g. `<folder>/data_batch_3.bin` or
 * `<archive>:cifar-10-batches-bin/data_batch_3.bin`), or returns undefined if there are none.
 */
function officialBatches(
  files: readonly SourceFile[],
  source: string,
  kind: SourceKind,
  expected: Cifar10Counts,
): CheckedSplits | undefined {
  const byBase = new Map<string, SourceFile>();
  for (const f of files) {
    if (!isBatchPath(f.path)) continue;
    const base = f.path.split('/').pop()!;
    const seen = byBase.get(base);
    if (seen) throw new DataError(source, `holds two ${base} files ('${seen.path}' and '${f.path}'); expected one`);
    byBase.set(base, f);
  }
  if (byBase.size === 0) return undefined;
  const missing = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((b) => !byBase.has(b));
  if (missing.length > 0) throw new DataError(source, `has some CIFAR-10 batch files but not ${missing.join(', ')}`);
  const where = (f: SourceFile): string => (kind === 'folder' ? path.join(source, f.path) : `${source}:${f.path}`);
  const batch = (b: string): { where: string; data: Uint8Array } => ({ where: where(byBase.get(b)!), data: byBase.get(b)!.data });
  const counts = checkOfficialBatches(source, CIFAR10_TRAIN_FILES.map(batch), batch(CIFAR10_TEST_FILE), expected);
  const train = Buffer.concat(CIFAR10_TRAIN_FILES.map((b) => byBase.get(b)!.data));
  return { train, test: byBase.get(CIFAR10_TEST_FILE)!.data, counts };
}

function entry(file: string, bytes: Uint8Array): CacheFileEntry {
  return { file, bytes: bytes.length, records: bytes.length / CIFAR_RECORD, sha256: bytesDigest(bytes) };
}

/**
 * Imports CIFAR-10 from a local copy into the cache: the official `cifar-10-binary.tar.gz`, an
 * extracted `cifar-10-batches-bin` folder, or an image-folder archive/folder
 * (`train/<class>/*.jpg`, `test/<class>/*.jpg`; classes in the official label order, files sorted by
 * name). Archives are streamed (nothing is extracted to disk); a `<from>.sha256` file beside an archive
 * is verified first. Import checks (`opts.expected`, default the official counts): each official batch
 * file holds exactly 10,000 records with labels 0..9, 50,000 train and 10,000 test images, 5,000 / 1,000
 * of each class; errors name the batch file (and the record) or the image folder. Nothing is written
 * unless every check passes; the cache folder (with the content fingerprint in manifest.json) is
 * written atomically.
 * @example
 * const { manifest, seconds } = await importCifar10('/work/shared/data/cifar10-jpeg.tar.gz');
 */
export async function importCifar10(from: string, opts: ImportCifar10Options = {}): Promise<Cifar10ImportResult> {
  const t0 = Date.now();
  const paths = cifar10Paths(opts);
  const expected = opts.expected ?? CIFAR10_OFFICIAL_COUNTS;
  assertCountsSpec(expected);
  const src = path.resolve(from);
  if (!fs.existsSync(src))
    throw new DataError(
      src,
      'does not exist; expected cifar-10-binary.tar.gz, ' + 'a cifar-10-batches-bin folder or a train/<class>/*.jpg archive',
    );
  if (fs.existsSync(paths.dir) && !opts.force) {
    throw new UsageError(`${paths.dir} already holds a CIFAR-10 cache; pass force (--force) to replace it`);
  }
  const kind = sourceKind(src);
  const progress = opts.onProgress;
  const source: Cifar10Manifest['source'] = { kind: 'image-folder', path: src, lossy: true };
  if (opts.url) source.url = opts.url;
  if (kind !== 'folder') {
    progress?.({ phase: 'verify', done: 0 });
    const digests = await fileDigests(src, ['sha256', 'md5']);
    const side = await verifySidecar(src, digests.sha256);
    source.sha256 = side.sha256;
    source.sidecarVerified = side.verified;
    source.md5 = digests.md5;
    source.officialMd5 = source.md5 === CIFAR10_MD5;
    if (opts.md5 && opts.md5.toLowerCase() !== source.md5) {
      throw new DataError(src, `MD5 is ${source.md5}, expected ${opts.md5}; the archive is corrupt or not the official one`);
    }
  }
  progress?.({ phase: 'read', done: 0 });
  const files = await readSourceFiles(src, {
    filter: (p) => isBatchPath(p) || /\.(jpe?g|png)$/i.test(p),
    onFile: (n) => {
      if (n % 5000 === 0) progress?.({ phase: 'read', done: n });
    },
  });
  let train: Uint8Array;
  let test: Uint8Array;
  let counts: CheckedSplits['counts'];
  const batches = officialBatches(files, src, kind, expected);
  if (batches) {
    source.kind = kind === 'folder' ? 'official-folder' : 'official-archive';
    source.lossy = false;
    ({ train, test, counts } = batches);
  } else {
    const images = files.filter((f) => !isBatchPath(f.path));
    // Counts per split and class folder before the (long) decode.
    if (images.length > 0) checkImageFolderCounts(groupSplitClassFiles(images, src), src, expected);
    const splits = await loadImageFolder(src, {
      ...opts.decode,
      splits: ['train', 'test'],
      classes: CIFAR10_CLASSES,
      width: 32,
      height: 32,
      channels: 3,
      name: 'cifar10',
      onProgress: (d, t) => progress?.({ phase: 'decode', done: d, total: t }),
      preloaded: images,
    });
    train = encodeCifarBinary(splits.train);
    test = encodeCifarBinary(splits.test);
    counts = {
      train: scanCifarRecords(train, `${src} (train/)`, expected.train),
      test: scanCifarRecords(test, `${src} (test/)`, expected.test),
    };
  }
  progress?.({ phase: 'write', done: 0 });
  const cached = { train: entry('train.bin', train), test: entry('test.bin', test) };
  const manifest: Cifar10Manifest = {
    format: CIFAR10_MANIFEST_FORMAT,
    dataset: 'cifar10',
    classes: CIFAR10_CLASSES.slice(),
    source,
    files: cached,
    counts: { train: train.length / CIFAR_RECORD, test: test.length / CIFAR_RECORD },
    classCounts: counts,
    expected: { ...expected },
    fingerprint: cifar10Fingerprint(cached),
    created: new Date().toISOString(),
    importSeconds: 0,
  };
  manifest.importSeconds = Math.round((Date.now() - t0) / 100) / 10;
  writeCifar10Cache(paths.dir, train, test, manifest);
  return { dir: paths.dir, manifest, seconds: (Date.now() - t0) / 1000 };
}
