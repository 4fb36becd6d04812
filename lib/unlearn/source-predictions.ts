// Predicted classes of a model on a batch source (evaluation mode, batch by batch, asynchronous reads): what a
// method that chooses between its own epochs by error (SCRUB+R) evaluates, without the experiment's feature code.
import * as tf from '@tensorflow/tfjs-core';
import { forward } from '../models/model';
import type { Model } from '../models/types';
import type { BatchSource } from '../train/source';
import { rng } from '../util/rng';

/** Each example's label and predicted class, in the source's order. */
export interface Predictions {
  labels: Int32Array;
  predicted: Int32Array;
}

/**
 * The arg-max class of `model` (evaluation mode) on every example of `source` (one pass; pass a fixed-order source).
 * @example
 * const p = await predictionsOn(model, data.evaluation.forget); errorOf(p);
 */
export async function predictionsOn(model: Model, source: BatchSource, batchSize = 250): Promise<Predictions> {
  const labels = new Int32Array(source.size);
  const predicted = new Int32Array(source.size);
  let at = 0;
  for (const b of source.epoch(rng(0, 'predictions'), batchSize)) {
    const classes = tf.tidy(() => tf.argMax(forward(model, tf.tensor4d(b.x, [b.n, ...source.shape])), 1));
    try {
      predicted.set(await classes.data(), at);
    } finally {
      classes.dispose();
    }
    labels.set(b.y, at);
    at += b.n;
  }
  return { labels, predicted };
}

/**
 * Share of wrong predictions, optionally over the examples whose label is in `classes` only (NaN when none is).
 * @example
 * errorOf({ labels: Int32Array.of(0, 1, 2), predicted: Int32Array.of(0, 2, 2) }); // 1/3
 * errorOf({ labels: Int32Array.of(0, 1, 2), predicted: Int32Array.of(0, 2, 2) }, new Set([1])); // 1
 */
export function errorOf(p: Predictions, classes?: ReadonlySet<number>): number {
  let n = 0,
    wrong = 0;
  p.labels.forEach((y, i) => {
    if (classes && !classes.has(y)) return;
    n++;
    if (p.predicted[i] !== y) wrong++;
  });
  return n ? wrong / n : NaN;
}
