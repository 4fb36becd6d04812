// All-CNN-C (Springenberg et al. 2014, "Striving for simplicity") with channels scaled by k (k = 96 is the
// original), with batch norm after each convolution as in double-descent studies; global average pooling head.
import * as tf from '@tensorflow/tfjs-core';
import type { Arch, ModelSpec } from './types';
import type { Layers } from './layers';

/** Layer table: [channels as a multiple of k, kernel size, stride, padding]. */
const table: [number, number, number, number][] = [
  [1, 3, 1, 1],
  [1, 3, 1, 1],
  [1, 3, 2, 1],
  [2, 3, 1, 1],
  [2, 3, 1, 1],
  [2, 3, 2, 1],
  [2, 3, 1, 0],
  [2, 1, 1, 0],
];

export const allcnn: Arch = {
  describe: 'All-CNN-C with channels k,k,k,2k,...; BN after each conv (Springenberg et al. 2014)',
  forward(x: tf.Tensor4D, L: Layers, spec: ModelSpec): tf.Tensor2D {
    let h = x;
    table.forEach(([mult, size, stride, pad], i) => {
      const out = tf.tidy(() =>
        L.bn(`conv${i + 1}.bn`, L.conv(`conv${i + 1}`, h, { filters: mult * spec.k, size, stride, pad }), { relu: true }),
      );
      if (!L.mode.training && h !== x) h.dispose(); // inference: free each layer's input once used
      h = out;
    });
    const logits = L.conv('classifier', h, { filters: spec.numClasses, size: 1, pad: 0, bias: true }); // [N,h,w,C]
    return tf.mean(logits, [1, 2]) as tf.Tensor2D;
  },
};
