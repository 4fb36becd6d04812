// Fashion-MNIST (Xiao et al. 2017, github.com/zalandoresearch/fashion-mnist) from its IDX files, as
// installed by Debian's dataset-fashion-mnist in /usr/share/datasets/fashion-mnist (gzip) or unpacked,
// with a content fingerprint of the four files computed at load.
import * as fs from 'fs';
import * as path from 'path';
import { DataError } from '../util/errors';
import { contentFingerprint, FingerprintPart } from './fingerprint';
import { readIdx } from './idx';
import { ImageDataset } from './types';

/** Label order of Fashion-MNIST. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** Options of loadFashionMnist. */
export interface FashionMnistOptions {
  /** Folder holding the four IDX files (default: env UNLEARN_FASHION_MNIST, then the Debian folder). */
  dir?: string;
}

function findIdx(dir: string, base: string): string {
  for (const name of [base, `${base}.gz`]) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new DataError(
    path.join(dir, `${base}.gz`),
    'missing; install Fashion-MNIST with ' + '`apt-get install dataset-fashion-mnist` or pass the folder holding the IDX files',
  );
}

function loadSplit(dir: string, prefix: 'train' | 't10k', name: string, parts: FingerprintPart[]): ImageDataset {
  const imgFile = findIdx(dir, `${prefix}-images-idx3-ubyte`);
  const lblFile = findIdx(dir, `${prefix}-labels-idx1-ubyte`);
  const img = readIdx(imgFile);
  const lbl = readIdx(lblFile);
  parts.push({ name: `${prefix}-images-idx3-ubyte`, sha256: img.sha256 }, { name: `${prefix}-labels-idx1-ubyte`, sha256: lbl.sha256 });
  if (img.shape.length !== 3) throw new DataError(imgFile, `expected a 3-d IDX array, got [${img.shape.join(', ')}]`);
  if (lbl.shape.length !== 1 || lbl.shape[0] !== img.shape[0]) {
    throw new DataError(
      lblFile,
      `expected ${img.shape[0]} labels (one per image in ${path.basename(imgFile)}), ` + `got shape [${lbl.shape.join(', ')}]`,
    );
  }
  for (let i = 0; i < lbl.data.length; i++) {
    if (lbl.data[i] >= FASHION_MNIST_CLASSES.length) throw new DataError(lblFile, `label ${lbl.data[i]} at ${i} is not 0..9`);
  }
  const [n, height, width] = img.shape;
  return {
    name,
    images: img.data,
    labels: lbl.data,
    n,
    height,
    width,
    channels: 1,
    classes: FASHION_MNIST_CLASSES.slice(),
    dataset: 'fashion-mnist',
  };
}

/**
 * Loads Fashion-MNIST: 60,000 train and 10,000 test 28x28x1 images, and its content fingerprint:
 * contentFingerprint of the SHA-256 of the four uncompressed IDX files (names without `.gz`, so a
 * gzipped and an unpacked copy of the same bytes give the same fingerprint).
 * @example
 * const { train, test, fingerprint } = loadFashionMnist(); train.n; // 60000
 */
export function loadFashionMnist(opts: FashionMnistOptions = {}): { train: ImageDataset; test: ImageDataset; fingerprint: string } {
  const dir = opts.dir ?? process.env.UNLEARN_FASHION_MNIST ?? FASHION_MNIST_DEBIAN_DIR;
  const parts: FingerprintPart[] = [];
  const train = loadSplit(dir, 'train', 'fashion-mnist/train', parts);
  const test = loadSplit(dir, 't10k', 'fashion-mnist/test', parts);
  return { train, test, fingerprint: contentFingerprint(parts) };
}
