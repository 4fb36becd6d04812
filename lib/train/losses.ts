// Loss functions on logits: cross-entropy (mean and per example) and temperature-scaled KL divergence
// (SCRUB, Kurmanji et al. 2023). One-hot products instead of gather, whose gradient wasm lacks.
import * as tf from '@tensorflow/tfjs-core';

/** Per-example cross-entropy −log softmax(logits)[y], shape [N]. */
export function crossEntropyPerExample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits);
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(logp, onehot), 1)) as tf.Tensor1D;
  });
}

/** Mean cross-entropy over the batch. */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(crossEntropyPerExample(logits, labels)) as tf.Scalar);
}

/**
 * KL(teacher ‖ student) of the temperature-T softmaxes, averaged over the batch and multiplied by T²
 * (Hinton et al. 2015; as SCRUB's DistillKL).
 */
export function distillKL(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, T: number): tf.Scalar {
  return tf.tidy(() => {
    const ps = tf.logSoftmax(tf.div(studentLogits, T));
    const pt = tf.logSoftmax(tf.div(teacherLogits, T));
    const kl = tf.sum(tf.mul(tf.exp(pt), tf.sub(pt, ps)), 1);
    return tf.mul(tf.mean(kl), T * T) as tf.Scalar;
  });
}

/** Number of rows whose arg-max equals the label. */
export function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32')) as tf.Scalar);
}

/**
 * Sum of same-shaped tensors in AddN groups of at most 7 (WebGPU allows 8 storage buffers per shader stage by
 * default — 7 inputs and the output; tfjs's webgpu AddN does not split larger calls, and a pipeline over the
 * limit is invalid: its output is garbage without an exception).
 * @example
 * const l1 = sumOf(Object.values(model.params).map((w) => tf.sum(tf.abs(w))));
 */
export function sumOf<T extends tf.Tensor>(xs: T[]): T {
  if (!xs.length) throw new Error('sumOf: no tensors to sum');
  return tf.tidy(() => {
    let level: tf.Tensor[] = xs;
    while (level.length > 1) {
      const next: tf.Tensor[] = [];
      for (let i = 0; i < level.length; i += 7) {
        const group = level.slice(i, i + 7);
        next.push(group.length === 1 ? group[0] : tf.addN(group));
      }
      level = next;
    }
    return level[0] as T;
  });
}
