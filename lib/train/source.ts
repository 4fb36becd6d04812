// The training loop's view of data: a source yields host-side batches (normalised NHWC float32 + labels)
// in a seeded order, so the loop never depends on how the data set is stored or augmented.
import type { Rng } from '../util/rng';

/** One batch on the host. */
export interface HostBatch {
  /** Normalised images, N*H*W*C. */
  x: Float32Array;
  /** Labels used by the loss (the training labels: biased ones on the forget set for the bias goal). */
  y: Int32Array;
  /** Batch size N. */
  n: number;
}

/** A finite data set the loop can iterate in seeded order. */
export interface BatchSource {
  /** Number of examples. */
  readonly size: number;
  /** [H, W, C] of one example. */
  readonly shape: [number, number, number];
  /** The batches of one epoch, in an order and with augmentation drawn from `r`. */
  epoch(r: Rng, batchSize: number): Iterable<HostBatch>;
}
