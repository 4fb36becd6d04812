// In-memory image data set (N x H x W x C uint8, HWC like TensorFlow's NHWC) and helpers on it.

/** Integer class labels, one per image. Uint8Array for <= 256 classes, Uint16Array above. */
export type LabelArray = Uint8Array | Uint16Array | Int32Array;

/**
 * A labelled image data set held as plain typed arrays. Image `i` occupies
 * `images[i*H*W*C .. (i+1)*H*W*C)` in row-major HWC order (pixel (y, x), channel c at
 * `((y*W + x)*C + c)`), values 0..255. Labels index into `classes`.
 */
export interface ImageDataset {
  /** Short name for logs, e.g. 'cifar10/train'. */
  name: string;
  /** N*H*W*C bytes, HWC per image. */
  images: Uint8Array;
  /** N labels in 0..classes.length-1. */
  labels: LabelArray;
  /** Number of images. */
  n: number;
  height: number;
  width: number;
  /** 3 for RGB, 1 for grey. */
  channels: number;
  /** Class names in label order. */
  classes: string[];
  /**
   * The registered data set these images are from (a key of lib/data/registry.ts `datasets`, set by its loader and
   * kept by subsetDataset/concatDatasets); selects the data set's normalisation. Absent for other images.
   */
  dataset?: string;
}

/** Anything with integer labels and class names (an ImageDataset, or only its labels). */
export interface Labelled {
  labels: ArrayLike<number>;
  classes: readonly string[];
}

/** Bytes per image (H*W*C). */
export function imageSize(ds: Pick<ImageDataset, 'height' | 'width' | 'channels'>): number {
  return ds.height * ds.width * ds.channels;
}

/** The smallest label array type that holds labels 0..numClasses-1. */
export function allocLabels(n: number, numClasses: number): Uint8Array | Uint16Array {
  return numClasses <= 256 ? new Uint8Array(n) : new Uint16Array(n);
}

/**
 * Builds an ImageDataset after checking that the array sizes and labels are consistent.
 * @example
 * const ds = makeDataset({ name: 'toy', images: new Uint8Array(2 * 4 * 4 * 3), labels: Uint8Array.of(0, 1),
 *   height: 4, width: 4, channels: 3, classes: ['a', 'b'] });
 */
export function makeDataset(parts: Omit<ImageDataset, 'n'> & { n?: number }): ImageDataset {
  const n = parts.n ?? parts.labels.length;
  const ds: ImageDataset = { ...parts, n };
  assertValidDataset(ds);
  return ds;
}

/**
 * Throws a RangeError describing the first inconsistency (sizes, label range).
 * @example
 * assertValidDataset(train); // throws if images.length !== n*H*W*C or a label is out of range
 */
export function assertValidDataset(ds: ImageDataset): void {
  const size = imageSize(ds);
  if (!(ds.height > 0 && ds.width > 0 && ds.channels > 0)) {
    throw new RangeError(`${ds.name}: bad image shape ${ds.height}x${ds.width}x${ds.channels}`);
  }
  if (ds.labels.length !== ds.n) throw new RangeError(`${ds.name}: ${ds.labels.length} labels for n=${ds.n}`);
  if (ds.images.length !== ds.n * size) {
    throw new RangeError(`${ds.name}: images hold ${ds.images.length} bytes, expected n*H*W*C = ${ds.n * size}`);
  }
  const c = ds.classes.length;
  for (let i = 0; i < ds.n; i++) {
    const l = ds.labels[i];
    if (!(l >= 0 && l < c)) throw new RangeError(`${ds.name}: label ${l} of image ${i} is outside 0..${c - 1}`);
  }
}

/**
 * A view (no copy) of image `i`'s H*W*C bytes.
 * @example
 * const px = imageAt(ds, 0); px[0]; // red value of the top-left pixel of image 0
 */
export function imageAt(ds: ImageDataset, i: number): Uint8Array {
  if (!(i >= 0 && i < ds.n)) throw new RangeError(`${ds.name}: image index ${i} outside 0..${ds.n - 1}`);
  const size = imageSize(ds);
  return ds.images.subarray(i * size, (i + 1) * size);
}

/**
 * A new data set holding copies of the images at `indices` (in that order), optionally with
 * replacement labels (`labels[indices[k]]` becomes label k).
 * @example
 * const small = subsetDataset(train, Int32Array.of(0, 5, 9)); // 3 images
 */
export function subsetDataset(
  ds: ImageDataset,
  indices: ArrayLike<number>,
  options: { name?: string; labels?: ArrayLike<number> } = {},
): ImageDataset {
  const size = imageSize(ds);
  const k = indices.length;
  const images = new Uint8Array(k * size);
  const labels = allocLabels(k, ds.classes.length);
  const src = options.labels ?? ds.labels;
  for (let j = 0; j < k; j++) {
    const i = indices[j];
    if (!(i >= 0 && i < ds.n)) throw new RangeError(`${ds.name}: index ${i} outside 0..${ds.n - 1}`);
    images.set(ds.images.subarray(i * size, (i + 1) * size), j * size);
    labels[j] = src[i];
  }
  return { ...ds, name: options.name ?? `${ds.name}[subset ${k}]`, images, labels, n: k, classes: ds.classes.slice() };
}

/**
 * Concatenates data sets of the same shape and classes.
 * @example
 * const all = concatDatasets([trainA, trainB], 'train');
 */
export function concatDatasets(parts: readonly ImageDataset[], name: string): ImageDataset {
  if (parts.length === 0) throw new RangeError('concatDatasets needs at least one data set');
  const first = parts[0];
  for (const p of parts) {
    if (p.height !== first.height || p.width !== first.width || p.channels !== first.channels) {
      throw new RangeError(
        `concatDatasets: ${p.name} is ${p.height}x${p.width}x${p.channels}, ` +
          `${first.name} is ${first.height}x${first.width}x${first.channels}`,
      );
    }
    if (p.classes.join('\n') !== first.classes.join('\n')) {
      throw new RangeError(`concatDatasets: ${p.name} and ${first.name} have different classes`);
    }
  }
  const n = parts.reduce((s, p) => s + p.n, 0);
  const images = new Uint8Array(n * imageSize(first));
  const labels = allocLabels(n, first.classes.length);
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * imageSize(first));
    labels.set(p.labels, at);
    at += p.n;
  }
  return { ...first, name, images, labels, n, classes: first.classes.slice() };
}

/**
 * Number of examples per class (length = number of classes), over all labels or only `indices`.
 * @example
 * classCounts(train); // e.g. [5000, 5000, ...]
 */
export function classCounts(ds: Labelled, indices?: ArrayLike<number>): number[] {
  const counts = new Array<number>(ds.classes.length).fill(0);
  if (indices) for (let j = 0; j < indices.length; j++) counts[ds.labels[indices[j]]]++;
  else for (let i = 0; i < ds.labels.length; i++) counts[ds.labels[i]]++;
  return counts;
}

/**
 * One-line description for logs.
 * @example
 * describeDataset(train); // 'cifar10/train: 50000 x 32x32x3, 10 classes'
 */
export function describeDataset(ds: ImageDataset): string {
  return `${ds.name}: ${ds.n} x ${ds.height}x${ds.width}x${ds.channels}, ${ds.classes.length} classes`;
}
