// Training-mode batch norm (placeholder: tfjs-core's own gradient; the kernel work replaces it with a
// per-channel-reduction gradient). Signature used by lib/models/layers.ts.
import * as tf from '@tensorflow/tfjs-core';

/** Batch norm with batch statistics over N,H,W: returns the output and the batch mean/variance (biased). */
export function batchNormTrain(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): { y: tf.Tensor4D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const y = tf.batchNorm(x, mean, variance, beta, gamma, eps) as tf.Tensor4D;
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
