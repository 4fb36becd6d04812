// Tests for the optional oneDNN backend (lib/backend/native, native/): every native kernel against the
// reference tfjs-backend-cpu kernels (relative error ≤ 1e-4), buffer-pool safety, no tensor or buffer growth,
// and a whole ResNet-18k training step against the cpu backend. Skipped when the addon is not built.
import { before, test } from 'node:test';
import { spawnSync } from 'child_process';
import * as path from 'path';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import {
  fusedBatchNormTrain,
  isNativeKernel,
  loadAddon,
  addonLoadError,
  oneDnnKernelNames,
  registerOneDnnBackend,
  ONEDNN,
} from '../lib/backend/native/index';
import { unregisterProjectKernel } from '../lib/backend/kernels/index';
import { batchNormInference, batchNormTrain } from '../lib/backend/batchnorm';
import { createModel, disposeModel, forward } from '../lib/models/model';
import { crossEntropy } from '../lib/train/losses';
import { onBackend, relErr, uniformValues } from './helpers/numeric';

// CI sets UNLEARN_REQUIRE_NATIVE=1: there a missing addon is a failure, not a skip.
const required = process.env.UNLEARN_REQUIRE_NATIVE === '1';
const skip = loadAddon() || required ? false : String(addonLoadError());
if (skip) console.log(`# skipping backend-native tests: ${skip}`);

test('onednn addon loads (required when UNLEARN_REQUIRE_NATIVE=1)', { skip }, () => {
  assert.ok(loadAddon(), addonLoadError());
});

const values = (shape: number[], seed: string) => uniformValues(shape, seed, 11);

const on = onBackend;

/** Same computation on cpu and onednn; asserts relative error ≤ tol per output and no leaks on onednn. */
async function agree(name: string, f: () => tf.Tensor[], tol = 1e-4): Promise<void> {
  const ref = await on('cpu', f);
  assert.ok(await tf.setBackend(ONEDNN));
  const tensors = tf.memory().numTensors,
    ids = tf.backend().numDataIds();
  const got = await on(ONEDNN, f);
  assert.equal(tf.memory().numTensors, tensors, `${name}: tensors leaked`);
  assert.equal(tf.backend().numDataIds(), ids, `${name}: backend storage leaked`);
  ref.forEach((r, i) => {
    const e = relErr(got[i], r);
    assert.ok(e <= tol, `${name}: output ${i} relative error ${e}`);
  });
}

before(async () => {
  if (skip) return;
  registerOneDnnBackend();
  registerOneDnnBackend(); // idempotent
  await tf.setBackend('cpu');
  // The reference is the cpu backend's own kernels.
  unregisterProjectKernel(tf.Conv2DBackpropFilter, 'cpu');
});

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
const convCases: { name: string; x: number[]; w: number[]; stride: number | [number, number]; pad: Pad; dilation?: number }[] = [
  { name: 'stem 3x3 stride 1 pad 1, 3 channels', x: [4, 16, 16, 3], w: [3, 3, 3, 4], stride: 1, pad: 1 },
  { name: '3x3 stride 1 pad 1', x: [4, 8, 8, 16], w: [3, 3, 16, 16], stride: 1, pad: 1 },
  { name: '3x3 stride 2 pad 1', x: [4, 16, 16, 8], w: [3, 3, 8, 16], stride: 2, pad: 1 },
  { name: '3x3 stride 2 same', x: [4, 16, 16, 8], w: [3, 3, 8, 16], stride: 2, pad: 'same' },
  { name: '1x1 stride 2 shortcut valid', x: [4, 16, 16, 8], w: [1, 1, 8, 16], stride: 2, pad: 'valid' },
  { name: '1x1 stride 1', x: [3, 10, 10, 5], w: [1, 1, 5, 7], stride: 1, pad: 'valid' },
  { name: '3x3 stride 2 valid, odd sizes', x: [2, 15, 13, 3], w: [3, 3, 3, 5], stride: 2, pad: 'valid' },
  { name: '3x3 stride 2 valid, even size (unused last row)', x: [2, 16, 16, 3], w: [3, 3, 3, 5], stride: 2, pad: 'valid' },
  { name: '3x3 stride [2,1] same', x: [2, 12, 12, 3], w: [3, 3, 3, 4], stride: [2, 1], pad: 'same' },
  { name: '5x5 stride 3 same', x: [2, 11, 11, 3], w: [5, 5, 3, 4], stride: 3, pad: 'same' },
  {
    name: 'explicit asymmetric padding',
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

test('onednn: registered with every cpu kernel and the native ones', { skip }, () => {
  const cpu = tf.getKernelsForBackend('cpu').map((k) => k.kernelName);
  const ours = new Set(tf.getKernelsForBackend(ONEDNN).map((k) => k.kernelName));
  for (const k of cpu) assert.ok(ours.has(k), `cpu kernel ${k} missing on onednn`);
  for (const k of oneDnnKernelNames()) assert.ok(isNativeKernel(k), `${k} is not the native kernel`);
});

for (const c of convCases) {
  test(`onednn conv2d forward and both gradients: ${c.name}`, { skip }, async () => {
    await agree(c.name, () => {
      const x = tf.tensor4d(values(c.x, `${c.name}/x`), c.x as [number, number, number, number]);
      const w = tf.tensor4d(values(c.w, `${c.name}/w`), c.w as [number, number, number, number]);
      const y = tf.conv2d(x, w, c.stride, c.pad);
      const u = tf.tensor(values(y.shape, `${c.name}/u`), y.shape);
      const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), u)),
      )([x, w]);
      return [y, dx, dw];
    });
  });
}

test('onednn conv2d with dilation 2 (forward)', { skip }, async () => {
  await agree('dilated', () => [
    tf.conv2d(
      tf.tensor4d(values([2, 12, 12, 3], 'dx'), [2, 12, 12, 3]),
      tf.tensor4d(values([3, 3, 3, 4], 'dw'), [3, 3, 3, 4]),
      1,
      'same',
      'NHWC',
      2,
    ),
  ]);
});

test('onednn batch norm: training op (forward, gradients) and inference FusedBatchNorm', { skip }, async () => {
  for (const shape of [
    [8, 8, 8, 4],
    [4, 4, 4, 32],
    [16, 10],
  ]) {
    const c = shape[shape.length - 1];
    await agree(`batchNorm ${shape}`, () => {
      const x = tf.add(tf.mul(tf.tensor(values(shape, 'bx'), shape), 3), 0.5);
      const gamma = tf.tensor1d(values([c], 'bg')),
        beta = tf.tensor1d(values([c], 'bb'));
      const u = tf.tensor(values(shape, 'bu'), shape);
      const { y, mean, variance } = batchNormTrain(x, gamma, beta, 1e-5);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(a, b, d, 1e-5).y, u)))([
        x,
        gamma,
        beta,
      ]);
      const inf = tf.batchNorm(x, mean, variance, beta, gamma, 1e-5);
      const infNoScale = tf.batchNorm(x, mean, variance);
      return [y, mean, variance, ...g, inf, infNoScale];
    });
  }
});

test('onednn fused batch-norm kernels match batchNormTrain on the cpu backend', { skip }, async () => {
  // [32,16,16,8] is above the addon's parallel threshold (2^15 elements): the multi-threaded path.
  for (const [shape, offset] of [
    [[8, 8, 8, 4], 0.5],
    [[4, 4, 4, 32], 20],
    [[16, 10], -3],
    [[2, 3, 3, 1], 0],
    [[32, 16, 16, 8], 1],
  ] as [number[], number][]) {
    const c = shape[shape.length - 1];
    const inputs = () => ({
      x: tf.add(tf.mul(tf.tensor(values(shape, 'fx'), shape), 3), offset),
      gamma: tf.tensor1d(values([c], 'fg')),
      beta: tf.tensor1d(values([c], 'fb')),
      u: tf.tensor(values(shape, 'fu'), shape),
    });
    const ref = await on('cpu', () => {
      const { x, gamma, beta, u } = inputs();
      const r = batchNormTrain(x, gamma, beta, 1e-5);
      return [
        r.y,
        r.mean,
        r.variance,
        ...tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(a, b, d, 1e-5).y, u)))([x, gamma, beta]),
      ];
    });
    assert.ok(await tf.setBackend(ONEDNN));
    const tensors = tf.memory().numTensors;
    const got = await on(ONEDNN, () => {
      const { x, gamma, beta, u } = inputs();
      const r = fusedBatchNormTrain(x, gamma, beta, 1e-5);
      return [
        r.y,
        r.mean,
        r.variance,
        ...tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(fusedBatchNormTrain(a, b, d, 1e-5).y, u)))([
          x,
          gamma,
          beta,
        ]),
      ];
    });
    assert.equal(tf.memory().numTensors, tensors, 'fused batch norm leaked tensors');
    ref.forEach((r, i) => {
      const e = relErr(got[i], r);
      assert.ok(e <= 1e-4, `fused batch norm ${shape} offset ${offset}: output ${i} relative error ${e}`);
    });
  }
});

test(
  'onednn fused batch norm + ReLU and running statistics match relu(batchNormTrain) and the tfjs update on the cpu backend',
  { skip },
  async () => {
    for (const shape of [
      [8, 8, 8, 4],
      [32, 16, 16, 8],
      [16, 10],
    ]) {
      const c = shape[shape.length - 1];
      const inputs = () => ({
        x: tf.tensor(values(shape, 'rx'), shape),
        gamma: tf.tensor1d(values([c], 'rg')),
        beta: tf.tensor1d(values([c], 'rb')),
        u: tf.tensor(values(shape, 'ru'), shape),
        rm: tf.tensor1d(values([c], 'rm')),
        rv: tf.add(tf.tensor1d(values([c], 'rv')), 2) as tf.Tensor1D,
      });
      const run = () => {
        const { x, gamma, beta, u, rm, rv } = inputs();
        const r = batchNormTrain(x, gamma, beta, 1e-5, { relu: true, running: { mean: rm, variance: rv, momentum: 0.1 } });
        const inf = tf.tidy(() => batchNormInference(x, gamma, beta, rm, rv, 1e-5, true));
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
          tf.sum(tf.mul(batchNormTrain(a, b, d, 1e-5, { relu: true }).y, u)),
        )([x, gamma, beta]);
        return [r.y, r.running!.mean, r.running!.variance, inf, ...g];
      };
      const ref = await on('cpu', run);
      assert.ok(await tf.setBackend(ONEDNN));
      const tensors = tf.memory().numTensors;
      const got = await on(ONEDNN, run);
      assert.equal(tf.memory().numTensors, tensors, 'fused batch norm + ReLU leaked tensors');
      assert.ok(ref[0].some((v) => v === 0) && ref[0].some((v) => v > 0), 'the ReLU clips part of the output');
      assert.deepEqual(Array.from(got[1]), Array.from(ref[1]), `${shape}: running mean (same float32 rounding as the tfjs ops)`);
      ['y', 'running mean', 'running variance', 'inference', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
        const e = relErr(got[i], ref[i]);
        assert.ok(e <= 1e-4, `${shape}: ${name} relative error ${e}`);
      });
    }
  },
);

test(
  'addon: the batch-norm backward masked by a ReLU output is bit for bit the backward of the masked gradient (NaN, ±0, ±inf)',
  { skip },
  () => {
    const addon = loadAddon()!;
    // [256, 8] rows are above the parallel threshold at c = 8 (the vectorised block loops); specials in y and dy.
    for (const [n, c] of [
      [4096, 8],
      [64, 3],
    ]) {
      const dy = uniformValues([n, c], 'mdy'),
        x = uniformValues([n, c], 'mx'),
        y = uniformValues([n, c], 'my').map((v) => v - 0.5);
      const specials = [NaN, -0, 0, Infinity, -Infinity, 1e-45, -1e-45, 3.4e38];
      specials.forEach((v, i) => {
        y[i * 7] = v;
        dy[i * 11 + 3] = v;
      });
      const mean = uniformValues([c], 'mm'),
        variance = uniformValues([c], 'mv').map((v) => v + 0.5),
        gamma = uniformValues([c], 'mg');
      // step(y) as tfjs-backend-cpu's Step: NaN stays NaN, > 0 is 1, else 0.
      const masked = dy.map((g, i) => g * (Number.isNaN(y[i]!) ? NaN : y[i]! > 0 ? 1 : 0));
      const run = (g: Float32Array, mask?: Float32Array) => {
        const out = [new Float32Array(n * c), new Float32Array(c), new Float32Array(c)] as const;
        if (mask) addon.bnTrainBackward(g, x, mean, variance, gamma, out[0], out[1], out[2], c, 1e-5, mask);
        else addon.bnTrainBackward(g, x, mean, variance, gamma, out[0], out[1], out[2], c, 1e-5);
        return out.map((a) => Array.from(a));
      };
      assert.deepEqual(run(dy, y), run(masked), `[${n}, ${c}]: dx, dgamma, dbeta`);
    }
  },
);

test('onednn matMul: transposes and batch broadcasting, with gradients', { skip }, async () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[7, 5], [5, 3], false, false],
    [[5, 7], [5, 3], true, false],
    [[7, 5], [3, 5], false, true],
    [[5, 7], [3, 5], true, true],
    [[2, 4, 6], [2, 6, 3], false, false],
    [[1, 4, 6], [3, 6, 2], false, false],
    [[3, 4, 6], [6, 2], false, false],
    [[128, 256], [256, 10], false, false],
  ];
  for (const [as, bs, ta, tb] of cases) {
    await agree(`matMul ${as} ${bs} ${ta} ${tb}`, () => {
      const a = tf.tensor(values(as, 'ma'), as),
        b = tf.tensor(values(bs, 'mb'), bs);
      const y = tf.matMul(a, b, ta, tb);
      // tfjs-core's BatchMatMul gradient does not reduce broadcast batches: gradients only without them.
      if (as.length !== bs.length || as[0] !== bs[0]) return [y];
      const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, ta, tb))))([a, b]);
      return [y, ...g];
    });
  }
});

test('onednn element-wise: broadcasting binary ops, unary ops (NaN), reductions', { skip }, async () => {
  const pairs: [number[], number[]][] = [
    [
      [6, 5],
      [6, 5],
    ],
    [[128, 4], [4]],
    [
      [128, 4],
      [1, 4],
    ],
    [[4], [128, 4]],
    [
      [3, 1, 5],
      [4, 1],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 5],
    ],
    [
      [2, 3, 4, 5, 6],
      [2, 1, 4, 1, 6],
    ],
    [[10], []],
    [[], [7]],
    [
      [300, 3],
      [300, 1],
    ],
  ];
  await agree('binary', () => {
    const out: tf.Tensor[] = [];
    for (const [as, bs] of pairs) {
      const a = tf.tensor(values(as, 'ea'), as),
        b = tf.add(tf.tensor(values(bs, 'eb'), bs), 2);
      out.push(tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.div(a, b), tf.squaredDifference(a, b));
    }
    return out;
  });
  await agree('unary', () => {
    const x = tf.tensor1d([...values([200], 'u'), NaN, 0, -0, 1e-30, -3.5, Infinity, -Infinity]);
    const pos = tf.abs(x);
    return [
      tf.relu(x),
      tf.step(x),
      tf.step(x, 0.25),
      tf.square(x),
      tf.rsqrt(pos),
      tf.neg(x),
      tf.exp(x),
      tf.log(pos),
      tf.sqrt(pos),
      tf.abs(x),
      tf.reciprocal(x),
    ];
  });
  await agree('reduce', () => {
    const x = tf.tensor4d(values([4, 5, 6, 7], 'r'), [4, 5, 6, 7]);
    const out: tf.Tensor[] = [];
    for (const axis of [0, 1, 3, [1, 2], [0, 1, 2], [0, 2], [0, 1, 2, 3]]) {
      out.push(tf.sum(x, axis), tf.mean(x, axis, true), tf.max(x, axis), tf.min(x, axis));
    }
    // Above the parallel threshold, with few outer rows (the reduced axis is split across threads).
    const big = tf.tensor4d(values([2, 128, 64, 4], 'rb'), [2, 128, 64, 4]);
    for (const axis of [[1, 2], [0, 1, 2], 3]) out.push(tf.sum(big, axis), tf.mean(big, axis), tf.max(big, axis));
    const wide = tf.tensor2d(values([300, 200], 'rw'), [300, 200]);
    out.push(tf.add(wide, tf.tensor1d(values([200], 'rv'))), tf.mul(tf.relu(wide), tf.step(wide)));
    return out;
  });
  await agree('avgPool', () => {
    const x = tf.tensor4d(values([4, 6, 6, 3], 'p'), [4, 6, 6, 3]);
    return [tf.avgPool(x, [6, 6], 1, 'valid'), tf.avgPool(x, 2, 2, 'valid'), tf.avgPool(x, 3, 1, 'same')];
  });
});

test('onednn buffer reuse: read-out arrays and aliasing views stay intact', { skip }, async () => {
  assert.ok(await tf.setBackend(ONEDNN));
  const a = tf.tensor1d(values([4096], 'pa')),
    b = tf.tensor1d(values([4096], 'pb'));
  const s = tf.add(a, b);
  const read = s.dataSync();
  const copy = Float32Array.from(read);
  const view = tf.slice(s, [1024], [2048]); // cpu Slice returns a subarray view of s's buffer
  const viewCopy = Float32Array.from(view.dataSync());
  s.dispose();
  const t = tf.mul(a, b);
  const s2 = tf.add(a, b); // would reuse s's buffer if it were recycled too early
  s2.dispose();
  const view2 = tf.slice(tf.sub(a, b), [0], [10]);
  tf.dispose([t, view2]);
  assert.deepEqual(read, copy, 'a dataSync() array changed after its tensor was disposed');
  assert.deepEqual(view.dataSync(), viewCopy, 'a slice view changed after its source was disposed');
  tf.dispose([a, b, view]);
});

test('onednn: no tensor or buffer growth over repeated training steps', { skip }, async () => {
  assert.ok(await tf.setBackend(ONEDNN));
  const spec = { arch: 'resnet18k', k: 2, numClasses: 10, inputShape: [16, 16, 3] as [number, number, number] };
  const model = createModel(spec, 0);
  const x = tf.tensor4d(values([8, 16, 16, 3], 'gx'), [8, 16, 16, 3]);
  const y = tf.tensor1d(
    Array.from({ length: 8 }, (_, i) => i % 10),
    'int32',
  );
  const step = () =>
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => crossEntropy(forward(model, x, { training: true }), y), Object.values(model.params));
      for (const p of Object.values(model.params)) p.assign(tf.sub(p, tf.mul(grads[p.name], 0.01)));
    });
  step();
  const tensors = tf.memory().numTensors,
    ids = tf.backend().numDataIds();
  const pool = (tf.backend() as unknown as { pool: { pooledBytes: number } }).pool;
  step();
  const pooled = pool.pooledBytes;
  for (let i = 0; i < 5; i++) step();
  assert.equal(tf.memory().numTensors, tensors, 'tensors grew');
  assert.equal(tf.backend().numDataIds(), ids, 'backend storage grew');
  assert.ok(pool.pooledBytes <= pooled, `pooled buffers grew: ${pool.pooledBytes} > ${pooled}`);
  disposeModel(model);
  tf.dispose([x, y]);
});

test('onednn: a ResNet-18k (k=4) training step matches the cpu backend', { skip, timeout: 600_000 }, async () => {
  const spec = { arch: 'resnet18k', k: 4, numClasses: 10, inputShape: [32, 32, 3] as [number, number, number] };
  const n = 4;
  const run = () => {
    const model = createModel(spec, 3);
    const x = tf.tensor4d(values([n, 32, 32, 3], 'rx'), [n, 32, 32, 3]);
    const y = tf.tensor1d([1, 5, 7, 1], 'int32');
    const params = Object.values(model.params);
    const { value, grads } = tf.variableGrads(() => crossEntropy(forward(model, x, { training: true }), y), params);
    const out = [value, ...params.map((p) => grads[p.name]), ...Object.values(model.buffers).map((b) => tf.clone(b))];
    disposeModel(model);
    return out;
  };
  const ref = await on('cpu', run);
  const got = await on(ONEDNN, run);
  assert.equal(got.length, ref.length);
  // Gradients pass through 17 batch norms: allow float32 accumulation-order differences to grow a little.
  ref.forEach((r, i) => {
    const e = relErr(got[i], r);
    assert.ok(e <= 1e-3, `output ${i} (loss, gradients, BN statistics): relative error ${e}`);
  });
});

test(
  'onednn: 1, 2 and 3 threads train bit-identical models (fixed reduction partitions and filter-gradient chunks)',
  { skip, timeout: 300_000 },
  () => {
    for (const args of [
      ['8', '64', 'resnet18k'],
      ['4', '50', 'resnet18k'],
      ['2', '33', 'allcnn'],
    ]) {
      const hashes = ['1', '2', '3'].map((t) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'train-hash.ts'), ...args], {
          encoding: 'utf8',
          env: { ...process.env, UNLEARN_BACKEND: 'onednn', UNLEARN_THREADS: t },
        });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout.trim().split(': ').pop();
      });
      assert.ok(/^[0-9a-f]{16}$/.test(hashes[0]!), hashes[0]);
      assert.deepEqual(hashes, [hashes[0], hashes[0], hashes[0]], `${args.join(' ')}: parameter hashes at 1/2/3 threads`);
    }
  },
);

test('addon: bad buffers are TypeErrors naming the argument and the expected size', { skip }, () => {
  const a = loadAddon()!;
  const f = (n: number) => new Float32Array(n);
  assert.throws(() => a.batchNormInfer(f(4), f(2), f(2), null, f(1), f(4), 1e-5), {
    name: 'TypeError',
    message: 'offset: has 1 elements, needs 2',
  });
  assert.throws(() => a.bnTrainForward(f(3), f(2), f(2), f(3), f(2), f(2), 2, 1e-5), {
    name: 'TypeError',
    message: "bnTrainForward: x's size must be a positive multiple of C",
  });
  assert.throws(() => a.bnTrainBackward(f(4), f(4), f(2), f(2), f(2), f(3), f(2), f(2), 2, 1e-5), {
    name: 'TypeError',
    message: 'dx: has 3 elements, needs 4',
  });
});
