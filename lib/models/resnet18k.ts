// Pre-activation ResNet-18 with width k (stages k, 2k, 4k, 8k; two blocks each), as `make_resnet18k` in
// Nakkiran et al. 2020 ("Deep double descent") after kuangliu/pytorch-cifar's PreActResNet18; k = 64 is the standard model.
import * as tf from '@tensorflow/tfjs-core';
import type { Arch, ModelSpec } from './types';
import type { Layers } from './layers';

/** Stage table: [width multiple of k, stride of the first block]; two blocks per stage. */
const stages: [number, number][] = [
  [1, 1],
  [2, 2],
  [4, 2],
  [8, 2],
];
const blocksPerStage = 2;

/** One pre-activation basic block: BN-ReLU-conv3x3-BN-ReLU-conv3x3 + (1x1 conv) shortcut. */
function preActBlock(L: Layers, name: string, x: tf.Tensor4D, planes: number, stride: number): tf.Tensor4D {
  const out = L.bn(`${name}.bn1`, x, { relu: true });
  const needsProjection = stride !== 1 || x.shape[3] !== planes;
  // The projection shortcut reads the pre-activated input, as in the reference.
  const shortcut = needsProjection ? L.conv(`${name}.shortcut`, out, { filters: planes, size: 1, stride, pad: 0 }) : x;
  const h = L.conv(`${name}.conv1`, out, { filters: planes, size: 3, stride });
  const h2 = L.conv(`${name}.conv2`, L.bn(`${name}.bn2`, h, { relu: true }), { filters: planes, size: 3 });
  return tf.add(h2, shortcut);
}

export const resnet18k: Arch = {
  describe: 'pre-activation ResNet-18, stage widths k,2k,4k,8k (Nakkiran et al. 2020; He et al. 2016)',
  forward(x: tf.Tensor4D, L: Layers, spec: ModelSpec): tf.Tensor2D {
    let h = L.conv('conv1', x, { filters: spec.k, size: 3 }); // [N,32,32,k]
    stages.forEach(([mult, stride], s) => {
      for (let b = 0; b < blocksPerStage; b++) {
        // A block's intermediates are freed when it ends (gradients keep their own saved copies); in inference
        // the previous block's output goes too, so a forward at batch 500 holds a few activations, not all.
        const out = tf.tidy(() => preActBlock(L, `layer${s + 1}.${b}`, h, mult * spec.k, b === 0 ? stride : 1));
        if (!L.mode.training) h.dispose();
        h = out;
      }
    }); // [N,4,4,8k]
    const pooled = tf.mean(L.bn('bn', h, { relu: true }), [1, 2]) as tf.Tensor2D; // [N,8k]
    return L.dense('linear', pooled, spec.numClasses);
  },
};
