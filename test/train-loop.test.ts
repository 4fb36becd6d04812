import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ensureBackend } from '../lib/backend/select';
import { createModel, forward, disposeModel } from '../lib/models';
import { train } from '../lib/train/loop';
import { crossEntropy } from '../lib/train/losses';
import type { BatchSource } from '../lib/train/source';
import { rng, type Rng } from '../lib/util/rng';

function synthetic(n: number, seed: number): BatchSource {
  const r = rng(seed, 'data');
  const x = new Float32Array(n * 8 * 8 * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 192; j++) x[i * 192 + j] = r.normal() * 0.5 + (y[i] ? 0.5 : -0.5) * (j % 3 === 0 ? 1 : 0);
  }
  return {
    size: n,
    shape: [8, 8, 3],
    *epoch(er: Rng, bs: number) {
      const p = er.permutation(n);
      for (let s = 0; s < n; s += bs) {
        const idx = p.subarray(s, Math.min(n, s + bs));
        const bx = new Float32Array(idx.length * 192),
          by = new Int32Array(idx.length);
        idx.forEach((k, i) => {
          bx.set(x.subarray(k * 192, k * 192 + 192), i * 192);
          by[i] = y[k];
        });
        yield { x: bx, y: by, n: idx.length };
      }
    },
  };
}

test('training lowers the loss without leaking tensors', async () => {
  await ensureBackend();
  const model = createModel({ arch: 'cnn4', k: 4, numClasses: 2, inputShape: [8, 8, 3] }, 1);
  const before = tf.memory().numTensors;
  const h = await train(model, {
    epochs: 6,
    batchSize: 16,
    lr: 0.05,
    schedule: { kind: 'cosine' },
    optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 },
    seed: 3,
    phases: [
      {
        name: 'train',
        source: synthetic(64, 0),
        loss: ({ model: m, batch }) => {
          const logits = forward(m, batch.x, { training: true });
          return { loss: crossEntropy(logits, batch.y), logits };
        },
      },
    ],
  });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(h.epochs[5].loss < h.epochs[0].loss * 0.7, JSON.stringify(h.epochs.map((e) => e.loss)));
  disposeModel(model);
});
