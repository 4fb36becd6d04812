// The small 4-layer CNN with widths k, 2k, 4k, 8k ("5-layer CNN" of Nakkiran et al. 2020: four conv-BN-ReLU
// layers with 2x2 max pooling after layers 2-4, a final max pool and a linear classifier).
import * as tf from '@tensorflow/tfjs-core';
import type { Arch, ModelSpec } from './types';
import type { Layers } from './layers';

/** Layer table: [width multiple of k, max-pool after]. */
const table: [number, boolean][] = [
  [1, false],
  [2, true],
  [4, true],
  [8, true],
];

export const cnn4: Arch = {
  describe: '4-layer CNN, widths k,2k,4k,8k, max pooling (Nakkiran et al. 2020)',
  forward(x: tf.Tensor4D, L: Layers, spec: ModelSpec): tf.Tensor2D {
    let h = x;
    table.forEach(([mult, pool], i) => {
      const out = tf.tidy(() => {
        const y = L.bn(`conv${i + 1}.bn`, L.conv(`conv${i + 1}`, h, { filters: mult * spec.k, size: 3 }), { relu: true });
        return pool ? tf.maxPool(y, 2, 2, 'valid') : y;
      });
      if (!L.mode.training && h !== x) h.dispose(); // inference: free each layer's input once used
      h = out;
    }); // [N,H/8,W/8,8k]
    const pooled = tf.max(h, [1, 2]) as tf.Tensor2D; // global max pool (= MaxPool(4) at 32x32)
    return L.dense('linear', pooled, spec.numClasses);
  },
};
