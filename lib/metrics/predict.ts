// Batched inference over data-set indices: logits for evaluation metrics (errors, losses, MIA features).
import * as tf from '@tensorflow/tfjs-core';
import { evalBatches } from '../data/batches';
import type { ImageDataset } from '../data/types';
import { forward } from '../models/model';
import type { Model } from '../models/types';
import { beat } from '../util/heartbeat';

/** Logits of a set of examples: row i belongs to indices[i]. */
export interface Logits { values: Float32Array; n: number; numClasses: number }

/**
 * Logits [n, C] of `model` (evaluation mode) on `indices` of `ds`, batch by batch.
 * @example
 * const lg = predictLogits(model, data.test, data.splits.test);
 */
export function predictLogits(model: Model, ds: ImageDataset, indices: ArrayLike<number>, batchSize = 500): Logits {
  const C = model.spec.numClasses;
  const values = new Float32Array(indices.length * C);
  let at = 0;
  for (const b of evalBatches(ds, indices, batchSize)) {
    const out = tf.tidy(() => forward(model, tf.tensor4d(b.x, [b.n, ds.height, ds.width, ds.channels])));
    values.set(out.dataSync(), at * C);
    out.dispose();
    at += b.n;
    beat(); // long evaluations keep their store lock fresh
  }
  return { values, n: indices.length, numClasses: C };
}
