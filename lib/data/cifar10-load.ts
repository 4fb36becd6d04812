// CIFAR-10 (Krizhevsky 2009) load: the cached splits as ImageDatasets, each file read once and verified
// (size, SHA-256 against the manifest, labels, per-class counts), with the content fingerprint.
import { createHash } from 'crypto';
import * as fs from 'fs';
import { DataError } from '../util/errors';
import { CIFAR_PIXELS, CIFAR_RECORD, cifarDataset, decodeCifarRecordsInto } from './cifar-binary';
import { checkSplitCounts, CIFAR10_OFFICIAL_COUNTS } from './cifar10-checks';
import {
  CacheFileEntry,
  Cifar10Manifest,
  cifar10Fingerprint,
  cifar10Paths,
  CIFAR10_REBUILD_HINT,
  readCifar10Manifest,
} from './cifar10-cache';
import { DataRootOptions } from './paths';
import { classCounts, ImageDataset } from './types';

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
  if (!fs.existsSync(file)) throw new DataError(file, `missing; ${CIFAR10_REBUILD_HINT}`);
  const size = fs.statSync(file).size;
  if (size !== expected * CIFAR_RECORD) {
    throw new DataError(
      file,
      `is ${size} bytes, expected ${expected} records x ${CIFAR_RECORD} bytes = ` +
        `${expected * CIFAR_RECORD}${size % CIFAR_RECORD ? ' (not a whole number of records: truncated?)' : ''}; ` +
        'run `unlearn data prepare --force` to rebuild the cache',
    );
  }
  const images = new Uint8Array(expected * CIFAR_PIXELS),
    labels = new Uint8Array(expected);
  const hash = createHash('sha256');
  const chunkRecords = 2048,
    chunk = Buffer.allocUnsafe(chunkRecords * CIFAR_RECORD);
  const fd = fs.openSync(file, 'r');
  try {
    for (let first = 0; first < expected; first += chunkRecords) {
      const len = Math.min(chunkRecords, expected - first) * CIFAR_RECORD;
      let got = 0;
      while (got < len) {
        const r = fs.readSync(fd, chunk, got, len - got, first * CIFAR_RECORD + got);
        if (r === 0) throw new DataError(file, `ended after ${first * CIFAR_RECORD + got} bytes while being read; ${CIFAR10_REBUILD_HINT}`);
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
    throw new DataError(
      file,
      `SHA-256 ${sha256} differs from ${e.sha256} recorded in manifest.json: the file ` +
        `changed after it was prepared (corrupt or edited); ${CIFAR10_REBUILD_HINT}`,
    );
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
  const hint = `; the cache was made from an incomplete or wrong source, ${CIFAR10_REBUILD_HINT} from a complete copy`;
  checkSplitCounts('train', classCounts(train.ds), expected, p.train, 'the train set', hint);
  checkSplitCounts('test', classCounts(test.ds), expected, p.test, 'the test set', hint);
  const fingerprint = cifar10Fingerprint({ train, test });
  if (manifest.fingerprint !== undefined && manifest.fingerprint !== fingerprint) {
    throw new DataError(
      p.manifest,
      `records fingerprint ${manifest.fingerprint}, but the files' SHA-256 give ` + `${fingerprint}; ${CIFAR10_REBUILD_HINT}`,
    );
  }
  return { train: train.ds, test: test.ds, manifest, fingerprint };
}
