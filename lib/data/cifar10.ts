// CIFAR-10 (Krizhevsky 2009): download / import into a cache in the official binary record format
// (<dataRoot>/cifar10/{train.bin,test.bin,manifest.json}), load it as ImageDatasets (SHA-256 verified),
// and check it.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { writeDirAtomic, writeJsonAtomic } from '../util/atomic';
import { DataError, UsageError } from '../util/errors';
import { readSourceFiles, sourceKind, SourceFile, SourceKind } from './archive';
import { bytesDigest, fileDigests, verifySidecar } from './checksum';
import {
  CIFAR10_CLASSES, CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, CIFAR_PIXELS, CIFAR_RECORD, cifarDataset,
  decodeCifarRecordsInto, encodeCifarBinary, scanCifarRecords,
} from './cifar-binary';
import {
  assertCountsSpec, checkImageFolderCounts, checkOfficialBatches, checkSplitCounts, Cifar10Counts, CIFAR10_OFFICIAL_COUNTS,
} from './cifar10-checks';
import { DecodeOptions } from './decode';
import { downloadFile } from './download';
import { contentFingerprint } from './fingerprint';
import { groupSplitClassFiles, loadImageFolder } from './image-folder';
import { dataRoot, datasetDir, DataRootOptions } from './paths';
import { classCounts, ImageDataset } from './types';

/** The official binary archive and its published MD5 (https://www.cs.toronto.edu/~kriz/cifar.html). */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
/** Image counts of the official splits. */
export const CIFAR10_COUNTS = { train: 50000, test: 10000 } as const;
/** Cache folder name under the data root. */
export const CIFAR10_DIR = 'cifar10';
/** Manifest format tag. */
export const CIFAR10_MANIFEST_FORMAT = 'cifar10-cache/1';

const OFFLINE_HINT = 'Without network access, fetch cifar-10-binary.tar.gz on another machine (or use a local ' +
  'copy: the archive, its extracted cifar-10-batches-bin folder, or a train/<class>/*.jpg + test/<class>/*.jpg ' +
  'archive such as the shared cifar10-jpeg.tar.gz) and run `unlearn data prepare --from <path>`.';

/** How the cache was made. */
export type Cifar10SourceKind = 'official-archive' | 'official-folder' | 'image-folder';

/** One cached split file as recorded in the manifest. */
export interface CacheFileEntry {
  file: string;
  bytes: number;
  records: number;
  sha256: string;
}

/** `<dataRoot>/cifar10/manifest.json`. */
export interface Cifar10Manifest {
  format: string;
  dataset: 'cifar10';
  classes: string[];
  source: {
    kind: Cifar10SourceKind;
    path: string;
    /** SHA-256 of the source file (archives only). */
    sha256?: string;
    /** MD5 of the source file (archives only) and whether it is the official archive's. */
    md5?: string;
    officialMd5?: boolean;
    /** Whether `<source>.sha256` existed and matched. */
    sidecarVerified?: boolean;
    url?: string;
    /** True for JPEG/PNG sources: pixels differ slightly from the official data. */
    lossy: boolean;
  };
  files: { train: CacheFileEntry; test: CacheFileEntry };
  counts: { train: number; test: number };
  classCounts: { train: number[]; test: number[] };
  /**
   * The counts the import enforced (absent in caches made before import checks: then the official
   * CIFAR10_OFFICIAL_COUNTS apply). Loading and checking compare the files against them.
   */
  expected?: Cifar10Counts;
  /**
   * Content fingerprint (cifar10Fingerprint of the files' SHA-256). Absent in caches made before
   * fingerprints: then it is derived from `files` and recorded by the next `unlearn data prepare`.
   */
  fingerprint?: string;
  created: string;
  importSeconds: number;
}

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

/** Cache file paths for the given options. */
export function cifar10Paths(opts: DataRootOptions = {}): { dir: string; train: string; test: string; manifest: string } {
  const dir = datasetDir(CIFAR10_DIR, opts);
  return { dir, train: path.join(dir, 'train.bin'), test: path.join(dir, 'test.bin'), manifest: path.join(dir, 'manifest.json') };
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
function officialBatches(files: readonly SourceFile[], source: string, kind: SourceKind,
  expected: Cifar10Counts): CheckedSplits | undefined {
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
 * The content fingerprint of a CIFAR-10 cache from the SHA-256 of its train.bin and test.bin
 * (contentFingerprint of `train.bin <sha256>`, `test.bin <sha256>`): equal for the same bytes on any
 * machine, different when any pixel or label byte differs.
 * @example
 * cifar10Fingerprint(readCifar10Manifest().files); // 'sha256:…' (16 hex digits)
 */
export function cifar10Fingerprint(files: { train: { sha256: string }; test: { sha256: string } }): string {
  return contentFingerprint([{ name: 'train.bin', sha256: files.train.sha256 }, { name: 'test.bin', sha256: files.test.sha256 }]);
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
  if (!fs.existsSync(src)) throw new DataError(src, 'does not exist; expected cifar-10-binary.tar.gz, ' +
    'a cifar-10-batches-bin folder or a train/<class>/*.jpg archive');
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
    onFile: (n) => { if (n % 5000 === 0) progress?.({ phase: 'read', done: n }); },
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
      width: 32, height: 32, channels: 3,
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
  writeCache(paths.dir, train, test, manifest);
  return { dir: paths.dir, manifest, seconds: (Date.now() - t0) / 1000 };
}

/** Writes the cache folder atomically, replacing an existing one only once the new one is complete. */
function writeCache(dir: string, train: Uint8Array, test: Uint8Array, manifest: Cifar10Manifest): void {
  const old = fs.existsSync(dir) ? `${dir}.old-${process.pid}-${Date.now()}` : undefined;
  if (old) fs.renameSync(dir, old);
  try {
    writeDirAtomic(dir, (tmp) => {
      fs.writeFileSync(path.join(tmp, 'train.bin'), train);
      fs.writeFileSync(path.join(tmp, 'test.bin'), test);
      fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    });
  } catch (e) {
    if (old && !fs.existsSync(dir)) fs.renameSync(old, dir);
    throw e;
  }
  if (old) fs.rmSync(old, { recursive: true, force: true });
}

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
export async function prepareCifar10(opts: PrepareCifar10Options = {}): Promise<Cifar10ImportResult & { action: 'present' | 'imported' | 'downloaded' }> {
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
    throw new DataError(p.dir, `the existing cache has problems (${report.problems.join('; ')}); ` +
      'run `unlearn data prepare --force` to rebuild it');
  }
  if (opts.from) return { ...(await importCifar10(opts.from, opts)), action: 'imported' };
  return { ...(await downloadCifar10(opts)), action: 'downloaded' };
}

const REBUILD = 'run `unlearn data prepare --force` to rebuild the CIFAR-10 cache';

/**
 * Reads the cache manifest; DataError telling the user to run `unlearn data prepare` if missing, or
 * `unlearn data prepare --force` if it is unreadable or lacks the counts or the files' SHA-256.
 * @example
 * readCifar10Manifest().counts.train; // 50000
 */
export function readCifar10Manifest(opts: DataRootOptions = {}): Cifar10Manifest {
  const p = cifar10Paths(opts);
  if (!fs.existsSync(p.manifest)) {
    throw new DataError(p.manifest, 'missing: CIFAR-10 is not prepared under this data root; run ' +
      '`unlearn data prepare` (downloads the official archive) or `unlearn data prepare --from <path>` ' +
      '(e.g. /work/shared/data/cifar10-jpeg.tar.gz); set UNLEARN_DATA to use another data root');
  }
  let m: Cifar10Manifest;
  try {
    m = JSON.parse(fs.readFileSync(p.manifest, 'utf8')) as Cifar10Manifest;
  } catch (e) {
    throw new DataError(p.manifest, `not valid JSON (${(e as Error).message}); run \`unlearn data prepare --force\``);
  }
  if (m?.format !== CIFAR10_MANIFEST_FORMAT || !m.counts) {
    throw new DataError(p.manifest, `format '${m?.format}', expected '${CIFAR10_MANIFEST_FORMAT}'; run \`unlearn data prepare --force\``);
  }
  for (const split of ['train', 'test'] as const) {
    if (!/^[0-9a-f]{64}$/.test(m.files?.[split]?.sha256 ?? '')) {
      throw new DataError(p.manifest, `records no SHA-256 of ${split}.bin (expected files.${split}.sha256); ${REBUILD}`);
    }
  }
  return m;
}

/** Options of loadCifar10. */
export interface LoadCifar10Options extends DataRootOptions {
  /**
   * @deprecated Ignored: loadCifar10 always verifies each file's SHA-256 against manifest.json (on the
   * bytes it reads anyway; ~0.1 s for full CIFAR-10).
   */
  verifyHashes?: boolean;
}

/** What loadCifar10 returns. */
export interface Cifar10Data {
  train: ImageDataset;
  test: ImageDataset;
  manifest: Cifar10Manifest;
  /** Content fingerprint of the verified files (cifar10Fingerprint), e.g. 'sha256:6c0d2e4f9a1b3c57'. */
  fingerprint: string;
}

/**
 * Reads one cached split once: size against the manifest, then chunk by chunk the SHA-256 and the decode, so
 * the file's bytes never sit in memory beside the decoded images (peak memory = the data set, not twice it).
 */
function readSplit(file: string, e: CacheFileEntry, expected: number, name: string): { ds: ImageDataset; sha256: string } {
  if (!fs.existsSync(file)) throw new DataError(file, `missing; ${REBUILD}`);
  const size = fs.statSync(file).size;
  if (size !== expected * CIFAR_RECORD) {
    throw new DataError(file, `is ${size} bytes, expected ${expected} records x ${CIFAR_RECORD} bytes = ` +
      `${expected * CIFAR_RECORD}${size % CIFAR_RECORD ? ' (not a whole number of records: truncated?)' : ''}; ` +
      'run `unlearn data prepare --force` to rebuild the cache');
  }
  const images = new Uint8Array(expected * CIFAR_PIXELS), labels = new Uint8Array(expected);
  const hash = createHash('sha256');
  const chunkRecords = 2048, chunk = Buffer.allocUnsafe(chunkRecords * CIFAR_RECORD);
  const fd = fs.openSync(file, 'r');
  try {
    for (let first = 0; first < expected; first += chunkRecords) {
      const len = Math.min(chunkRecords, expected - first) * CIFAR_RECORD;
      let got = 0;
      while (got < len) {
        const r = fs.readSync(fd, chunk, got, len - got, first * CIFAR_RECORD + got);
        if (r === 0) throw new DataError(file, `ended after ${first * CIFAR_RECORD + got} bytes while being read; ${REBUILD}`);
        got += r;
      }
      const view = chunk.subarray(0, len);
      hash.update(view);
      decodeCifarRecordsInto(view, images, labels, first, file);
    }
  } finally {
    fs.closeSync(fd);
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== e.sha256) {
    throw new DataError(file, `SHA-256 ${sha256} differs from ${e.sha256} recorded in manifest.json: the file ` +
      `changed after it was prepared (corrupt or edited); ${REBUILD}`);
  }
  return { ds: cifarDataset(name, images, labels), sha256 };
}

/**
 * Loads the cached CIFAR-10 splits (HWC uint8, labels 0..9 in the official order). Each file is read
 * once and verified: size, SHA-256 against manifest.json, labels, and image counts per class against
 * the counts its import enforced (50,000 / 10,000, 5,000 / 1,000 per class for the full data set).
 * Errors are DataErrors naming the file and telling the user to run `unlearn data prepare --force`.
 * Also returns the content fingerprint.
 * @example
 * const { train, test, fingerprint } = await loadCifar10(); train.n; // 50000
 */
export async function loadCifar10(opts: LoadCifar10Options = {}): Promise<Cifar10Data> {
  const p = cifar10Paths(opts);
  const manifest = readCifar10Manifest(opts);
  const expected = manifest.expected ?? CIFAR10_OFFICIAL_COUNTS;
  const train = readSplit(p.train, manifest.files.train, manifest.counts.train, 'cifar10/train');
  const test = readSplit(p.test, manifest.files.test, manifest.counts.test, 'cifar10/test');
  const hint = `; the cache was made from an incomplete or wrong source, ${REBUILD} from a complete copy`;
  checkSplitCounts('train', classCounts(train.ds), expected, p.train, 'the train set', hint);
  checkSplitCounts('test', classCounts(test.ds), expected, p.test, 'the test set', hint);
  const fingerprint = cifar10Fingerprint({ train, test });
  if (manifest.fingerprint !== undefined && manifest.fingerprint !== fingerprint) {
    throw new DataError(p.manifest, `records fingerprint ${manifest.fingerprint}, but the files' SHA-256 give ` +
      `${fingerprint}; ${REBUILD}`);
  }
  return { train: train.ds, test: test.ds, manifest, fingerprint };
}

/** One file in a check report. */
export interface CheckedFile {
  split: 'train' | 'test';
  path: string;
  exists: boolean;
  bytes: number;
  records: number;
  expectedRecords: number;
  /** Actual SHA-256 (undefined when hashes were skipped or the file is missing). */
  sha256?: string;
  manifestSha256?: string;
  sha256Match?: boolean;
}

/** Result of checkCifar10. */
export interface Cifar10CheckReport {
  dir: string;
  ok: boolean;
  problems: string[];
  manifest?: Cifar10Manifest;
  files: CheckedFile[];
  /** Per-class counts read from the files (undefined for unreadable files). */
  classCounts: { train?: number[]; test?: number[] };
  classes: string[];
  /** The counts checked against (the manifest's `expected`, else the official ones). */
  expected: Cifar10Counts;
  /**
   * Content fingerprint: from the files' SHA-256 when hashes were checked (`fingerprintFrom: 'files'`),
   * else from manifest.json's (`'manifest'`, not verified); undefined if neither is available.
   */
  fingerprint?: string;
  fingerprintFrom?: 'files' | 'manifest';
}

/**
 * Checks the cache without throwing: files present, sizes, record counts, SHA-256 against the
 * manifest (default; `hashes: false` skips it), labels valid, per-class counts against the manifest
 * and the expected counts, and the content fingerprint. Each file is read once.
 * @example
 * const r = await checkCifar10(); if (!r.ok) console.log(r.problems.join('\n')); else console.log(r.fingerprint);
 */
export async function checkCifar10(opts: DataRootOptions & { hashes?: boolean } = {}): Promise<Cifar10CheckReport> {
  const p = cifar10Paths(opts);
  const hashes = opts.hashes !== false;
  const report: Cifar10CheckReport = { dir: p.dir, ok: false, problems: [], files: [], classCounts: {},
    classes: CIFAR10_CLASSES.slice(), expected: { ...CIFAR10_OFFICIAL_COUNTS } };
  try {
    report.manifest = readCifar10Manifest(opts);
    if (report.manifest.expected) report.expected = { ...report.manifest.expected };
  } catch (e) {
    report.problems.push((e as Error).message);
  }
  for (const split of ['train', 'test'] as const) {
    const file = split === 'train' ? p.train : p.test;
    const m = report.manifest?.files[split];
    const expectedRecords = report.manifest?.counts[split] ?? report.expected[split];
    const exists = fs.existsSync(file);
    const bytes = exists ? fs.readFileSync(file) : undefined;
    const size = bytes?.length ?? 0;
    const f: CheckedFile = { split, path: file, exists, bytes: size, records: Math.floor(size / CIFAR_RECORD), expectedRecords };
    report.files.push(f);
    if (!bytes) {
      report.problems.push(`${file}: missing`);
      continue;
    }
    if (size !== expectedRecords * CIFAR_RECORD) {
      report.problems.push(`${file}: ${size} bytes, expected ${expectedRecords} x ${CIFAR_RECORD} = ${expectedRecords * CIFAR_RECORD}`);
    }
    if (hashes) {
      f.sha256 = bytesDigest(bytes);
      f.manifestSha256 = m?.sha256;
      f.sha256Match = m ? m.sha256 === f.sha256 : undefined;
      if (m && !f.sha256Match) {
        report.problems.push(`${file}: SHA-256 ${f.sha256} differs from manifest ${m.sha256} (corrupt or edited; ` +
          'run `unlearn data prepare --force`)');
      }
    }
    if (size % CIFAR_RECORD === 0) {
      try {
        const counts = scanCifarRecords(bytes, file);
        report.classCounts[split] = counts;
        const mc = report.manifest?.classCounts?.[split];
        if (mc && mc.join(',') !== counts.join(',')) {
          report.problems.push(`${file}: per-class counts ${counts.join(',')} differ from manifest ${mc.join(',')}`);
        }
        checkSplitCounts(split, counts, report.expected, file);
      } catch (e) {
        report.problems.push((e as Error).message);
      }
    }
  }
  const [tr, te] = report.files;
  if (hashes && tr?.sha256 && te?.sha256) {
    report.fingerprint = cifar10Fingerprint({ train: { sha256: tr.sha256 }, test: { sha256: te.sha256 } });
    report.fingerprintFrom = 'files';
    const recorded = report.manifest?.fingerprint;
    if (recorded !== undefined && recorded !== report.fingerprint) {
      report.problems.push(`${p.manifest}: records fingerprint ${recorded}, the files give ${report.fingerprint}`);
    }
  } else if (report.manifest) {
    report.fingerprint = report.manifest.fingerprint ?? cifar10Fingerprint(report.manifest.files);
    report.fingerprintFrom = 'manifest';
  }
  report.ok = report.problems.length === 0;
  return report;
}

/**
 * Human-readable text of a check report (for `unlearn data check`).
 * @example
 * console.log(formatCifar10Check(await checkCifar10()));
 */
export function formatCifar10Check(r: Cifar10CheckReport): string {
  const lines = [`CIFAR-10 cache ${r.dir}: ${r.ok ? 'OK' : 'PROBLEMS'}`];
  if (r.manifest) {
    lines.push(`  source: ${r.manifest.source.kind} ${r.manifest.source.path}${r.manifest.source.lossy ? ' (lossy JPEG/PNG)' : ''}`);
    lines.push(`  created: ${r.manifest.created}`);
  }
  if (r.fingerprint) {
    const from = r.fingerprintFrom === 'files' ? "from the files' SHA-256" : 'from manifest.json, not verified against the files';
    const unrecorded = r.manifest && !r.manifest.fingerprint ? '; not yet in manifest.json, `unlearn data prepare` records it' : '';
    lines.push(`  fingerprint: ${r.fingerprint} (${from}${unrecorded})`);
  }
  for (const f of r.files) {
    const hash = f.sha256Match === undefined ? '' : f.sha256Match ? ', sha256 matches manifest' : ', SHA-256 MISMATCH';
    lines.push(`  ${f.split}: ${f.exists ? `${f.records} records (expected ${f.expectedRecords})${hash}` : 'missing'}`);
    const cc = r.classCounts[f.split];
    if (cc) lines.push(`    per class: ${r.classes.map((c, i) => `${c} ${cc[i]}`).join(', ')}`);
  }
  for (const p of r.problems) lines.push(`  problem: ${p}`);
  return lines.join('\n');
}
