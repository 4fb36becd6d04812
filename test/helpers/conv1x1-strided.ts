// Helper of test/backend-conv1x1.test.ts: the filter gradient of strided 1x1 convolutions (ResNet-18k's shortcuts) on
// the onednn backend against the cpu backend, repeated so a write past a oneDNN workspace corrupts the heap. Prints
// one JSON line {ic, oc, err} per shape; run it with ONEDNN_VERBOSE=1 to see the implementation oneDNN chose.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { loadAddon, registerOneDnnBackend, ONEDNN } from '../../lib/backend/native/index';
import { relErr, uniformValues } from './numeric';

/** dL/dW of a 1x1 stride-2 convolution (L = Σ y · dy) on the given backend. */
async function filterGrad(backend: string, x: Float32Array, dy: Float32Array, n: number, s: number, ic: number, oc: number) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, [n, s, s, ic]);
    const dyt = tf.tensor4d(dy, [n, s / 2, s / 2, oc]);
    const w = tf.zeros([1, 1, ic, oc]) as tf.Tensor4D;
    const g = tf.grad((wt: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xt, wt as tf.Tensor4D, 2, 'valid'), dyt)))(w);
    return g.dataSync().slice();
  });
}

(async () => {
  if (!loadAddon()) throw new Error('the onednn addon is not built');
  registerOneDnnBackend();
  const n = 32,
    s = 32;
  for (const [ic, oc] of [
    [1, 2],
    [2, 4],
    [4, 8],
    [8, 16],
    [12, 16],
    [16, 32],
    [24, 16],
  ]) {
    const x = uniformValues([n, s, s, ic], `x${ic}`),
      dy = uniformValues([n, s / 2, s / 2, oc], `dy${oc}`);
    const ref = await filterGrad('cpu', x, dy, n, s, ic, oc);
    let err = 0;
    for (let i = 0; i < 10; i++) err = Math.max(err, relErr(await filterGrad(ONEDNN, x, dy, n, s, ic, oc), ref));
    console.log(JSON.stringify({ ic, oc, err }));
  }
})();
