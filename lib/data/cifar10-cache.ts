// CIFAR-10 (Krizhevsky 2009) cache layout: the official archive's address and MD5, the cache folder
// <dataRoot>/cifar10/{train.bin,test.bin,manifest.json} (official binary record format), its manifest, content
// fingerprint and atomic write.
import * as fs from 'fs';
import * as path from 'path';
import { writeDirAtomic } from '../util/atomic';
import { DataError } from '../util/errors';
import type { Cifar10Counts } from './cifar10-checks';
import { contentFingerprint } from './fingerprint';
import { datasetDir, DataRootOptions } from './paths';

/** The official binary archive and its published MD5 (https://www.cs.toronto.edu/~kriz/cifar.html). */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
/** Image counts of the official splits. */
export const CIFAR10_COUNTS = { train: 50000, test: 10000 } as const;
/** Cache folder name under the data root. */
export const CIFAR10_DIR = 'cifar10';
/** Manifest format tag. */
export const CIFAR10_MANIFEST_FORMAT = 'cifar10-cache/1';

/** What every cache error tells the user to do. */
export const CIFAR10_REBUILD_HINT = 'run `unlearn data prepare --force` to rebuild the CIFAR-10 cache';

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

/**
 * Cache file paths for the given options.
 * @example
 * cifar10Paths({ dataRoot: '/tmp/d' }).train; // '/tmp/d/cifar10/train.bin'
 */
export function cifar10Paths(opts: DataRootOptions = {}): { dir: string; train: string; test: string; manifest: string } {
  const dir = datasetDir(CIFAR10_DIR, opts);
  return { dir, train: path.join(dir, 'train.bin'), test: path.join(dir, 'test.bin'), manifest: path.join(dir, 'manifest.json') };
}

/**
 * The content fingerprint of a CIFAR-10 cache from the SHA-256 of its train.bin and test.bin
 * (contentFingerprint of `train.bin <sha256>`, `test.bin <sha256>`): equal for the same bytes on any
 * machine, different when any pixel or label byte differs.
 * @example
 * cifar10Fingerprint(readCifar10Manifest().files); // 'sha256:…' (16 hex digits)
 */
export function cifar10Fingerprint(files: { train: { sha256: string }; test: { sha256: string } }): string {
  return contentFingerprint([
    { name: 'train.bin', sha256: files.train.sha256 },
    { name: 'test.bin', sha256: files.test.sha256 },
  ]);
}

/**
 * Reads the cache manifest; DataError telling the user to run `unlearn data prepare` if missing, or
 * `unlearn data prepare --force` if it is unreadable or lacks the counts or the files' SHA-256.
 * @example
 * readCifar10Manifest().counts.train; // 50000
 */
export function readCifar10Manifest(opts: DataRootOptions = {}): Cifar10Manifest {
  const p = cifar10Paths(opts);
  if (!fs.existsSync(p.manifest)) {
    throw new DataError(
      p.manifest,
      'missing: CIFAR-10 is not prepared under this data root; run ' +
        '`unlearn data prepare` (downloads the official archive) or `unlearn data prepare --from <path>` ' +
        '(e.g. /work/shared/data/cifar10-jpeg.tar.gz); set UNLEARN_DATA to use another data root',
    );
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
      throw new DataError(p.manifest, `records no SHA-256 of ${split}.bin (expected files.${split}.sha256); ${CIFAR10_REBUILD_HINT}`);
    }
  }
  return m;
}

/**
 * Writes the cache folder atomically, replacing an existing one only once the new one is complete.
 * @example
 * writeCifar10Cache(cifar10Paths().dir, trainBytes, testBytes, manifest);
 */
export function writeCifar10Cache(dir: string, train: Uint8Array, test: Uint8Array, manifest: Cifar10Manifest): void {
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
