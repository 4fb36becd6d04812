// Width-k models: parameter counts equal the reference PyTorch definitions, shapes, seeded initialisation,
// checkpoints round-trip, cloning never aliases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { createModel, forward, cloneModel, disposeModel, countParams, paramCount, defaultSpec } from '../lib/models';
import { saveModel, loadModel } from '../lib/models/checkpoint';
import { DataError } from '../lib/util/errors';

test('ResNet-18k parameter counts equal the reference PyTorch make_resnet18k', async () => {
  await ensureBackend();
  const expected: Record<number, number> = { 4: 44_510, 8: 176_178, 16: 701_018, 32: 2_796_714, 64: 11_172_170 };
  for (const [k, n] of Object.entries(expected)) assert.equal(paramCount({ ...defaultSpec, k: Number(k) }), n, `k=${k}`);
});

test('All-CNN-C and the 4-layer CNN have the hand-computed parameter counts', async () => {
  await ensureBackend();
  // CNN-4, k=2: convs 3·2·9 + 2·4·9 + 4·8·9 + 8·16·9 = 1566, BN 2·(2+4+8+16) = 60, linear 16·10 + 10 = 170.
  assert.equal(paramCount({ ...defaultSpec, arch: 'cnn4', k: 2 }), 1566 + 60 + 170);
  // All-CNN-C, k=1: convs (3·1 + 1 + 1)·9 + (1·2 + 2·2 + 2·2)·9 + 2·2·9 + 2·2 = 45 + 90 + 36 + 4 = 175,
  // BN 2·(1+1+1+2+2+2+2+2) = 26, classifier 2·10 + 10 = 30.
  assert.equal(paramCount({ ...defaultSpec, arch: 'allcnn', k: 1 }), 175 + 26 + 30);
});

test('forward gives [N, classes] logits for every architecture; initialisation is seeded', async () => {
  await ensureBackend();
  for (const arch of ['resnet18k', 'allcnn', 'cnn4']) {
    const a = createModel({ ...defaultSpec, arch, k: 2 }, 7);
    const b = createModel({ ...defaultSpec, arch, k: 2 }, 7);
    const c = createModel({ ...defaultSpec, arch, k: 2 }, 8);
    const x = tf.randomNormal([3, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const ya = forward(a, x),
      yb = forward(b, x),
      yc = forward(c, x);
    assert.deepEqual(ya.shape, [3, 10]);
    assert.deepEqual(Array.from(ya.dataSync()), Array.from(yb.dataSync()), `${arch}: same seed, same logits`);
    assert.notDeepEqual(Array.from(ya.dataSync()), Array.from(yc.dataSync()), `${arch}: other seed, other logits`);
    tf.dispose([x, ya, yb, yc]);
    [a, b, c].forEach(disposeModel);
  }
});

test('a saved and loaded model predicts identically; clones do not alias the source', async () => {
  await ensureBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
  const m = createModel({ ...defaultSpec, k: 2 }, 1);
  // Move the BN running statistics away from their initial values.
  const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
  tf.tidy(() => {
    forward(m, x, { training: true });
  });
  const file = path.join(dir, 'm.ckpt');
  saveModel(m, file);
  const loaded = loadModel(file);
  assert.equal(countParams(loaded), countParams(m));
  const y1 = forward(m, x),
    y2 = forward(loaded, x);
  assert.deepEqual(Array.from(y2.dataSync()), Array.from(y1.dataSync()));
  const clone = cloneModel(m);
  tf.tidy(() => clone.params['conv1.w'].assign(tf.zerosLike(clone.params['conv1.w'])));
  assert.notEqual(
    tf.tidy(() => tf.sum(tf.abs(m.params['conv1.w'])).dataSync()[0]),
    0,
    'source untouched',
  );
  assert.deepEqual(fs.readdirSync(dir), ['m.ckpt'], 'no temporary file left');
  tf.dispose([x, y1, y2]);
  [m, loaded, clone].forEach(disposeModel);
});

test('a truncated checkpoint is a DataError naming the file', async () => {
  await ensureBackend();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
  const m = createModel({ ...defaultSpec, arch: 'cnn4', k: 1 }, 1);
  const file = path.join(dir, 'm.ckpt');
  saveModel(m, file);
  fs.truncateSync(file, fs.statSync(file).size - 8);
  assert.throws(
    () => loadModel(file),
    (e: unknown) => e instanceof DataError && e.message.includes(file) && /expected/.test(e.message),
  );
  disposeModel(m);
});
