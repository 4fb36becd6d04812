// Numeric tests of the webgpu backend (lib/backend/webgpu, Dawn) against the reference tfjs-backend-cpu kernels,
// relative error ≤ 1e-4, as test/backend-native.test.ts does for onednn: convolution forward and both
// gradients, the training batch norm and its gradient, one ResNet-18k training step. Shapes stay small
// (lavapipe caps storage buffers at 128 MiB). Skipped without an adapter unless UNLEARN_REQUIRE_WEBGPU=1.
import { before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { sumOf } from '../lib/train/losses';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { loadWebGpu, WEBGPU } from '../lib/backend/webgpu/backend';
import { adapterLabel } from '../lib/backend/webgpu/adapter';
import { batchNormTrain } from '../lib/backend/batchnorm';
import { createModel, disposeModel, forward } from '../lib/models/model';
import { crossEntropy } from '../lib/train/losses';
import { createOptimizer, defaultSgd } from '../lib/train/optimizer';
import { onBackend, relErr, uniformValues } from './helpers/numeric';

// CI sets UNLEARN_REQUIRE_WEBGPU=1 (with lavapipe installed): there a missing adapter is a failure.
const required = process.env.UNLEARN_REQUIRE_WEBGPU === '1';
let unavailable: string | undefined;
const errors: Record<string, number> = {};

before(async () => {
  try {
    const a = await loadWebGpu({ allowFallback: true });
    // tfjs runs ops on inputs under 1,000 elements on the CPU by default: test the GPU kernels themselves.
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    console.log(`# webgpu adapter: ${adapterLabel(a)}`);
  } catch (e) {
    unavailable = (e as Error).message;
    console.log(`# ${required ? 'FAILING' : 'skipping'} webgpu tests: ${unavailable}`);
  }
});

/** False (after marking the test skipped) when no adapter loaded; throws instead when one is required. */
function ready(t: TestContext): boolean {
  if (!unavailable) return true;
  if (required) throw new Error(`UNLEARN_REQUIRE_WEBGPU=1 but webgpu is unavailable: ${unavailable}`);
  t.skip(`no webgpu adapter: ${unavailable}`);
  return false;
}

const values = (shape: number[], seed: string) => uniformValues(shape, seed, 13);

const on = onBackend;

/** Same computation on cpu and webgpu; asserts relative error ≤ tol per output and no tensor leak on webgpu. */
async function agree(name: string, f: () => tf.Tensor[], tol = 1e-4): Promise<void> {
  const ref = await on('cpu', f);
  assert.ok(await tf.setBackend(WEBGPU));
  const tensors = tf.memory().numTensors;
  const got = await on(WEBGPU, f);
  assert.equal(tf.memory().numTensors, tensors, `${name}: tensors leaked`);
  let worst = 0;
  ref.forEach((r, i) => {
    const e = relErr(got[i], r);
    worst = Math.max(worst, e);
    assert.ok(e <= tol, `${name}: output ${i} relative error ${e}`);
  });
  errors[name] = worst;
}

const convCases: { k: number; stride: number; pad: 'same' | 'valid'; hw: number }[] = [
  { k: 3, stride: 1, pad: 'same', hw: 9 },
  { k: 3, stride: 2, pad: 'same', hw: 9 },
  { k: 1, stride: 1, pad: 'same', hw: 8 },
  { k: 1, stride: 2, pad: 'valid', hw: 8 },
];

for (const c of convCases) {
  test(`webgpu: conv2d ${c.k}x${c.k} stride ${c.stride} forward, input and filter gradients match cpu`, async (t) => {
    if (!ready(t)) return;
    const xs = [3, c.hw, c.hw, 5],
      ws = [c.k, c.k, 5, 7];
    await agree(`conv ${c.k}x${c.k} s${c.stride}`, () => {
      const x = tf.tensor4d(values(xs, 'x'), xs as [number, number, number, number]);
      const w = tf.tensor4d(values(ws, 'w'), ws as [number, number, number, number]);
      const y = tf.conv2d(x, w, c.stride, c.pad);
      const r = tf.tensor(values(y.shape, 'r'), y.shape); // random output gradient
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), r)),
      )([x, w]);
      return [y, dx, dw];
    });
  });
}

test('webgpu: batchNormTrain output, statistics and gradients match cpu', async (t) => {
  if (!ready(t)) return;
  await agree('batch norm', () => {
    const x = tf.tensor4d(values([4, 6, 6, 8], 'bx'), [4, 6, 6, 8]);
    const gamma = tf.tensor1d(values([8], 'g')),
      beta = tf.tensor1d(values([8], 'b'));
    const r = tf.tensor4d(values([4, 6, 6, 8], 'br'), [4, 6, 6, 8]);
    const { y, mean, variance } = batchNormTrain(x, gamma, beta, 1e-5);
    const grads = tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(a, g, b, 1e-5).y, r)))([
      x,
      gamma,
      beta,
    ]);
    return [y, mean, variance, ...grads];
  });
});

test('webgpu: sumOf adds 62 tensors (AddN in groups of 7; one AddN over 8+ inputs is an invalid pipeline on webgpu)', async (t) => {
  if (!ready(t)) return;
  await agree('sumOf 62', () => [sumOf(Array.from({ length: 62 }, (_, i) => tf.tensor1d(values([300], `s${i}`))))]);
});

test(
  'webgpu: one ResNet-18k (k=4) training step (loss, gradients, BN statistics, SGD update) matches cpu',
  { timeout: 300_000 },
  async (t) => {
    if (!ready(t)) return;
    const spec = { arch: 'resnet18k', k: 4, numClasses: 10, inputShape: [16, 16, 3] as [number, number, number] };
    const n = 4;
    await agree('ResNet-18k step', () => {
      const model = createModel(spec, 3);
      const opt = createOptimizer(model.params, defaultSgd);
      const x = tf.tensor4d(values([n, 16, 16, 3], 'rx'), [n, 16, 16, 3]);
      const y = tf.tensor1d([1, 5, 7, 1], 'int32');
      const params = Object.values(model.params);
      const { value, grads } = tf.variableGrads(() => crossEntropy(forward(model, x, { training: true }), y), params);
      const named = Object.fromEntries(Object.entries(model.params).map(([k, p]) => [k, grads[p.name]]));
      opt.step(named, 0.1);
      const out = [
        value,
        ...params.map((p) => grads[p.name]),
        ...params.map((p) => tf.clone(p)),
        ...Object.values(model.buffers).map((b) => tf.clone(b)),
      ];
      opt.dispose();
      disposeModel(model);
      return out;
    });
  },
);

test('webgpu: logs the measured relative errors against cpu (no assertion; the tests above bound them)', (t) => {
  if (!ready(t)) return;
  console.log(
    `# webgpu relative errors against cpu: ${Object.entries(errors)
      .map(([k, v]) => `${k} ${v.toExponential(1)}`)
      .join(' · ')}`,
  );
});
