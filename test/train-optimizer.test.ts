// Tests for lib/train/optimizer.ts: SGD (momentum, Nesterov, weight decay) and Adam against values computed by
// hand with PyTorch's update rules (torch.optim.SGD / Adam), on the generic tfjs path (cpu backend) and on the
// onednn backend's fused native update, which must give the same bits as the generic path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createOptimizer, type OptimizerConfig } from '../lib/train/optimizer';
import { hasFusedOptimizer, loadAddon, registerOneDnnBackend, ONEDNN } from '../lib/backend/native/index';

const p0 = [0.5, -1.25, 2, 0.1];
const gradsAt = (t: number) => p0.map((_, i) => Math.sin(1 + i + 0.7 * t)); // a different gradient each step

/** PyTorch's rules in float64, three steps. */
function byHand(c: OptimizerConfig, lr: number, steps: number): number[] {
  const p = [...p0],
    a = p0.map(() => 0),
    b = p0.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    const g = gradsAt(t).map((gi, i) => gi + c.weightDecay * p[i]);
    for (let i = 0; i < p.length; i++) {
      if (c.kind === 'sgd') {
        a[i] = t === 1 ? g[i] : c.momentum * a[i] + g[i]; // torch: buf = g at the first step, then momentum·buf + g
        const d = c.momentum ? (c.nesterov ? g[i] + c.momentum * a[i] : a[i]) : g[i];
        p[i] -= lr * d;
      } else {
        a[i] = c.beta1 * a[i] + (1 - c.beta1) * g[i];
        b[i] = c.beta2 * b[i] + (1 - c.beta2) * g[i] * g[i];
        const mHat = a[i] / (1 - c.beta1 ** t),
          vHat = b[i] / (1 - c.beta2 ** t);
        p[i] -= (lr * mHat) / (Math.sqrt(vHat) + c.eps);
      }
    }
  }
  return p;
}

async function run(backend: string, c: OptimizerConfig, lr: number, steps: number): Promise<Float32Array> {
  assert.ok(await tf.setBackend(backend));
  const params = { w: tf.variable(tf.tensor1d(p0)) };
  const opt = createOptimizer(params, c);
  for (let t = 1; t <= steps; t++) {
    const g = tf.tensor1d(gradsAt(t));
    opt.step({ w: g }, lr);
    g.dispose();
  }
  const out = Float32Array.from(await params.w.data());
  opt.dispose();
  params.w.dispose();
  return out;
}

const configs: [string, OptimizerConfig, number][] = [
  ['SGD, momentum 0.9, weight decay 5e-4', { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 }, 0.05],
  ['SGD, Nesterov momentum 0.9', { kind: 'sgd', momentum: 0.9, weightDecay: 0, nesterov: true }, 0.1],
  ['SGD, no momentum, no weight decay', { kind: 'sgd', momentum: 0, weightDecay: 0 }, 0.01],
  ['Adam (0.9, 0.999, 1e-8), weight decay 1e-2', { kind: 'adam', beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 }, 0.001],
];

for (const [name, c, lr] of configs) {
  test(`optimizer matches PyTorch's rule by hand over 3 steps: ${name}`, async () => {
    const want = byHand(c, lr, 3);
    const got = await run('cpu', c, lr, 3);
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-6 * Math.max(1, Math.abs(want[i])), `param ${i}: ${v} vs ${want[i]}`));
  });
}

const native = loadAddon();
test(
  "onednn: the fused native update gives the generic path's bits for SGD, Nesterov, plain SGD and Adam",
  { skip: native ? false : 'oneDNN addon not built' },
  async () => {
    registerOneDnnBackend();
    assert.ok(await tf.setBackend(ONEDNN));
    assert.ok(hasFusedOptimizer(), 'the onednn backend registers the fused optimizer kernel');
    for (const [name, c, lr] of configs) {
      const generic = await run('cpu', c, lr, 5);
      const fused = await run(ONEDNN, c, lr, 5);
      assert.deepEqual(Array.from(fused), Array.from(generic), name);
    }
  },
);

test(
  'onednn: the fused update creates no tensors per step beyond the slots',
  { skip: native ? false : 'oneDNN addon not built' },
  async () => {
    registerOneDnnBackend();
    assert.ok(await tf.setBackend(ONEDNN));
    const params = { a: tf.variable(tf.ones([3, 3])), b: tf.variable(tf.zeros([7])) };
    const opt = createOptimizer(params, { kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 });
    const g = { a: tf.onesLike(params.a), b: tf.onesLike(params.b) };
    opt.step(g, 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) opt.step(g, 0.1);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(Object.keys(opt.state()).length, 2);
    tf.dispose([...Object.values(g), ...Object.values(params)]);
    opt.dispose();
  },
);
