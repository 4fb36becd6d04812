// The loss of ordinary training: the model's forward pass in training mode (batch statistics, running averages
// updated) and the mean cross-entropy of its logits (losses.ts), with the logits for the accuracy display. Original
// models, retraining and the fine-tuning-style unlearning methods all train with it.
import type * as tf from '@tensorflow/tfjs-core';
import { forward } from '../models/model';
import type { Model } from '../models/types';
import type { Batch, LossFn } from './loop';
import { crossEntropy } from './losses';

/**
 * Mean cross-entropy of `model` (training mode) on `batch`, with its logits.
 * @example
 * const r = crossEntropyOn(model, batch), f = crossEntropyOn(model, extra.forget);
 * return { loss: tf.sub(r.loss, f.loss) as tf.Scalar, logits: r.logits };
 */
export function crossEntropyOn(model: Model, batch: Batch): { loss: tf.Scalar; logits: tf.Tensor2D } {
  const logits = forward(model, batch.x, { training: true });
  return { loss: crossEntropy(logits, batch.y), logits };
}

/**
 * Mean cross-entropy on the phase's batch, as the training loop's LossFn.
 * @example
 * await train(model, { ...recipe, seed: 0, phases: [{ name: 'train', source, loss: crossEntropyLoss }] });
 */
export const crossEntropyLoss: LossFn = ({ model, batch }) => crossEntropyOn(model, batch);
