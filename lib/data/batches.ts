// Host-side batches for training and evaluation: seeded per-epoch shuffling, optional augmentation,
// normalised NHWC Float32Array images + Int32Array labels (the training loop's BatchSource/HostBatch).
import type { BatchSource, HostBatch } from '../train/source';
import { Rng } from '../util/rng';
import { augmentInto, AugmentOptions, drawAugment, NO_AUGMENT } from './augment';
import { Normalization, normalizationLut } from './normalize';
import { normalizationOf } from './registry';
import { ImageDataset, imageSize } from './types';

/** Options of batch production. */
export interface BatchOptions {
  /** Shuffle the order each epoch (default true for training sources, false for evaluation). */
  shuffle?: boolean;
  /** Random crop / flip (default false = none). */
  augment?: AugmentOptions | false;
  /** Normalisation (default: the data set's registered statistics, normalizationOf); false = x/255. */
  normalize?: Normalization | false;
  /** Labels by data-set index, e.g. Splits.trainLabels (default: the data set's labels). */
  labels?: ArrayLike<number>;
  /** Drop a last incomplete batch (default false). */
  dropLast?: boolean;
}

/** A host batch plus the data-set indices it holds. */
export interface Batch extends HostBatch {
  /** Data-set index of each example, in batch order. */
  indices: Int32Array;
}

function lutFor(ds: ImageDataset, opts: BatchOptions): Float32Array {
  return normalizationLut(opts.normalize === undefined ? normalizationOf(ds) : opts.normalize, ds.channels);
}

function checkIndices(ds: ImageDataset, indices: ArrayLike<number>): void {
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    if (!(i >= 0 && i < ds.n && Number.isInteger(i))) {
      throw new RangeError(`${ds.name}: batch index ${i} at position ${j} is outside 0..${ds.n - 1}`);
    }
  }
}

/** Fills one batch from `order[start..end)`; fresh arrays each time (tensors may alias them). */
function fill(
  ds: ImageDataset,
  order: ArrayLike<number>,
  start: number,
  end: number,
  lut: Float32Array,
  labels: ArrayLike<number>,
  augment: AugmentOptions | false,
  augRng: Rng | undefined,
): Batch {
  const n = end - start;
  const size = imageSize(ds);
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  const indices = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[start + k];
    indices[k] = i;
    y[k] = labels[i];
    const d = augment && augRng ? drawAugment(augRng, augment) : NO_AUGMENT;
    augmentInto(ds.images, i * size, ds.height, ds.width, ds.channels, d, lut, x, k * size);
  }
  return { x, y, n, indices };
}

/**
 * Yields the batches of one epoch over `indices`: order shuffled with `r.fork('order')` (if shuffling),
 * augmentation drawn from `r.fork('augment')`, so an epoch is a pure function of (indices, r, options).
 * @example
 * for (const b of epochBatches(train, splits.retain, rng(seed, 'epoch', 0), 128, { augment: {} })) use(b.x, b.y);
 */
export function* epochBatches(
  ds: ImageDataset,
  indices: ArrayLike<number>,
  r: Rng,
  batchSize: number,
  opts: BatchOptions = {},
): Generator<Batch, void, undefined> {
  if (!(batchSize >= 1)) throw new RangeError(`batch size ${batchSize} must be >= 1`);
  checkIndices(ds, indices);
  const lut = lutFor(ds, opts);
  const labels = opts.labels ?? ds.labels;
  const shuffle = opts.shuffle ?? true;
  let order: ArrayLike<number> = indices;
  if (shuffle) {
    const perm = r.fork('order').permutation(indices.length);
    const o = new Int32Array(indices.length);
    for (let j = 0; j < o.length; j++) o[j] = indices[perm[j]];
    order = o;
  }
  const augment = opts.augment ?? false;
  const augRng = augment ? r.fork('augment') : undefined;
  const total = opts.dropLast ? Math.floor(order.length / batchSize) * batchSize : order.length;
  for (let s = 0; s < total; s += batchSize) {
    yield fill(ds, order, s, Math.min(total, s + batchSize), lut, labels, augment, augRng);
  }
}

/**
 * Evaluation batches: `indices` in order, no augmentation, no shuffling.
 * @example
 * for (const b of evalBatches(test, splits.test, 500)) logits.push(predict(b.x));
 */
export function* evalBatches(
  ds: ImageDataset,
  indices: ArrayLike<number>,
  batchSize: number,
  opts: Pick<BatchOptions, 'normalize' | 'labels'> = {},
): Generator<Batch, void, undefined> {
  checkIndices(ds, indices);
  const lut = lutFor(ds, opts);
  const labels = opts.labels ?? ds.labels;
  for (let s = 0; s < indices.length; s += batchSize) {
    yield fill(ds, indices, s, Math.min(indices.length, s + batchSize), lut, labels, false, undefined);
  }
}

/**
 * All of `indices` as one normalised batch (no augmentation), e.g. the images spanning a decision plane.
 * @example
 * const { x } = gatherBatch(train, Int32Array.of(f, r1, r2));
 */
export function gatherBatch(ds: ImageDataset, indices: ArrayLike<number>, opts: Pick<BatchOptions, 'normalize' | 'labels'> = {}): Batch {
  checkIndices(ds, indices);
  return fill(ds, indices, 0, indices.length, lutFor(ds, opts), opts.labels ?? ds.labels, false, undefined);
}

/** A BatchSource over fixed indices that also reports them. */
export interface DatasetSource extends BatchSource {
  readonly dataset: ImageDataset;
  readonly indices: Int32Array;
  epoch(r: Rng, batchSize: number): Iterable<Batch>;
}

/**
 * The training loop's BatchSource over `indices` of `ds`: each `epoch(r, batchSize)` is shuffled
 * and augmented from `r` (see epochBatches). Shuffles by default.
 * @example
 * const retainSrc = batchSource(train, splits.retain, { augment: {}, labels: splits.trainLabels });
 */
export function batchSource(ds: ImageDataset, indices: ArrayLike<number>, opts: BatchOptions = {}): DatasetSource {
  checkIndices(ds, indices);
  const idx = Int32Array.from(indices);
  return {
    dataset: ds,
    indices: idx,
    size: idx.length,
    shape: [ds.height, ds.width, ds.channels],
    epoch: (r: Rng, batchSize: number) => epochBatches(ds, idx, r, batchSize, opts),
  };
}
