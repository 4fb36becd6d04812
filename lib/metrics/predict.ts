// Batched inference over data-set indices: logits for evaluation metrics (errors, losses, MIA features).
import * as tf from '@tensorflow/tfjs-core';
import { evalBatches } from '../data/batches';
import type { ImageDataset } from '../data/types';
import { forward } from '../models/model';
import type { Model } from '../models/types';
import { beat } from '../util/heartbeat';

/** Logits of a set of examples: row i belongs to indices[i]. */
export interface Logits {
  values: Float32Array;
  n: number;
  numClasses: number;
}

/**
 * Logits [n, C] of `model` (evaluation mode) on `indices` of `ds`, batch by batch.
 * @example
 * const lg = predictLogits(model, data.test, data.splits.test);
 */
export function predictLogits(model: Model, ds: ImageDataset, indices: ArrayLike<number>, batchSize = 500): Logits {
  const C = model.spec.numClasses;
  const values = new Float32Array(indices.length * C);
  for (const { out, at } of logitBatches(model, ds, indices, batchSize)) {
    values.set(out.dataSync(), at * C); // sync read: CPU-memory backends only (use predictLogitsAsync on webgpu)
    out.dispose();
  }
  return { values, n: indices.length, numClasses: C };
}

/** The forward passes of predictLogits: logits [b.n, C] of each batch and the row it starts at. */
function* logitBatches(
  model: Model,
  ds: ImageDataset,
  indices: ArrayLike<number>,
  batchSize: number,
): Generator<{ out: tf.Tensor; at: number }> {
  let at = 0;
  for (const b of evalBatches(ds, indices, batchSize)) {
    yield { out: tf.tidy(() => forward(model, tf.tensor4d(b.x, [b.n, ds.height, ds.width, ds.channels]))), at };
    at += b.n;
    beat(); // long evaluations keep their store lock fresh
  }
}

/**
 * predictLogits with asynchronous reads, safe on every backend (sync reads of GPU tensors throw on webgpu):
 * the next batch is queued on the device before the previous one is read, so reads overlap compute.
 * @example
 * const lg = await predictLogitsAsync(model, data.test, data.splits.test);
 */
export async function predictLogitsAsync(model: Model, ds: ImageDataset, indices: ArrayLike<number>, batchSize = 500): Promise<Logits> {
  const C = model.spec.numClasses;
  const values = new Float32Array(indices.length * C);
  let pending: { out: tf.Tensor; at: number } | undefined;
  const drain = async () => {
    if (!pending) return;
    const { out, at } = pending;
    values.set(await out.data(), at * C);
    out.dispose();
  };
  for (const next of logitBatches(model, ds, indices, batchSize)) {
    await drain();
    pending = next;
  }
  await drain();
  return { values, n: indices.length, numClasses: C };
}
