// Tests for saved-tensor sharing on the onednn backend (lib/backend/native/saved.ts): a ResNet-18k training step
// runs no Identity kernel per saved tensor, gives bit-identical loss and gradients to tfjs's own clone, leaks nothing, and a
// gradient of a gradient (nested tapes) is still right. Skipped when the addon is not built.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { loadAddon, addonLoadError, registerOneDnnBackend, shareSavedTensors, ONEDNN } from '../lib/backend/native/index';
import { profileKernels } from '../lib/backend/native/profile';
import { createModel, disposeModel, forward } from '../lib/models/model';
import { crossEntropy } from '../lib/train/losses';
import { uniformValues } from './helpers/numeric';

const required = process.env.UNLEARN_REQUIRE_NATIVE === '1';
const skip = loadAddon() || required ? false : String(addonLoadError());

before(async () => {
  if (skip) return;
  registerOneDnnBackend();
  assert.ok(await tf.setBackend(ONEDNN));
});

/** Loss and every gradient of one ResNet-18k (k = 2) training step, as plain arrays, and the Identity calls it made. */
function step(): { out: Float32Array[]; identities: number; leaked: number } {
  const spec = { arch: 'resnet18k', k: 2, numClasses: 10, inputShape: [16, 16, 3] as [number, number, number] };
  const model = createModel(spec, 1);
  const x = tf.tensor4d(uniformValues([4, 16, 16, 3], 'saved', 11), [4, 16, 16, 3]);
  const y = tf.tensor1d([3, 1, 4, 1], 'int32');
  const params = Object.values(model.params);
  const before = tf.memory().numTensors;
  const prof = profileKernels(ONEDNN);
  const { value, grads } = tf.variableGrads(() => crossEntropy(forward(model, x, { training: true }), y), params);
  const identities = prof.report().find((r) => r.kernel === tf.Identity)?.calls ?? 0;
  prof.stop();
  const out = [value, ...params.map((p) => grads[p.name])].map((t) => t.dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  const leaked = tf.memory().numTensors - before;
  disposeModel(model);
  tf.dispose([x, y]);
  return { out, identities, leaked };
}

test('saved tensors: a training step without an Identity kernel per saved tensor, bit-identical to tfjs clone, no leaks', { skip }, () => {
  const was = shareSavedTensors(false);
  try {
    step(); // warm-up: first-use constants stay cached
    const ref = step();
    shareSavedTensors(true);
    const got = step();
    assert.ok(ref.identities > 50, `tfjs's clone ran ${ref.identities} Identity kernels (expected one per saved tensor)`);
    // What is left is not a saved tensor's (one tf.clone-style Identity of the loss path).
    assert.ok(got.identities <= 2, `${got.identities} Identity kernels ran with shared saved tensors`);
    assert.equal(ref.leaked, 0);
    assert.equal(got.leaked, 0, 'tensors leaked with shared saved tensors');
    assert.equal(got.out.length, ref.out.length);
    got.out.forEach((g, i) => assert.deepEqual(g, ref.out[i], `output ${i} (loss, gradients) differs`));
  } finally {
    shareSavedTensors(was);
  }
});

test('saved tensors: a gradient of a gradient (nested tapes) keeps tfjs semantics', { skip }, () => {
  const was = shareSavedTensors(true);
  try {
    // f(x) = x³ (through Multiply, which saves its inputs): f'' = 6x.
    const x = tf.tensor1d([0.5, -2, 3]);
    const d2 = tf.grad(tf.grad((v: tf.Tensor) => tf.mul(tf.mul(v, v), v)))(x);
    assert.deepEqual(Array.from(d2.dataSync()), [3, -12, 18]);
    tf.dispose([x, d2]);
  } finally {
    shareSavedTensors(was);
  }
});
