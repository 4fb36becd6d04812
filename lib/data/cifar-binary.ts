// CIFAR-10 binary record format (https://www.cs.toronto.edu/~kriz/cifar.html, "binary version"):
// each record is 1 label byte + 3072 bytes = R, G, B planes of 32x32, rows top to bottom. We hold HWC.
import { DataError } from '../util/errors';
import { ImageDataset } from './types';

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
/** Bytes of pixel data per record (3 planes of 32x32). */
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * CIFAR_CHANNELS;
/** Bytes per record: 1 label byte + 3072 pixel bytes. */
export const CIFAR_RECORD = 1 + CIFAR_PIXELS;
/** The official label order (batches.meta.txt). */
export const CIFAR10_CLASSES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/**
 * Checks CIFAR-10 binary records without decoding the pixels and returns the number of records per
 * class. Throws a DataError naming `file` if the length is not a whole number of 3073-byte records, if
 * `expectedCount` is given and differs, or naming the record index if a label byte is >= 10.
 * @example
 * scanCifarRecords(fs.readFileSync('test_batch.bin'), 'test_batch.bin', 10000); // [1000, 1000, ...]
 */
export function scanCifarRecords(bytes: Uint8Array, file: string, expectedCount?: number): number[] {
  if (bytes.length % CIFAR_RECORD !== 0) {
    throw new DataError(
      file,
      `length ${bytes.length} bytes is not a multiple of the CIFAR record size ` +
        `${CIFAR_RECORD} (1 label byte + 3072 pixel bytes); the file is truncated or not CIFAR binary`,
    );
  }
  const n = bytes.length / CIFAR_RECORD;
  if (expectedCount !== undefined && n !== expectedCount) {
    throw new DataError(
      file,
      `holds ${n} records (${bytes.length} bytes), expected ${expectedCount} ` +
        `records of ${CIFAR_RECORD} bytes (${expectedCount * CIFAR_RECORD} bytes)`,
    );
  }
  const counts = new Array<number>(CIFAR10_CLASSES.length).fill(0);
  for (let i = 0; i < n; i++) {
    const label = bytes[i * CIFAR_RECORD];
    if (label >= CIFAR10_CLASSES.length) {
      throw new DataError(
        file,
        `record ${i} has label byte ${label}, expected 0..${CIFAR10_CLASSES.length - 1} ` + `(byte offset ${i * CIFAR_RECORD})`,
      );
    }
    counts[label]++;
  }
  return counts;
}

/**
 * Decodes CIFAR-10 binary records into an HWC data set. Throws a DataError naming `file` if the
 * length is not a multiple of 3073 bytes, if `expectedCount` is given and differs, or if a label is >= 10
 * (naming the record; see scanCifarRecords).
 * @example
 * const test = decodeCifarBinary(fs.readFileSync('test_batch.bin'), 'test_batch.bin', 'cifar10/test', 10000);
 */
export function decodeCifarBinary(bytes: Uint8Array, file: string, name: string, expectedCount?: number): ImageDataset {
  scanCifarRecords(bytes, file, expectedCount);
  const n = bytes.length / CIFAR_RECORD;
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = new Uint8Array(n);
  decodeCifarRecordsInto(bytes, images, labels, 0, file);
  return cifarDataset(name, images, labels);
}

/** An HWC CIFAR-10 data set over decoded arrays (registered as 'cifar10': CIFAR-10's normalisation). */
export function cifarDataset(name: string, images: Uint8Array, labels: Uint8Array): ImageDataset {
  return {
    name,
    images,
    labels,
    n: labels.length,
    height: CIFAR_SIDE,
    width: CIFAR_SIDE,
    channels: CIFAR_CHANNELS,
    classes: CIFAR10_CLASSES.slice(),
    dataset: 'cifar10',
  };
}

/**
 * Decodes whole records `bytes` (a chunk of a file) as records `first…` of `images`/`labels` (HWC); a label
 * byte >= 10 is a DataError naming the record's index in the file. Lets a file be decoded chunk by chunk.
 * @example
 * decodeCifarRecordsInto(chunk, images, labels, 2048, 'data_batch_1.bin');
 */
export function decodeCifarRecordsInto(bytes: Uint8Array, images: Uint8Array, labels: Uint8Array, first: number, file: string): void {
  const n = Math.floor(bytes.length / CIFAR_RECORD);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let i = 0; i < n; i++) {
    const rec = i * CIFAR_RECORD;
    const label = bytes[rec];
    if (label >= CIFAR10_CLASSES.length) {
      throw new DataError(
        file,
        `record ${first + i} has label byte ${label}, expected 0..${CIFAR10_CLASSES.length - 1} ` +
          `(byte offset ${(first + i) * CIFAR_RECORD})`,
      );
    }
    labels[first + i] = label;
    const src = rec + 1;
    const dst = (first + i) * CIFAR_PIXELS;
    for (let p = 0; p < plane; p++) {
      const o = dst + p * 3;
      images[o] = bytes[src + p];
      images[o + 1] = bytes[src + plane + p];
      images[o + 2] = bytes[src + 2 * plane + p];
    }
  }
}

/**
 * Encodes a 32x32x3 data set as CIFAR-10 binary records (the inverse of decodeCifarBinary).
 * @example
 * fs.writeFileSync('train.bin', encodeCifarBinary(train));
 */
export function encodeCifarBinary(ds: ImageDataset): Uint8Array {
  if (ds.height !== CIFAR_SIDE || ds.width !== CIFAR_SIDE || ds.channels !== CIFAR_CHANNELS) {
    throw new RangeError(`${ds.name}: CIFAR binary holds 32x32x3 images, got ${ds.height}x${ds.width}x${ds.channels}`);
  }
  if (ds.classes.length > 256) throw new RangeError(`${ds.name}: a label byte holds at most 256 classes`);
  const out = new Uint8Array(ds.n * CIFAR_RECORD);
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let i = 0; i < ds.n; i++) {
    const rec = i * CIFAR_RECORD;
    out[rec] = ds.labels[i];
    const src = i * CIFAR_PIXELS;
    const dst = rec + 1;
    for (let p = 0; p < plane; p++) {
      const o = src + p * 3;
      out[dst + p] = ds.images[o];
      out[dst + plane + p] = ds.images[o + 1];
      out[dst + 2 * plane + p] = ds.images[o + 2];
    }
  }
  return out;
}

/** Official file names inside `cifar-10-batches-bin/`. */
export const CIFAR10_TRAIN_FILES: readonly string[] = [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';
