// Tests for the project's convolution-gradient kernels (lib/backend/kernels) on wasm and cpu, against the
// reference cpu backend's own kernels.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { isProjectKernel, registerProjectKernels, unregisterProjectKernel } from '../lib/backend/kernels';
import { rng } from '../lib/util/rng';
import { relErr } from './helpers/numeric';

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface Case {
  name: string;
  x: number[];
  w: number[];
  stride: number | [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { name: 'ResNet 3x3 stride 2 same', x: [8, 16, 16, 8], w: [3, 3, 8, 16], stride: 2, pad: 'same' },
  { name: 'ResNet 3x3 stride 2 pad 1', x: [8, 16, 16, 8], w: [3, 3, 8, 16], stride: 2, pad: 1 },
  { name: 'ResNet 3x3 stride 1 pad 1', x: [8, 8, 8, 16], w: [3, 3, 16, 16], stride: 1, pad: 1 },
  { name: 'ResNet 1x1 stride 2 shortcut valid', x: [8, 16, 16, 8], w: [1, 1, 8, 16], stride: 2, pad: 'valid' },
  { name: 'ResNet 1x1 stride 2 shortcut same', x: [8, 16, 16, 8], w: [1, 1, 8, 16], stride: 2, pad: 'same' },
  { name: '1x1 stride 1', x: [4, 10, 10, 3], w: [1, 1, 3, 5], stride: 1, pad: 'valid' },
  { name: '3x3 stride 1 same, odd size', x: [4, 9, 9, 3], w: [3, 3, 3, 5], stride: 1, pad: 'same' },
  { name: '3x3 stride 1 valid', x: [4, 9, 9, 3], w: [3, 3, 3, 5], stride: 1, pad: 'valid' },
  { name: '3x3 stride 2 same, odd sizes', x: [4, 15, 13, 3], w: [3, 3, 3, 5], stride: 2, pad: 'same' },
  { name: '3x3 stride 2 valid, odd sizes', x: [4, 15, 13, 3], w: [3, 3, 3, 5], stride: 2, pad: 'valid' },
  { name: '3x3 stride 2 valid, even size (unused last row)', x: [4, 16, 16, 3], w: [3, 3, 3, 5], stride: 2, pad: 'valid' },
  { name: '3x3 stride 2 pad 2', x: [4, 10, 10, 3], w: [3, 3, 3, 5], stride: 2, pad: 2 },
  { name: '3x3 stride [2,1] same', x: [2, 12, 12, 3], w: [3, 3, 3, 4], stride: [2, 1], pad: 'same' },
  { name: '3x1 stride 2 same', x: [2, 12, 12, 3], w: [3, 1, 3, 4], stride: 2, pad: 'same' },
  { name: '5x5 stride 3 same', x: [2, 11, 11, 3], w: [5, 5, 3, 4], stride: 3, pad: 'same' },
  { name: '2x2 stride 2 valid', x: [2, 12, 12, 3], w: [2, 2, 3, 4], stride: 2, pad: 'valid' },
  {
    name: '3x3 explicit asymmetric padding',
    x: [2, 8, 8, 3],
    w: [3, 3, 3, 4],
    stride: 1,
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
];

function values(shape: number[], seed: string): Float32Array {
  const r = rng(7, seed);
  const a = new Float32Array(shape.reduce((p, q) => p * q, 1));
  for (let i = 0; i < a.length; i++) a[i] = r.next() * 2 - 1;
  return a;
}

/** dL/dx and dL/dw of L = Σ conv2d(x, w) · u on the current backend, as plain arrays. */
function convGrads(c: Case): { dx: Float32Array; dw: Float32Array } {
  // tidy returns tensors (never typed arrays: tidy would walk them element by element).
  const [dx, dw] = tf.tidy(() => {
    const x = tf.tensor4d(values(c.x, `${c.name}/x`), c.x as [number, number, number, number]);
    const w = tf.tensor4d(values(c.w, `${c.name}/w`), c.w as [number, number, number, number]);
    const yShape = tf.conv2d(x, w, c.stride, c.pad).shape;
    const u = tf.tensor(values(yShape, `${c.name}/u`), yShape);
    return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), u)))([
      x,
      w,
    ]);
  });
  const out = { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  tf.dispose([dx, dw]);
  return out;
}

const reference = new Map<string, { dx: Float32Array; dw: Float32Array }>();

before(async () => {
  // Reference: the cpu backend's own Conv2DBackpropInput/Filter kernels.
  await tf.setBackend('cpu');
  unregisterProjectKernel(tf.Conv2DBackpropFilter, 'cpu');
  unregisterProjectKernel(tf.Conv2DBackpropInput, 'cpu');
  for (const c of cases) reference.set(c.name, convGrads(c));
});

/** Runs every case on `backend` with the project kernels registered and checks values and leaks. */
async function checkBackend(backend: string): Promise<void> {
  assert.ok(await tf.setBackend(backend));
  registerProjectKernels(backend);
  registerProjectKernels(backend); // idempotent
  assert.equal(tf.getBackend(), backend);
  const be = tf.backend();
  for (const c of cases) {
    const tensors = tf.memory().numTensors,
      dataIds = be.numDataIds();
    const got = convGrads(c);
    const ref = reference.get(c.name)!;
    const ex = relErr(got.dx, ref.dx),
      ew = relErr(got.dw, ref.dw);
    assert.ok(ex <= 1e-4, `${backend} ${c.name}: dx relative error ${ex}`);
    assert.ok(ew <= 1e-4, `${backend} ${c.name}: dw relative error ${ew}`);
    assert.equal(tf.memory().numTensors, tensors, `${backend} ${c.name}: tensors leaked`);
    assert.equal(be.numDataIds(), dataIds, `${backend} ${c.name}: backend buffers leaked (kernel intermediates)`);
  }
}

test('wasm: conv2d gradients through the project kernels match the cpu reference', async () => {
  await checkBackend('wasm');
  assert.ok(isProjectKernel(tf.Conv2DBackpropFilter, 'wasm'));
  assert.ok(isProjectKernel(tf.Conv2DBackpropInput, 'wasm'));
  // The gradient kernels really ran, on wasm.
  const c = cases[0];
  const profile = await tf.profile(() => {
    convGrads(c);
  });
  const names = profile.kernels.map((k) => k.name);
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(names.includes(tf.Conv2DBackpropFilter) && names.includes(tf.Conv2DBackpropInput), names.join(','));
});

test('cpu: the project filter-gradient kernel matches the cpu reference', async () => {
  await checkBackend('cpu');
  assert.ok(isProjectKernel(tf.Conv2DBackpropFilter, 'cpu'));
  assert.ok(!isProjectKernel(tf.Conv2DBackpropInput, 'cpu'), 'cpu keeps its own (faster) input-gradient kernel');
});

test('unregistering restores the backend kernels exactly once (no nested fallbacks)', async () => {
  await tf.setBackend('wasm');
  registerProjectKernels('wasm');
  unregisterProjectKernel(tf.Conv2DBackpropInput, 'wasm');
  unregisterProjectKernel(tf.Conv2DBackpropFilter, 'wasm');
  const own = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  assert.ok(own && !isProjectKernel(tf.Conv2DBackpropInput, 'wasm'), 'wasm Conv2DBackpropInput restored');
  assert.equal(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm'), undefined, 'wasm has no Conv2DBackpropFilter of its own');
  registerProjectKernels('wasm');
  assert.ok(isProjectKernel(tf.Conv2DBackpropFilter, 'wasm') && isProjectKernel(tf.Conv2DBackpropInput, 'wasm'));
});
