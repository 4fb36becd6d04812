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

test("an epoch-step schedule sets each epoch's learning rate, a phase's batchSize its steps, and afterEpoch sees every epoch", async () => {
  await ensureBackend();
  const model = createModel({ arch: 'cnn4', k: 1, numClasses: 2, inputShape: [8, 8, 3] }, 1);
  const first = Object.values(model.params)[0];
  const start = (await first.data())[0];
  const seen: { epoch: number; value: number }[] = [];
  // Loss = the sum of every parameter: each gradient entry is 1, so plain SGD moves every entry by −lr per step.
  await train(model, {
    epochs: 3,
    batchSize: 64,
    lr: 0.1,
    schedule: { kind: 'epochStep', milestones: [1, 2], gamma: 0.5 },
    optimizer: { kind: 'sgd', momentum: 0, weightDecay: 0 },
    seed: 0,
    phases: [
      {
        name: 'sum',
        source: synthetic(10, 0),
        batchSize: 4, // ⌈10 / 4⌉ = 3 steps an epoch (at the run's 64 it would be 1)
        loss: ({ model: m }) => ({ loss: tf.addN(Object.values(m.params).map((p) => tf.sum(p))) as tf.Scalar }),
      },
    ],
    afterEpoch: async (epoch) => {
      seen.push({ epoch, value: (await first.data())[0] });
    },
  });
  assert.deepEqual(
    seen.map((s) => s.epoch),
    [1, 2, 3],
  );
  const moved = seen.map((s, i) => (i ? seen[i - 1].value : start) - s.value);
  [0.3, 0.15, 0.075].forEach((want, i) => assert.ok(Math.abs(moved[i] - want) < 1e-5, `epoch ${i + 1} moved ${moved[i]}, want ${want}`));
  disposeModel(model);
});
