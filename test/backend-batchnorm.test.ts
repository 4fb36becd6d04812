// Tests for batchNormTrain (lib/backend/batchnorm): values and gradients on wasm and cpu against tf.grads
// through an explicit batch-norm expression on the reference cpu backend.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { batchNormInfer, batchNormTrain } from '../lib/backend/ops';
import { rng } from '../lib/util/rng';
import { relErr } from './helpers/numeric';

const EPS = 1e-5;
interface Case {
  name: string;
  shape: number[];
  offset: number;
}
const cases: Case[] = [
  { name: 'conv features', shape: [8, 6, 6, 5], offset: 0 },
  { name: 'conv features, mean far from 0', shape: [8, 6, 6, 5], offset: 3 },
  { name: 'ResNet-like', shape: [16, 8, 8, 16], offset: 0.5 },
  { name: 'single spatial position', shape: [12, 1, 1, 7], offset: 0 },
  { name: 'dense', shape: [16, 7], offset: -1 },
];

function values(n: number, seed: string, offset = 0): Float32Array {
  const r = rng(11, seed);
  const a = new Float32Array(n);
  for (let i = 0; i < a.length; i++) a[i] = r.normal() + offset;
  return a;
}

/** Reference: y = (x − mean)/sqrt(var + eps)·γ + β with tf.moments, differentiated by tfjs-core. */
function explicitBn(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS))), g), b);
}

/**
 * Loss Σ bn(z)·u + Σ bn(z)² with z = x·1.5 + 0.25: BN applied to an intermediate, so the op must save what
 * its gradient needs (intermediates are disposed after the forward pass). Returns [y, mean, variance,
 * dx, dγ, dβ] as arrays.
 */
function run(c: Case, custom: boolean): Float32Array[] {
  const ch = c.shape[c.shape.length - 1];
  const size = c.shape.reduce((p, q) => p * q, 1);
  const out = tf.tidy(() => {
    const x = tf.tensor(values(size, `${c.name}/x`, c.offset), c.shape);
    const g = tf.tensor1d(values(ch, `${c.name}/g`, 1)),
      b = tf.tensor1d(values(ch, `${c.name}/b`));
    const u = tf.tensor(values(size, `${c.name}/u`), c.shape);
    const bn = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const z = tf.add(tf.mul(xx, 1.5), 0.25);
      return custom ? batchNormTrain(z, gg as tf.Tensor1D, bb as tf.Tensor1D, EPS).y : explicitBn(z, gg, bb);
    };
    const loss = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const y = bn(xx, gg, bb);
      return tf.add(tf.sum(tf.mul(y, u)), tf.sum(tf.square(y)));
    };
    const grads = tf.grads(loss)([x, g, b]);
    const z = tf.add(tf.mul(x, 1.5), 0.25);
    const stats = custom
      ? batchNormTrain(z, g, b, EPS)
      : {
          y: explicitBn(z, g, b),
          ...tf.moments(
            z,
            c.shape.slice(0, -1).map((_, i) => i),
          ),
        };
    return [stats.y, stats.mean, stats.variance, ...grads];
  });
  const arrays = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  return arrays;
}

const labels = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
const reference = new Map<string, Float32Array[]>();

before(async () => {
  await tf.setBackend('cpu');
  for (const c of cases) reference.set(c.name, run(c, false));
});

for (const backend of ['wasm', 'cpu']) {
  test(`${backend}: batchNormTrain values and gradients match the explicit expression on cpu`, async () => {
    assert.ok(await tf.setBackend(backend));
    assert.equal(tf.getBackend(), backend);
    const be = tf.backend();
    for (const c of cases) {
      const tensors = tf.memory().numTensors,
        dataIds = be.numDataIds();
      const got = run(c, true);
      const ref = reference.get(c.name)!;
      got.forEach((g, i) => {
        const e = relErr(g, ref[i]);
        assert.ok(e <= 1e-4, `${backend} ${c.name}: ${labels[i]} relative error ${e}`);
      });
      assert.equal(tf.memory().numTensors, tensors, `${backend} ${c.name}: tensors leaked`);
      assert.equal(be.numDataIds(), dataIds, `${backend} ${c.name}: backend buffers leaked`);
    }
  });
}

test('batch statistics are ordinary tensors owned by the enclosing tidy', async () => {
  await tf.setBackend('wasm');
  const before = tf.memory().numTensors;
  const kept = tf.tidy(() => {
    const r = batchNormTrain(tf.ones([2, 3, 3, 4]), tf.ones([4]), tf.zeros([4]));
    assert.deepEqual(r.mean.shape, [4]);
    assert.deepEqual(r.variance.shape, [4]);
    return r.mean;
  });
  assert.equal(tf.memory().numTensors, before + 1, 'only the returned statistic survives the tidy');
  assert.deepEqual(Array.from(kept.dataSync()), [1, 1, 1, 1]);
  kept.dispose();
  assert.throws(() => batchNormTrain(tf.zeros([2, 3]), tf.ones([2]), tf.zeros([3])), /gamma\/beta must have 3/);
});

test('batchNormInfer equals tf.batchNorm with stored statistics', async () => {
  await tf.setBackend('wasm');
  tf.tidy(() => {
    const x = tf.tensor(values(2 * 3 * 3 * 4, 'infer/x'), [2, 3, 3, 4]);
    const [g, b, m] = ['g', 'b', 'm'].map((s) => tf.tensor1d(values(4, `infer/${s}`)));
    const v = tf.tensor1d([0.5, 1, 2, 4]);
    const e = relErr(
      batchNormInfer(x, g, b, m, v, EPS).dataSync() as Float32Array,
      tf.batchNorm(x, m, v, b, g, EPS).dataSync() as Float32Array,
    );
    assert.ok(e <= 1e-5, `relative error ${e}`);
  });
});
